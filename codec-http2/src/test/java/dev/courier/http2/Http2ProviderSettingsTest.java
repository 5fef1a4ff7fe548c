package dev.courier.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProviderSettings;
import dev.courier.spi.Transport;
import dev.courier.testing.ThreadLeakExtension;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The provider's settings reach the wire: a raw peer reads the SETTINGS and WINDOW_UPDATE sent. */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class Http2ProviderSettingsTest {
  private static final int INITIAL_WINDOW_SIZE = 0x4;
  private static final int MAX_HEADER_LIST_SIZE = 0x6;

  private final Http2ConnectionProvider provider = new Http2ConnectionProvider();

  private static ConnectionOptions options(Map<String, String> settings) {
    return new ConnectionOptions(0, 5_000, 5_000, 5_000, ProviderSettings.of("courier-http2", settings));
  }

  private static Transport connect(ServerSocket server) throws IOException {
    Address address = new Address("127.0.0.1", server.getLocalPort(), Dns.SYSTEM, SocketFactory.getDefault(),
        null, null, null, Authenticator.NONE, Proxy.NO_PROXY, ProxySelector.getDefault(),
        List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    InetSocketAddress socketAddress = new InetSocketAddress("127.0.0.1", server.getLocalPort());
    Socket socket = new Socket();
    socket.connect(socketAddress, 5_000);
    return new Transport(socket, Okio.buffer(Okio.source(socket)), Okio.buffer(Okio.sink(socket)),
        new Route(address, Proxy.NO_PROXY, socketAddress), null, Protocol.H2_PRIOR_KNOWLEDGE);
  }

  @Test
  void windowAndHeaderListSettingsAreAnnounced() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Transport transport = connect(server);
      ProtocolConnection connection = provider.create(transport, options(Map.of(
          "streamWindowSize", "1048576", "connectionWindowSize", "2097152", "maxHeaderListSize", "65536")),
          ProtocolConnection.Listener.NONE);
      try (Socket peer = server.accept()) {
        DataInputStream in = new DataInputStream(peer.getInputStream());
        in.readFully(new byte[24]); // The connection preface.

        Map<Integer, Long> settings = new HashMap<>();
        int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
        assertThat(in.readUnsignedByte()).isEqualTo(0x4); // SETTINGS
        in.readUnsignedByte();
        in.readInt();
        for (int i = 0; i < length / 6; i++) {
          settings.put(in.readUnsignedShort(), in.readInt() & 0xffffffffL);
        }
        int updateLength = in.readUnsignedShort() << 8 | in.readUnsignedByte();
        int updateType = in.readUnsignedByte();
        in.readUnsignedByte();
        in.readInt();
        long increment = in.readInt() & 0x7fffffffL;

        assertThat(settings).containsEntry(INITIAL_WINDOW_SIZE, 1_048_576L)
            .containsEntry(MAX_HEADER_LIST_SIZE, 65_536L);
        assertThat(updateLength).isEqualTo(4);
        assertThat(updateType).isEqualTo(0x8); // WINDOW_UPDATE
        assertThat(increment).isEqualTo(2_097_152L - 65_535L);
      } finally {
        connection.close();
      }
    }
  }

  @Test
  void malformedSettingFailsNamingTheProvider() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Transport transport = connect(server);
      try {
        assertThatThrownBy(() -> provider.create(transport, options(Map.of("streamWindowSize", "1024")),
            ProtocolConnection.Listener.NONE))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'courier-http2'")
            .hasMessageContaining("streamWindowSize");
        assertThatThrownBy(() -> provider.create(transport, options(Map.of("maxHeaderListSize", "big")),
            ProtocolConnection.Listener.NONE))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'maxHeaderListSize'");
      } finally {
        transport.link().close();
      }
    }
  }

  @Test
  void sameSettingsGiveTheSameConfigurationWithoutParsingAgain() {
    ProviderSettings settings = ProviderSettings.of("courier-http2", Map.of("streamWindowSize", "131072"));

    assertThat(provider.config(settings)).isSameAs(provider.config(settings));
    assertThat(provider.config(settings).streamWindowSize()).isEqualTo(131_072);
    assertThat(provider.config(ProviderSettings.of("courier-http2", Map.of())))
        .isSameAs(dev.courier.http2.internal.Http2Config.DEFAULT);
  }
}
