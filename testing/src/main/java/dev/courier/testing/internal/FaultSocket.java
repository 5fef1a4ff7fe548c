package dev.courier.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Holds one accepted connection of a fault-injection server: the TCP socket and, once {@link
 * #handshake} ran, the server-side TLS socket layered on it; and ends the connection the ways the
 * faults need, orderly or with a reset.
 *
 * <p>{@link #abort()} may be called from any thread; everything else belongs to the connection's
 * own thread.
 */
public final class FaultSocket {
  /**
   * How long a reset waits after the last response byte was written. A reset makes the client's
   * kernel drop received bytes its reader has not taken yet, so without this pause a client
   * would often see "connection reset" before the partial response the fault is meant to show.
   * It narrows that race but cannot close it; what the client read is up to the scheduler.
   */
  private static final long RESET_PAUSE_MILLIS = 100;

  /** How long an orderly close waits for the client to close its side before closing anyway. */
  private static final int DRAIN_TIMEOUT_MILLIS = 2_000;

  private final Socket tcp;
  private volatile SSLSocket tls;

  /** Wraps the accepted socket {@code tcp}. */
  public FaultSocket(Socket tcp) {
    this.tcp = tcp;
  }

  /**
   * Runs a server-side TLS handshake over the TCP socket with {@code context}, offering {@code
   * alpnProtocol} in ALPN, and makes later reads and writes go through TLS. A client offering no
   * ALPN at all is accepted for {@code http/1.1}.
   *
   * @throws IOException if the handshake fails, or the client did not agree on {@code
   *     alpnProtocol}
   */
  public void handshake(SSLContext context, String alpnProtocol, int timeoutMillis) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, null, true);
    socket.setUseClientMode(false);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {alpnProtocol});
    socket.setSSLParameters(parameters);
    tls = socket;
    tcp.setSoTimeout(timeoutMillis);
    socket.startHandshake();
    tcp.setSoTimeout(0);
    String selected = socket.getApplicationProtocol();
    boolean http1WithoutAlpn = alpnProtocol.equals("http/1.1") && (selected == null || selected.isEmpty());
    if (!alpnProtocol.equals(selected) && !http1WithoutAlpn) {
      throw new IOException("client did not negotiate " + alpnProtocol + " in ALPN but '"
          + socket.getApplicationProtocol() + "'");
    }
  }

  /** Returns the stream to read requests from, decrypted when TLS is up. */
  public InputStream in() throws IOException {
    SSLSocket secure = tls;
    return secure != null ? secure.getInputStream() : tcp.getInputStream();
  }

  /** Returns the stream to write responses to, encrypted when TLS is up. */
  public OutputStream out() throws IOException {
    SSLSocket secure = tls;
    return secure != null ? secure.getOutputStream() : tcp.getOutputStream();
  }

  /**
   * Ends the connection as a {@code reset} fault asks ({@link #reset()}) or else in order ({@link
   * #closeOrderly()}). A reset after {@code wroteBytes} first pauses briefly so that the client
   * can read them.
   */
  public void end(boolean reset, boolean wroteBytes) {
    if (!reset) {
      closeOrderly();
      return;
    }
    if (wroteBytes) {
      try {
        Thread.sleep(RESET_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    reset();
  }

  /**
   * Closes the connection in order: {@code close_notify} when TLS is up, then a TCP FIN; then
   * reads and discards whatever the client still sends until it closes (at most {@value
   * #DRAIN_TIMEOUT_MILLIS} ms), so that unread bytes do not make the kernel send a reset, and
   * closes the socket.
   */
  public void closeOrderly() {
    try {
      SSLSocket secure = tls;
      if (secure != null) {
        try {
          secure.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
          // The TLS layer may already be closed; the FIN below still goes out.
        }
      }
      if (!tcp.isOutputShutdown() && !tcp.isClosed()) {
        tcp.shutdownOutput();
      }
      tcp.setSoTimeout(DRAIN_TIMEOUT_MILLIS);
      InputStream in = tcp.getInputStream();
      byte[] discard = new byte[8192];
      while (in.read(discard) != -1) {
        // Discard until the client closes.
      }
    } catch (SocketTimeoutException e) {
      // The client kept its side open; close anyway.
    } catch (IOException e) {
      // The client reset or the socket is closed; nothing left to drain.
    } finally {
      closeQuietly();
    }
  }

  /** Aborts the connection with a TCP reset: SO_LINGER 0, then close, with no TLS alert. */
  public void reset() {
    try {
      tcp.setSoLinger(true, 0);
    } catch (IOException e) {
      // Already closed: there is nothing to reset.
    }
    closeQuietly();
  }

  /** Closes the TCP socket at once, from any thread; idempotent. */
  public void abort() {
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      // Closing the TCP socket, not the TLS one, so no close_notify is attempted on a dead link.
      tcp.close();
    } catch (IOException e) {
      // Nothing more can be done for a socket that fails to close.
    }
  }
}
