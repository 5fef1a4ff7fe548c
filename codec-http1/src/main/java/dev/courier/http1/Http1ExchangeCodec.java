package dev.courier.http1;

import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.RequestBody;
import dev.courier.http1.toolkit.BodyFraming;
import dev.courier.http1.toolkit.ExchangeStreamListener;
import dev.courier.http1.toolkit.Framing;
import dev.courier.http1.toolkit.HeadReader;
import dev.courier.http1.toolkit.RequestHeadWriter;
import dev.courier.http1.toolkit.StatusLine;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.UpgradedStreams;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Sink;
import okio.Source;

/**
 * Carries one HTTP/1.1 exchange over an {@link Http1Connection} (RFC 9112).
 *
 * <p>The exchange moves through these states, and calling a method out of order throws
 * {@link IllegalStateException}: idle → request headers written (request body may be opened) →
 * writing the request body → reading the response head → response head read (body may be opened)
 * → reading the response body → closed. Interim (1xx) responses leave the state unchanged; {@code
 * 101 Switching Protocols} is treated as final and leaves the connection unusable.
 *
 * <p>The codec owns the message framing and is built on the public
 * {@linkplain dev.courier.http1.toolkit HTTP/1.x toolkit}. A request body is sent with {@code
 * Content-Length} when its length is known and in chunked coding when it is not (or when the
 * request asks for chunked coding); any {@code Content-Length} or {@code Transfer-Encoding} the
 * request carries is replaced by the framing actually used. No {@code Connection} field is added:
 * HTTP/1.1 connections persist by default.
 *
 * <p>Response bodies are framed by RFC 9112 §6.3: none for HEAD, 1xx, 204 and 304; chunked when
 * the last transfer coding is chunked (it wins over {@code Content-Length}); otherwise by {@code
 * Content-Length}; otherwise until the server closes, which leaves the connection unusable. So do
 * an I/O failure, {@code Connection: close} on either message, an HTTP/1.0 response without {@code
 * Connection: keep-alive}, a response that arrives before the request body was sent, and bytes
 * waiting after the end of a response (a body longer than its {@code Content-Length}, or bytes
 * after a 204, a 304 or a response to HEAD): they are never read as the next response.
 *
 * <p>Not thread-safe: one thread drives the exchange, except that {@link #cancel()} may be called
 * from any thread.
 */
public final class Http1ExchangeCodec implements ExchangeCodec {
  private static final int IDLE = 0;
  private static final int OPEN_REQUEST_BODY = 1;
  private static final int WRITING_REQUEST_BODY = 2;
  private static final int READ_RESPONSE_HEADERS = 3;
  private static final int OPEN_RESPONSE_BODY = 4;
  private static final int READING_RESPONSE_BODY = 5;
  private static final int CLOSED = 6;

  /** Marks that no final response head was read yet, so its body framing is unknown. */
  private static final long FRAMING_UNKNOWN = -2L;

  private final Http1Connection connection;
  private final HeadReader headReader;
  private final boolean absoluteFormTarget;
  private final BufferedSource source;
  private final BufferedSink sink;
  private final String peer;
  private final Streams streams = new Streams();
  private volatile int state = IDLE;
  private Request request;
  private boolean requestBodyPending;
  private BodyFraming requestFraming = BodyFraming.NONE;
  private long requestBodyLength;
  private long responseBodyLength = FRAMING_UNKNOWN;
  private BodyFraming responseFraming = BodyFraming.NONE;
  private Headers trailers;

  Http1ExchangeCodec(Http1Connection connection, HeadReader headReader, boolean absoluteFormTarget) {
    this.connection = connection;
    this.headReader = headReader;
    this.absoluteFormTarget = absoluteFormTarget;
    this.source = connection.transport().source();
    this.sink = connection.transport().sink();
    this.peer = connection.peer();
  }

  @Override
  public ProtocolConnection connection() {
    return connection;
  }

