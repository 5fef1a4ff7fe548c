package dev.courier.chain.support;

import dev.courier.Protocol;
import dev.courier.chain.CourierClient;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.util.List;

/** Sets up cleartext HTTP/2 with prior knowledge on both ends. */
public final class H2c {
  private H2c() {}

  /** Returns a started server of {@code chain} speaking only h2c. */
  public static TestServer server(ChainTestExtension chain) throws IOException {
    TestServer server = chain.unstartedServer();
    server.protocols(List.of("h2c"));
    server.start();
    return server;
  }

  /** Makes a client builder speak HTTP/2 with prior knowledge. */
  public static void priorKnowledge(CourierClient.Builder builder) {
    builder.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
  }
}
