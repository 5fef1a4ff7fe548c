package dev.courier.examples.customcodec;

import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.testing.contract.ExchangeCodecContract;

/** Checks the example HTTP/1.0 codec with the same contract suite Courier's own codecs pass. */
class Http10CodecContractTest extends ExchangeCodecContract {
  @Override
  protected ProtocolConnectionProvider provider() {
    return new Http10ConnectionProvider();
  }
}
