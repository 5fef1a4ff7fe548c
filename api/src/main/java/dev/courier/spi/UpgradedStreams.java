package dev.courier.spi;

import java.io.Closeable;
import okio.BufferedSink;
import okio.BufferedSource;

/**
 * Carries the bytes of another protocol over an exchange whose request asked to switch protocols
 * and whose response agreed: for HTTP/1.1 the connection's own streams after {@code 101 Switching
 * Protocols} (the connection never carries HTTP again), for HTTP/2 the DATA frames of a stream
 * opened with an extended CONNECT (RFC 8441). A WebSocket reads and writes its frames here.
 *
 * <p>The streams have no read timeout (the protocol above keeps its own), and keep the exchange's
 * write timeout. One thread may read while another writes; {@link #cancel()} and {@link #close()}
 * may be called from any thread.
 */
public interface UpgradedStreams extends Closeable {
  /** Returns the stream of bytes from the peer. */
  BufferedSource source();

  /** Returns the stream of bytes to the peer; flush it to send what was written. */
  BufferedSink sink();

  /**
   * Ends the streams abruptly (for HTTP/1.1 closes the socket, for HTTP/2 resets the stream), so
   * that a thread blocked reading or writing fails at once. Idempotent.
   */
  void cancel();

  /**
   * Ends the streams once the protocol above is done with them and gives back what they hold; for
   * HTTP/1.1 the connection is then closed. Does not flush. Idempotent; never throws.
   */
  @Override
  void close();
}
