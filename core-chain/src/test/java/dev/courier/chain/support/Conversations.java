package dev.courier.chain.support;

import dev.courier.chain.CourierClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * Runs one {@link RawHttpPeer} conversation in cleartext or over TLS with the test authority's
 * certificate, for tests that check the same misbehaviour both ways, and makes the client and URL
 * that reach it.
 */
public final class Conversations {
  private Conversations() {}

  /** A peer's conversation over the (possibly TLS) streams of one connection. */
  @FunctionalInterface
  public interface Conversation {
    /** Talks to the client over connection number {@code index} (0 for the first). */
    void run(int index, InputStream in, OutputStream out) throws Exception;
  }

  /** Returns a script that runs {@code conversation}, after a TLS handshake if {@code tls}. */
  public static RawHttpPeer.Script serving(boolean tls, Conversation conversation) {
    return (index, socket, in, out) -> {
      if (!tls) {
        conversation.run(index, in, out);
        return;
      }
      SSLSocket secure = (SSLSocket) TestTls.serverContext().getSocketFactory()
          .createSocket(socket, null, socket.getPort(), true);
      secure.setUseClientMode(false);
      secure.setEnabledProtocols(new String[] {"TLSv1.2", "TLSv1.3"});
      secure.startHandshake();
      try (Socket closing = secure) {
        conversation.run(index, secure.getInputStream(), secure.getOutputStream());
      }
    };
  }

  /** Returns a client of {@code chain} with the read timeout given, trusting the test authority if {@code tls}. */
  public static CourierClient client(ChainTestExtension chain, boolean tls, int readTimeoutMillis) {
    return chain.client(builder -> {
      builder.readTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS);
      if (tls) {
        TestTls.trustTestAuthority(builder);
        builder.dns(TestTls.LOOPBACK_DNS);
      }
    });
  }

  /** Returns the URL of {@code path} on {@code peer}, https at localhost if {@code tls}. */
  public static String url(RawHttpPeer peer, boolean tls, String path) {
    return tls ? "https://localhost:" + peer.port() + path : peer.url(path);
  }
}
