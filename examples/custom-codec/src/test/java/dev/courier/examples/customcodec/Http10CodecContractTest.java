package dev.courier.examples.customcodec;

import dev.courier.Protocol;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.testing.contract.ExchangeCodecContract;

/** Checks the example HTTP/1.0 codec with the same contract suite Courier's own codecs pass. */
// snippet: codec-contract
class Http10CodecContractTest extends ExchangeCodecContract {
  @Override
  protected ProtocolConnectionProvider provider() {
    return new Http10ConnectionProvider();
  }

  @Override
  protected Protocol protocol() {
    return Protocol.HTTP_1_0; // What the pool hands an HTTP/1.0 provider chosen for HTTP/1.1.
  }
}
// end snippet
