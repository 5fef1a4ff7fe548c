package dev.courier.internal;

import dev.courier.spi.TransportLink;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/** Links a transport to a TCP or TLS socket. Thread-safe. */
public final class SocketLink implements TransportLink {
  private final Socket socket;
  private final ReentrantLock probeLock = new ReentrantLock();

  /** Creates a link over {@code socket}. */
  public SocketLink(Socket socket) {
    this.socket = Objects.requireNonNull(socket, "socket == null");
  }

  @Override
  public boolean isOpen() {
    return !socket.isClosed() && !socket.isInputShutdown() && !socket.isOutputShutdown();
  }

  /** Asks the socket how many bytes it holds; over TLS, encrypted bytes are not counted. */
  @Override
  public boolean hasReadableBytes() {
    try {
      return socket.getInputStream().available() > 0;
    } catch (IOException e) {
      return true; // The socket is closed or broken: nothing clean can be said about it.
    }
  }

  /** Reads with a socket timeout of {@code timeoutMillis}, restoring the previous timeout after. */
  @Override
  public boolean staysQuiet(int timeoutMillis) {
    probeLock.lock();
    try {
      int originalTimeout = socket.getSoTimeout();
      try {
        socket.setSoTimeout(Math.max(1, timeoutMillis));
        InputStream in = socket.getInputStream();
        in.read(); // Either a stray byte or the end of the stream: both are unhealthy.
      } finally {
        socket.setSoTimeout(originalTimeout);
      }
      return false;
    } catch (SocketTimeoutException e) {
      return true; // Nothing to read and no end of stream: the peer keeps the socket open.
    } catch (IOException e) {
      return false;
    } finally {
      probeLock.unlock();
    }
  }

  @Override
  public Socket socket() {
    return socket;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // The socket is unusable either way.
    }
  }

  @Override
  public String toString() {
    return "SocketLink{" + socket + "}";
  }
}
