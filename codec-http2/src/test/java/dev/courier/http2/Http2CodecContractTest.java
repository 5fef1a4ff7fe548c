package dev.courier.http2;

import dev.courier.Protocol;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.testing.contract.ExchangeCodecContract;

/** Runs the codec contract kit against the built-in HTTP/2 codec, with prior knowledge. */
class Http2CodecContractTest extends ExchangeCodecContract {
  @Override
  protected ProtocolConnectionProvider provider() {
    return new Http2ConnectionProvider();
  }

  @Override
  protected Protocol protocol() {
    return Protocol.H2_PRIOR_KNOWLEDGE;
  }
}
