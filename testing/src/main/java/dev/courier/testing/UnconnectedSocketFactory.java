package dev.courier.testing;

import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Hands out only unconnected sockets, as an HTTP client's connector asks for them, so that a test
 * can watch, gate or break the sockets its client makes: a subclass implements {@link
 * #createSocket()}. The overloads that would connect at once are refused with {@link
 * UnsupportedOperationException}, so a client that calls them fails the test.
 */
public abstract class UnconnectedSocketFactory extends SocketFactory {
  /** Returns a new unconnected socket for the client to connect. */
  @Override
  public abstract Socket createSocket();

  /** Refuses: throws {@link UnsupportedOperationException}. */
  @Override
  public Socket createSocket(String host, int port) {
    throw new UnsupportedOperationException();
  }

  /** Refuses: throws {@link UnsupportedOperationException}. */
  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
    throw new UnsupportedOperationException();
  }

  /** Refuses: throws {@link UnsupportedOperationException}. */
  @Override
  public Socket createSocket(InetAddress host, int port) {
    throw new UnsupportedOperationException();
  }

  /** Refuses: throws {@link UnsupportedOperationException}. */
  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
    throw new UnsupportedOperationException();
  }
}
