package dev.courier.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** Wraps a TLS socket factory and adjusts each socket it makes, as a user's factory might. */
final class DelegatingSslSocketFactory extends SSLSocketFactory {
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

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return adjusted(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return adjusted(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return adjusted(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return adjusted(delegate.createSocket(address, port, localAddress, localPort));
  }
}
