package dev.courier.http1;

import dev.courier.Headers;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/** Drives exchanges through a codec the way the chain's last interceptor does, for tests. */
final class Exchanges {
  static final ExchangeOptions OPTIONS = new ExchangeOptions(5_000, 5_000);

  private Exchanges() {}

  static Http1ExchangeCodec newCodec(ProtocolConnection connection) throws IOException {
    return (Http1ExchangeCodec) connection.newCodec(OPTIONS);
  }

  /** Sends {@code request} (with its body, if any) and returns the final response head. */
  static Response send(ExchangeCodec codec, Request request) throws IOException {
    codec.writeRequestHeaders(request);
    if (request.body() != null) {
      long length = request.body().contentLength();
      try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, length))) {
        request.body().writeTo(body);
      }
    }
    codec.finishRequest();
    return readFinalResponse(codec, request);
  }

  /** Reads response heads until a final one, skipping interim (1xx) ones. */
  static Response readFinalResponse(ExchangeCodec codec, Request request) throws IOException {
    while (true) {
      Response.Builder builder = codec.readResponseHeaders(false);
      Response head = builder.request(request).build();
      if (head.code() < 100 || head.code() >= 200 || head.code() == 101) {
        return head;
      }
    }
  }

  /** Sends {@code request} and returns the response with a body over the codec's source. */
  static Response execute(ExchangeCodec codec, Request request) throws IOException {
    Response head = send(codec, request);
    Source source = codec.openResponseBodySource(head);
    long length = codec.reportedContentLength(head);
    return head.newBuilder()
        .body(ResponseBody.create(Okio.buffer(source), null, length))
        .build();
  }

  /** Reads the rest of {@code source} into a string. */
  static String readUtf8(Source source) throws IOException {
    Buffer buffer = new Buffer();
    while (source.read(buffer, 8192) != -1L) {
      // keep reading
    }
    return buffer.readUtf8();
  }

  /** Returns a body of {@code content} that reports {@code contentLength} and sends {@code trailers}. */
  static RequestBody withTrailers(String content, long contentLength, Headers trailers) {
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public long contentLength() {
        return contentLength;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8(content);
      }

      @Override
      public Headers trailers() {
        return trailers;
      }
    };
  }
}
