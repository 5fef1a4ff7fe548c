package dev.courier.http2.internal;

import dev.courier.Headers;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.UpgradedStreams;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okio.Sink;
import okio.Source;

/**
 * Carries one exchange on one HTTP/2 stream. The stream is opened by
 * {@link #writeRequestHeaders}: HEADERS with END_STREAM when the request has no body.
 *
 * <p>Closing the request body sink sends the body's {@link dev.courier.RequestBody#trailers()
 * trailers}, if any, as a HEADERS frame with END_STREAM after the last DATA frame; without trailers
 * the last DATA frame carries END_STREAM. A request body may be written while the response is read
 * (duplex). {@link #cancel()} resets the stream with CANCEL
 * and may be called from any thread; the connection stays usable for other exchanges.
 */
public final class Http2ExchangeCodec implements ExchangeCodec {
  private final Http2Connection connection;
  private final ExchangeOptions options;
  private volatile Http2Stream stream;
  private volatile boolean canceled;
  private Request request;
  /** The protocol of an extended CONNECT (RFC 8441) this exchange opened, or null. */
  private String connectProtocol;

  Http2ExchangeCodec(Http2Connection connection, ExchangeOptions options) {
    this.connection = connection;
    this.options = options;
  }

  @Override
  public ProtocolConnection connection() {
    return connection;
  }

  /**
   * Opens the stream and writes HEADERS.
   *
   * @throws dev.courier.ConnectionShutdownException if the connection takes no new streams
   * @throws IllegalStateException if the headers were written already
   */
  @Override
  public void writeRequestHeaders(Request request) throws IOException {
    if (stream != null) {
      throw new IllegalStateException("request headers already written");
    }
    if (canceled) {
      throw new IOException("exchange with " + connection.peer + " was canceled");
    }
    this.request = request;
    Http2Stream opened = connection.newStream(request, null, request.body() == null, options, new Canceled());
    stream = opened;
    if (canceled) {
      opened.reset(ErrorCodes.CANCEL, null);
      throw new IOException("exchange with " + connection.peer + " was canceled");
    }
  }

  /**
   * Opens the stream with an extended CONNECT for {@code protocol} (RFC 8441 §4) once the
   * server's SETTINGS allow it, waiting for them up to the read timeout. The stream stays open
   * for {@link #upgradedStreams} to carry the protocol's bytes after a 2xx response.
   *
   * @return false, opening no stream, if the server did not enable the extended CONNECT protocol
   * @throws java.net.SocketTimeoutException if the server's SETTINGS did not arrive in time
   * @throws dev.courier.ConnectionShutdownException if the connection takes no new streams
   * @throws IllegalStateException if the request headers were written already
   */
  @Override
  public boolean writeExtendedConnectHeaders(Request request, String protocol) throws IOException {
    if (stream != null) {
      throw new IllegalStateException("request headers already written");
    }
    boolean enabled = connection.extendedConnect.awaitEnabled(
        TimeUnit.MILLISECONDS.toNanos(options.readTimeoutMillis()),
        new Canceled(), connection.peer);
    if (canceled) {
      throw new IOException("exchange with " + connection.peer + " was canceled");
    }
    if (!enabled) {
      return false;
    }
    this.request = request;
    this.connectProtocol = protocol;
    Http2Stream opened = connection.newStream(request, protocol, false, options, new Canceled());
    stream = opened;
    if (canceled) {
      opened.reset(ErrorCodes.CANCEL, null);
      throw new IOException("exchange with " + connection.peer + " was canceled");
    }
    return true;
  }

  /**
   * Hands over the stream of an extended CONNECT that {@code response} (2xx) accepted: its DATA
   * both ways, without a read timeout. Closing the streams ends the stream (END_STREAM, then
   * RST_STREAM(CANCEL) unless the server ended its side already); the connection carries on.
   *
   * @throws java.net.ProtocolException if this exchange was no extended CONNECT or
   *     {@code response} is not 2xx
   */
  @Override
  public UpgradedStreams upgradedStreams(Response response) throws IOException {
    if (connectProtocol == null) {
      throw new ProtocolException("the exchange with " + connection.peer
          + " was not an extended CONNECT, so it has no streams to hand over");
    }
    if (response.code() < 200 || response.code() >= 300) {
      throw new ProtocolException("the extended CONNECT to " + connection.peer
          + " was answered with " + response.code() + ", not 2xx: no tunnel is open");
    }
    return new StreamTunnel(requireStream());
  }

  @Override
  public Sink createRequestBody(Request request, long contentLength) throws IOException {
    return requireStream().newSink(contentLength, request.body());
  }

  @Override
  public void flushRequest() throws IOException {
    flush();
  }

  @Override
  public void finishRequest() throws IOException {
    flush();
  }

  /**
   * Flushes this exchange's frames. A request without a body has nothing to flush: its HEADERS
   * are its only frame, and whichever thread writes them flushes them.
   */
  private void flush() throws IOException {
    Http2Stream current = stream;
    if (current == null || !current.endStreamWithHeaders) {
      connection.flush();
    }
  }

  @Override
  public Response.Builder readResponseHeaders(boolean expectContinue) throws IOException {
    ResponseHeaders.Head head = requireStream().takeHead();
    if (expectContinue && head.code() == 100) {
      return null;
    }
    return new Response.Builder()
        .protocol(connection.protocol())
        .code(head.code())
        .message("")
        .headers(head.headers());
  }

  @Override
  public long reportedContentLength(Response response) throws IOException {
    int code = response.code();
    if ((request != null && request.method().equals("HEAD"))
        || (code >= 100 && code < 200) || code == 204 || code == 304) {
      return 0;
    }
    String contentLength = response.header("Content-Length");
    if (contentLength == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(contentLength.trim());
      return length >= 0 ? length : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public Source openResponseBodySource(Response response) throws IOException {
    return requireStream().source();
  }

  @Override
  public Headers trailers() throws IOException {
    return requireStream().trailers();
  }

  /** Resets the stream with CANCEL; threads blocked on it fail promptly. Idempotent, any thread. */
  @Override
  public void cancel() {
    canceled = true;
    connection.lock.lock();
    try {
      connection.extendedConnect.signalAll(); // A thread may be waiting for the SETTINGS.
    } finally {
      connection.lock.unlock();
    }
    Http2Stream current = stream;
    if (current != null) {
      current.reset(ErrorCodes.CANCEL, null);
    } else {
      connection.wakeStreamWaiters(); // A call waiting for room for its stream gives up.
    }
  }

  private Http2Stream requireStream() {
    Http2Stream current = stream;
    if (current == null) {
      throw new IllegalStateException("request headers not written yet");
    }
    return current;
  }

  /**
   * Whether this exchange was canceled; a named class rather than a lambda, whose class a cold JVM
   * would spin on the first call's path.
   */
  private final class Canceled implements BooleanSupplier {
    @Override
    public boolean getAsBoolean() {
      return canceled;
    }
  }
}
