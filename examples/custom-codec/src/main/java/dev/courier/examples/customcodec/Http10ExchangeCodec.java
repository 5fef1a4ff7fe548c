package dev.courier.examples.customcodec;

import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.http1.toolkit.BodyFraming;
import dev.courier.http1.toolkit.ExchangeStreamListener;
import dev.courier.http1.toolkit.Framing;
import dev.courier.http1.toolkit.HeadReader;
import dev.courier.http1.toolkit.RequestHeadWriter;
import dev.courier.http1.toolkit.StatusLine;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ProtocolConnection;
import java.io.IOException;
import java.net.Proxy;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Sink;
import okio.Source;

/**
 * Carries one HTTP/1.0 exchange (RFC 1945 with the usual keep-alive extension), built on the
 * HTTP/1.x toolkit. HTTP/1.0 has no chunked coding, so a request body of unknown length is
 * buffered and sent with its {@code Content-Length} once complete. Every request asks for
 * {@code Connection: keep-alive}; the connection is reused only if the response agrees.
 */
final class Http10ExchangeCodec implements ExchangeCodec, ExchangeStreamListener {
  private final Http10Connection connection;
  private final HeadReader headReader;
  private final BufferedSink sink;
  private Request request;
  private BodyFraming responseFraming;
  private long responseLength = -1L;
  private Headers trailers;
  private volatile boolean ended;

  Http10ExchangeCodec(Http10Connection connection, HeadReader headReader) {
    this.connection = connection;
    this.headReader = headReader;
    this.sink = connection.transport().sink();
  }

  @Override public ProtocolConnection connection() {
    return connection;
  }

  // snippet: codec-request
  @Override public void writeRequestHeaders(Request request) throws IOException {
    // HTTP/1.0 has no transfer codings: never let the request ask for chunks.
    this.request = request.newBuilder().removeHeader("Transfer-Encoding").build();
    long length = request.body() == null ? 0L : request.body().contentLength();
    if (length != -1L) {
      writeHead(length);
    } // Else the head waits for the whole body, to learn its length.
  }

  @Override public Sink createRequestBody(Request request, long contentLength) {
    if (contentLength != -1L) {
      return BodyFraming.FIXED_LENGTH.newSink(sink, connection.peer(), this, request.body(), contentLength);
    }
    Buffer body = new Buffer();
    return new ForwardingSink(body) {
      @Override public void close() throws IOException {
        writeHead(body.size());
        sink.write(body, body.size());
      }
    };
  }

  private void writeHead(long contentLength) {
    Buffer head = sink.getBuffer();
    boolean absoluteForm = connection.transport().route().proxy().type() == Proxy.Type.HTTP
        && !request.url().isHttps();
    RequestHeadWriter.writeRequestLine(head, request.method(), request.url(), absoluteForm,
        RequestHeadWriter.HTTP_1_0);
    RequestHeadWriter.writeFieldsAndFraming(head, request, contentLength);
    if (request.header("Connection") == null) {
      RequestHeadWriter.writeField(head, "Connection", "keep-alive");
    }
    RequestHeadWriter.writeEnd(head);
  }
  // end snippet

  @Override public void flushRequest() throws IOException {
    sink.flush();
  }

  @Override public void finishRequest() throws IOException {
    sink.flush();
  }

  // snippet: codec-response
  @Override public Response.Builder readResponseHeaders(boolean expectContinue) throws IOException {
    try {
      StatusLine status = headReader.readStatusLine();
      Headers headers = headReader.readHeaders();
      if (status.isInterim() && expectContinue && status.code() == 100) {
        return null;
      }
      if (!status.isInterim()) {
        responseFraming = BodyFraming.ofResponse(request.method(), status.code(), headers);
        responseLength = responseFraming == BodyFraming.NONE ? 0L
            : responseFraming == BodyFraming.FIXED_LENGTH ? Framing.contentLength(headers, connection.peer()) : -1L;
        boolean keepAlive = status.protocol() == Protocol.HTTP_1_0
            ? Framing.hasConnectionToken(headers, "keep-alive")
            : !Framing.hasConnectionToken(headers, "close");
        if (!keepAlive || responseFraming == BodyFraming.UNTIL_CLOSE || status.code() == 101) {
          connection.noNewExchanges();
        }
      }
      return new Response.Builder().request(request).protocol(status.protocol()).code(status.code())
          .message(status.message()).headers(headers).handshake(connection.transport().handshake());
    } catch (IOException e) {
      connection.noNewExchanges(); // The framing is lost: nothing after this can be trusted.
      throw e;
    }
  }

  @Override public Source openResponseBodySource(Response response) {
    return responseFraming.newSource(connection.transport().source(), headReader, this, responseLength);
  }
  // end snippet

  @Override public long reportedContentLength(Response response) {
    return responseLength;
  }

  @Override public Headers trailers() {
    if (trailers == null) {
      throw new IllegalStateException("The response body has not been read to its end");
    }
    return trailers;
  }

  @Override public void cancel() {
    connection.close();
  }

  /** Returns true once the response body ended, or when the response has none. */
  boolean hasEnded() {
    return ended || responseFraming == BodyFraming.NONE;
  }

  // snippet: codec-listener
  @Override public void requestBodyClosed() {}

  @Override public void requestBodyFailed() {
    connection.noNewExchanges();
  }

  @Override public void responseBodyEnded(Headers trailers) {
    this.trailers = trailers;
    ended = true;
    if (connection.transport().source().getBuffer().size() > 0L) {
      connection.noNewExchanges(); // Bytes beyond the response: the server said more than asked.
    }
  }

  @Override public void responseBodyFailed() {
    ended = true;
    connection.noNewExchanges();
  }
  // end snippet
}
