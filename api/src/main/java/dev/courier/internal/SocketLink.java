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
  /**
   * The most bytes one TLS record takes on the wire: a 5-byte header and at most 2^14 bytes of
   * plaintext with 256 bytes of expansion (RFC 8446 §5.2; TLS 1.2's limit is 2^14 + 2048, but no
   * cipher suite the JDK enables expands a record by more than 256 bytes).
   */
  static final int MAX_TLS_RECORD_BYTES = 5 + (1 << 14) + 256;

  private final Socket socket;
  /** The TCP socket under a TLS socket, or null for a TCP socket. */
  private final Socket underTls;
  /**
   * The sink writing to the TLS socket, or null for a TCP socket: {@link #close()} asks it whether
   * a write is in flight.
   */
  private final SocketSink tlsWrites;
  private final ReentrantLock probeLock = new ReentrantLock();

  /** Creates a link over {@code socket}. */
  public SocketLink(Socket socket) {
    this.socket = Objects.requireNonNull(socket, "socket == null");
    this.underTls = null;
    this.tlsWrites = null;
  }

  /**
   * Creates a link over {@code tlsSocket}, a TLS socket layered over the TCP socket {@code
   * tcpSocket} (which lets {@link #readsWithoutWaiting()} count the encrypted bytes received),
   * written by {@code writes}. Its {@link #close()} sends the TLS closing alert when no write is in
   * flight and the alert goes out within a second, and otherwise closes the TCP socket first,
   * without the alert, so that a write blocked on a peer that stopped reading fails at once
   * instead of holding the close (see {@link SocketSink#closeTls}).
   *
   * @param writes a sink built over this same {@code tlsSocket} and {@code tcpSocket} ({@link
   *     SocketSink#SocketSink(Socket, Socket, String)}): its lock is what tells whether a write is
   *     in flight, and the TCP socket it closes is the one under {@code tlsSocket}
   * @throws NullPointerException if an argument is null
   */
  public SocketLink(Socket tlsSocket, Socket tcpSocket, SocketSink writes) {
    this.socket = Objects.requireNonNull(tlsSocket, "tlsSocket == null");
    this.underTls = Objects.requireNonNull(tcpSocket, "tcpSocket == null");
    this.tlsWrites = Objects.requireNonNull(writes, "writes == null");
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

  /**
   * Returns true if the socket holds bytes; over TLS, if it holds decrypted bytes, or the TCP
   * socket under it holds at least one whole record of the largest size, so that the next read
   * decrypts a record without waiting for more of it.
   */
  @Override
  public boolean readsWithoutWaiting() {
    return bytesReadableWithoutWaiting() > 0;
  }

  /**
   * Returns the bytes the socket holds (one system call); over TLS, the decrypted bytes it holds,
   * else 1 if the TCP socket under it holds at least one whole record of the largest size (its
   * plaintext is not known before it is decrypted), else 0. A closed or broken socket counts 1:
   * the next read fails at once.
   */
  @Override
  public int bytesReadableWithoutWaiting() {
    int readable;
    try {
      readable = socket.getInputStream().available();
    } catch (IOException e) {
      return 1; // The socket is closed or broken: the next read fails at once.
    }
    if (readable > 0 || underTls == null) {
      return readable;
    }
    try {
      return underTls.getInputStream().available() >= MAX_TLS_RECORD_BYTES ? 1 : 0;
    } catch (IOException e) {
      return 1; // The next read fails at once.
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
    if (tlsWrites != null) {
      tlsWrites.closeTls(socket);
    } else {
      SocketSink.closeQuietly(socket);
    }
  }

  @Override
  public String toString() {
    return "SocketLink{" + socket + "}";
  }
}
