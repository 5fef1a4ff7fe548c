package dev.courier.tls;

import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A TLS socket factory for tests that only layers TLS over a socket already connected, as Courier
 * asks of one; the overloads that would connect a socket themselves throw {@link
 * UnsupportedOperationException}, so a test notices if they are ever called.
 */
abstract class LayeringSslSocketFactory extends SSLSocketFactory {
  @Override
  public final Socket createSocket(String host, int port) {
    throw unsupported();
  }

  @Override
  public final Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
    throw unsupported();
  }

  @Override
  public final Socket createSocket(InetAddress host, int port) {
    throw unsupported();
  }

  @Override
  public final Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
    throw unsupported();
  }

  private UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException(getClass().getSimpleName()
        + " only layers TLS over a connected socket");
  }
}
