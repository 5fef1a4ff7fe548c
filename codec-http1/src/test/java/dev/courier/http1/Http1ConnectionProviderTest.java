package dev.courier.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.http1.toolkit.Http1Limits;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import java.net.ProtocolException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests that {@link Http1ConnectionProvider} is discovered and makes HTTP/1.1 connections. */
class Http1ConnectionProviderTest {
  @Test
  void providerLoaderFindsItThroughServiceRegistration() {
    List<ProtocolConnectionProvider> providers = ProviderLoader.load(ProtocolConnectionProvider.class,
        Http1ConnectionProviderTest.class.getClassLoader());

    assertThat(providers).hasAtLeastOneElementOfType(Http1ConnectionProvider.class);
    ProtocolConnectionProvider chosen = ProviderLoader.choose(ProtocolConnectionProvider.class,
        providers, "courier-http1");
    assertThat(chosen).isInstanceOf(Http1ConnectionProvider.class);
  }

  @Test
  void describesItself() {
    Http1ConnectionProvider provider = new Http1ConnectionProvider();

    assertThat(provider.name()).isEqualTo("courier-http1");
    assertThat(provider.priority()).isZero();
    assertThat(provider.protocols()).containsExactly(Protocol.HTTP_1_1);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void createsAConnectionOverTheTransport() throws Exception {
    try (RawServer server = RawServer.serve((in, out) -> RawServer.holdOpen())) {
      var transport = Transports.connect(server.host(), server.port());
      ProtocolConnection connection = new Http1ConnectionProvider()
          .create(transport, ConnectionOptions.DEFAULT, ProtocolConnection.Listener.NONE);
      try {
        assertThat(connection).isInstanceOf(Http1Connection.class);
        assertThat(connection.transport()).isSameAs(transport);
        assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
      } finally {
        connection.close();
      }
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void connectionsApplyTheProvidersLimits() throws Exception {
    Http1Limits limits = Http1Limits.builder().maxHeadBytes(64).build();
    Http1ConnectionProvider provider = new Http1ConnectionProvider(limits);
    assertThat(provider.limits()).isSameAs(limits);
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.1 200 OK\r\nX-Padding: " + "p".repeat(100) + "\r\nContent-Length: 0\r\n\r\n")) {
      ProtocolConnection connection = provider.create(Transports.connect(server.host(), server.port()),
          ConnectionOptions.DEFAULT, ProtocolConnection.Listener.NONE);
      try {
        ExchangeCodec codec = connection.newCodec(Exchanges.OPTIONS);
        Request request = new Request.Builder().url("http://" + server.host() + ":" + server.port() + "/")
            .build();

        assertThatThrownBy(() -> Exchanges.send(codec, request))
            .isInstanceOf(ProtocolException.class)
            .hasMessage("Response head from " + server.host() + ":" + server.port()
                + " exceeded the limit of 64 bytes");
        assertThat(connection.maxConcurrentExchanges()).isZero();
      } finally {
        connection.close();
      }
    }
  }
}