  /**
   * Encodes the request line and headers into the connection's buffer; complete segments may be
   * written at once, the rest on flush. The target is the path and query, or the absolute URL when
   * the route goes through a plain-text HTTP proxy. A request with a body gets {@code
   * Content-Length} from {@link RequestBody#contentLength()}, or {@code Transfer-Encoding:
   * chunked} when that is -1 or the request asks for chunked coding.
   *
   * @throws IllegalStateException if headers were already written
   */
  @Override
  public void writeRequestHeaders(Request request) throws IOException {
    checkState(IDLE, "writeRequestHeaders");
    this.request = request;
    RequestBody body = request.body();
    this.requestBodyPending = body != null;
    this.requestBodyLength = body == null ? 0L : body.contentLength();
    Buffer buffer = sink.getBuffer();
    RequestHeadWriter.writeRequestLine(buffer, request.method(), request.url(), absoluteFormTarget,
        RequestHeadWriter.HTTP_1_1);
    requestFraming = RequestHeadWriter.writeFieldsAndFraming(buffer, request, requestBodyLength);
    RequestHeadWriter.writeEnd(buffer);
    state = OPEN_REQUEST_BODY;
    if (Framing.hasConnectionToken(request.headers(), "close")) {
      connection.markUnusable();
    }
    try {
      sink.emitCompleteSegments();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /**
   * Returns a sink that frames the request body as the headers announced: chunked, or exactly the
   * announced {@code Content-Length} bytes. Closing a chunked sink writes the body's trailers
   * after the last chunk; closing a fixed-length sink throws {@link java.net.ProtocolException} if
   * the body has trailers or another length than announced, as does a trailer field forbidden by
   * RFC 9110 §6.5.1. Either failure leaves the connection unusable.
   *
   * @param contentLength ignored: the length was read from the body when the headers were written
   * @throws IllegalStateException if the headers were not just written, or the request written
   *     had no body
   */
  @Override
  public Sink createRequestBody(Request request, long contentLength) {
    checkState(OPEN_REQUEST_BODY, "createRequestBody");
    if (requestFraming == BodyFraming.NONE) {
      throw new IllegalStateException("createRequestBody() for a request to " + peer
          + " whose headers were written without a body");
    }
    state = WRITING_REQUEST_BODY;
    return requestFraming.newSink(sink, connection.transport().unbufferedSink(), peer, streams,
        this.request.body(), requestBodyLength);
  }

  @Override
  public void flushRequest() throws IOException {
    try {
      sink.flush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /**
   * Flushes the request and marks it complete.
   *
   * @throws IllegalStateException if no headers were written or the request body is still open
   */
  @Override
  public void finishRequest() throws IOException {
    int current = state;
    if (current == IDLE || current == WRITING_REQUEST_BODY) {
      throw new IllegalStateException(current == IDLE
          ? "finishRequest() before writeRequestHeaders()"
          : "finishRequest() before the request body sink was closed");
    }
    if (current == OPEN_REQUEST_BODY) {
      state = READ_RESPONSE_HEADERS;
    }
    flushRequest();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The builder carries the request, protocol ({@code HTTP_1_0} or {@code HTTP_1_1} as the
   * status line says), code, message, headers and TLS handshake.
   *
   * @throws java.net.ProtocolException if the status line or a header line is malformed, the head
   *     exceeds the connection's {@link dev.courier.http1.toolkit.Http1Limits#maxHeadBytes()}, or
   *     {@code Content-Length} is invalid
   * @throws IOException if the stream ends before the head, naming the server
   * @throws IllegalStateException if the request was not written, or a final response was read
   */
  @Override
  public Response.Builder readResponseHeaders(boolean expectContinue) throws IOException {
    int current = state;
    if (current != OPEN_REQUEST_BODY && current != READ_RESPONSE_HEADERS) {
      throw new IllegalStateException("readResponseHeaders() in state " + stateName(current));
    }
    try {
      StatusLine status = headReader.readStatusLine();
      Headers headers = headReader.readHeaders();
      if (status.isInterim() && expectContinue && status.code() == 100) {
        return null;
      }
      Response.Builder builder = new Response.Builder()
          .request(request)
          .protocol(status.protocol())
          .code(status.code())
          .message(status.message())
          .headers(headers)
          .handshake(connection.transport().handshake());
      if (!status.isInterim()) {
        frameResponseBody(status, headers);
        state = OPEN_RESPONSE_BODY;
      }
      return builder;
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /**
   * Returns the length of the response body as framed on the wire: 0 for HEAD, 1xx, 204 and 304,
   * -1 for chunked bodies and bodies that end when the connection closes, else {@code
   * Content-Length}. Before a final head was read by this codec, {@code response}'s headers decide.
   *
   * @throws java.net.ProtocolException if {@code Content-Length} is invalid
   */
  @Override
  public long reportedContentLength(Response response) throws IOException {
    if (responseBodyLength != FRAMING_UNKNOWN) {
      return responseBodyLength;
    }
    Headers headers = response.headers();
    if (!Framing.responseMayHaveBody(response.request().method(), response.code())) {
      return 0L;
    }
    if (Framing.hasTransferEncoding(headers)) {
      return -1L;
    }
    return Framing.contentLength(headers, peer);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The framing is that of the head read by {@link #readResponseHeaders}; a body that cannot
   * exist yields a source that is at its end already.
   *
   * @throws IllegalStateException if no final response head was read, or the body was opened
   */
  @Override
  public Source openResponseBodySource(Response response) {
    checkState(OPEN_RESPONSE_BODY, "openResponseBodySource");
    state = READING_RESPONSE_BODY;
    return responseFraming.newSource(source, connection.transport().unbufferedSource(), headReader,
        streams, responseBodyLength);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Returns the connection's own streams, read timeout removed, as they stand after the 101
   * head: bytes the server sent right behind it are the first ones read. The connection was made
   * unusable for HTTP when the 101 was read; closing the streams closes its socket.
   *
   * @throws java.net.ProtocolException if {@code response} is not a 101 read by this codec
   * @throws IllegalStateException if the body or the streams were opened already
   */
  @Override
  public UpgradedStreams upgradedStreams(Response response) throws IOException {
    if (response.code() != 101) {
      throw new java.net.ProtocolException("Expected 101 Switching Protocols from " + peer
          + " but was " + response.code());
    }
    checkState(OPEN_RESPONSE_BODY, "upgradedStreams");
    state = READING_RESPONSE_BODY;
    source.timeout().timeout(0L, java.util.concurrent.TimeUnit.MILLISECONDS);
    return new UpgradedStreams() {
      @Override
      public BufferedSource source() {
        return source;
      }

      @Override
      public BufferedSink sink() {
        return sink;
      }

      @Override
      public void cancel() {
        connection.cancel();
      }

      @Override
      public void close() {
        state = CLOSED;
        connection.cancel();
      }
    };
  }

  /**
   * Returns the trailers of a chunked response; empty for other responses and when none were sent.
   *
   * @throws IllegalStateException if the response body has not been read to its end
   */
  @Override
  public Headers trailers() {
    Headers result = trailers;
    if (result == null) {
      throw new IllegalStateException("The response body from " + peer
          + " has not been read to the end; trailers come after it");
    }
    return result;
  }

  /** Closes the connection's socket, so that a blocked read or write fails at once. Idempotent. */
  @Override
  public void cancel() {
    connection.cancel();
  }

  @Override
  public String toString() {
    return "Http1ExchangeCodec{" + peer + ", " + stateName(state) + "}";
  }

  /**
   * Returns true if this exchange no longer uses the connection: it was never started, or its
   * response body has ended (or cannot exist and was not opened).
   */
  boolean hasEnded() {
    int current = state;
    return current == IDLE || current == CLOSED
        || (current == OPEN_RESPONSE_BODY && responseBodyLength == 0L);
  }

  /** Decides how the final response's body is framed and whether the connection stays usable. */
  private void frameResponseBody(StatusLine status, Headers headers) throws IOException {
    int code = status.code();
    boolean reusable = !Framing.hasConnectionToken(headers, "close")
        && (status.protocol() != Protocol.HTTP_1_0 || Framing.hasConnectionToken(headers, "keep-alive"));
    if (requestBodyPending) {
      reusable = false; // The server may still be waiting for the body we did not send.
    }
    responseFraming = BodyFraming.ofResponse(request.method(), code, headers);
    switch (responseFraming) {
      case NONE:
        responseBodyLength = 0L;
        if (code == 101 || (code == 204 && hasBodyFraming(headers))) {
          reusable = false; // A switched protocol or a 204 claiming a body leaves framing unknown.
        }
        break;
      case FIXED_LENGTH:
        responseBodyLength = Framing.contentLength(headers, peer);
        break;
      case CHUNKED:
        responseBodyLength = -1L;
        if (headers.get("Content-Length") != null) {
          reusable = false; // Both framings: a sign of response smuggling.
        }
        break;
      default:
        responseBodyLength = -1L;
        reusable = false; // The body ends when the server closes the connection.
        break;
    }
    if (responseBodyLength == 0L && connection.hasBufferedBytes()) {
      reusable = false; // The response has ended; whatever follows it was not asked for.
    }
    if (!reusable) {
      connection.markUnusable();
    }
  }

  private static boolean hasBodyFraming(Headers headers) {
    String contentLength = headers.get("Content-Length");
    return (contentLength != null && !contentLength.trim().equals("0"))
        || Framing.hasTransferEncoding(headers);
  }

  private void checkState(int expected, String method) {
    int current = state;
    if (current != expected) {
      throw new IllegalStateException(method + "() in state " + stateName(current)
          + "; expected " + stateName(expected));
    }
  }

  private IOException failed(IOException e) {
    connection.markUnusable();
    return e;
  }

  private static String stateName(int state) {
    switch (state) {
      case IDLE: return "IDLE";
      case OPEN_REQUEST_BODY: return "OPEN_REQUEST_BODY";
      case WRITING_REQUEST_BODY: return "WRITING_REQUEST_BODY";
      case READ_RESPONSE_HEADERS: return "READ_RESPONSE_HEADERS";
      case OPEN_RESPONSE_BODY: return "OPEN_RESPONSE_BODY";
      case READING_RESPONSE_BODY: return "READING_RESPONSE_BODY";
      case CLOSED: return "CLOSED";
      default: return "UNKNOWN(" + state + ")";
    }
  }

  /** Advances the state as the body streams end, and leaves the connection unusable on failure. */
  private final class Streams implements ExchangeStreamListener {
    @Override
    public void requestBodyClosed() {
      requestBodyPending = false;
      if (state == WRITING_REQUEST_BODY) {
        state = READ_RESPONSE_HEADERS;
      }
    }

    @Override
    public void requestBodyFailed() {
      connection.markUnusable();
      if (state == WRITING_REQUEST_BODY) {
        state = READ_RESPONSE_HEADERS; // The server may have answered early; let the caller read it.
      }
    }

    @Override
    public void responseBodyEnded(Headers trailers) {
      Http1ExchangeCodec.this.trailers = trailers;
      state = CLOSED;
      if (connection.hasBufferedBytes()) {
        connection.markUnusable(); // Bytes beyond the framed end: a response nobody asked for.
      }
    }

    @Override
    public void responseBodyFailed() {
      connection.markUnusable();
      state = CLOSED;
    }
  }
}
