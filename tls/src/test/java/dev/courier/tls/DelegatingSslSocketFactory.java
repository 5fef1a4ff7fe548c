package dev.courier.tls;

import java.io.IOException;
import java.net.Socket;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** Wraps a TLS socket factory and adjusts each socket it layers, as a user's factory might. */
final class DelegatingSslSocketFactory extends LayeringSslSocketFactory {
  private final SSLSocketFactory delegate;
  private final Consumer<SSLSocket> adjust;

  DelegatingSslSocketFactory(SSLSocketFactory delegate, Consumer<SSLSocket> adjust) {
    this.delegate = delegate;
    this.adjust = adjust;
  }

  private Socket adjusted(Socket socket) {
    adjust.accept((SSLSocket) socket);
    return socket;
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
    return adjusted(delegate.createSocket(socket, host, port, autoClose));
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }
}
