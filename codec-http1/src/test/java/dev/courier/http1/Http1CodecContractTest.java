package dev.courier.http1;

import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.testing.contract.ExchangeCodecContract;

/** Runs the codec contract kit against the built-in HTTP/1.1 codec. */
class Http1CodecContractTest extends ExchangeCodecContract {
  @Override
  protected ProtocolConnectionProvider provider() {
    return new Http1ConnectionProvider();
  }
}
