package dev.courier.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import dev.courier.testing.fuzz.FuzzResult;
import dev.courier.testing.fuzz.Fuzzer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.Socket;
import java.util.Arrays;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes HTTP/1 response parsing: status lines, header fields, interim responses and body framing
 * (fixed length, chunked with trailers, until end of stream), through whole exchanges of a real
 * {@link Http1Connection} whose transport reads the input, delivered in pieces of varying size.
 * Inputs may hold several responses, which later exchanges on the same connection read. Anything
 * but an {@link IOException} is a bug. Seeds live in {@code src/test/resources/fuzz/http1-response}.
 */
class Http1ResponseFuzzTest {
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(5_000, 5_000);
  private static final int MAX_EXCHANGES = 8;
  private static final int MAX_INTERIM_RESPONSES = 64;
  private static final Request GET = new Request.Builder().url("http://fuzz.example/a").build();
  private static final Request HEAD = GET.newBuilder().head().build();
  private static final Request POST = GET.newBuilder()
      .header("Expect", "100-continue")
      .post(RequestBody.create("body", MediaType.parse("text/plain")))
      .build();

  @Test
  void responsesFailOnlyWithIOException() throws IOException {
    try (Socket unconnected = new Socket()) {
      Route route = new Route(Transports.address("fuzz.example", 80), Proxy.NO_PROXY,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 80));
      FuzzResult result = Fuzzer.forTarget("http1-response")
          .corpusResource("fuzz/http1-response")
          .dictionary("HTTP/1.1 ", "HTTP/1.0 ", "200 OK", "100 Continue", "101", "103", "204",
              "304", "\r\n", "\n", "\r\n\r\n", ": ", "Content-Length", "Transfer-Encoding",
              "chunked", "gzip, chunked", "Connection", "close", "keep-alive", "Trailer", "0\r\n",
              ";ext=1", "ffffffffffffffff", " \t", "\r", "\0", "\u00e9")
          .allow(IOException.class)
          .build()
          .run(input -> exchange(input, unconnected, route));

      assertThat(result.inputs()).isGreaterThan(result.corpusEntries());
    }
  }

  /** Runs exchanges over a connection that reads {@code input} until it takes no more. */
  private static void exchange(byte[] input, Socket socket, Route route) throws IOException {
    int hash = Arrays.hashCode(input);
    BufferedSource source = Okio.buffer(randomPieces(input, hash));
    Transport transport = new Transport(socket, source, Okio.buffer(Okio.blackhole()), route, null,
        Protocol.HTTP_1_1);
    Http1Connection connection = new Http1Connection(transport, ProtocolConnection.Listener.NONE);
    for (int i = 0; i < MAX_EXCHANGES && connection.maxConcurrentExchanges() > 0; i++) {
      int kind = (hash >>> (2 * i)) & 3;
      Request request = kind == 0 ? HEAD : kind == 1 ? POST : GET;
      ExchangeCodec codec = connection.newCodec(OPTIONS);
      codec.writeRequestHeaders(request);
      Response head = null;
      if (request.body() != null) {
        // As the chain does for Expect: 100-continue: send the body only after a 100.
        codec.flushRequest();
        head = readFinalResponse(codec, request, true);
        if (head == null) {
          try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, 4))) {
            request.body().writeTo(body);
          }
        } else {
          connection.noNewExchanges();
        }
      }
      codec.finishRequest();
      if (head == null) {
        head = readFinalResponse(codec, request, false);
      }
      if (head.code() == 101) {
        return; // A switched protocol leaves the connection unusable for HTTP.
      }
      long contentLength = codec.reportedContentLength(head);
      Buffer body = new Buffer();
      try (Source bodySource = codec.openResponseBodySource(head)) {
        while (bodySource.read(body, 8192) != -1L) {
          if (body.size() > input.length) {
            throw new AssertionError("a body of " + body.size() + " bytes from a "
                + input.length + " byte input");
          }
        }
      }
      if (contentLength >= 0 && body.size() != contentLength) {
        throw new AssertionError("reported Content-Length " + contentLength + " but read "
            + body.size() + " bytes");
      }
      codec.trailers().toString();
    }
  }

  /**
   * Returns the final response head (101 included), or null for 100 Continue when {@code
   * expectContinue}.
   *
   * @throws ProtocolException after too many interim responses, as the chain would
   */
  private static Response readFinalResponse(ExchangeCodec codec, Request request,
      boolean expectContinue) throws IOException {
    for (int i = 0; i < MAX_INTERIM_RESPONSES; i++) {
      Response.Builder builder = codec.readResponseHeaders(expectContinue);
      if (builder == null) {
        return null;
      }
      Response head = builder.request(request).build();
      head.headers().toString();
      if (head.code() >= 200 || head.code() == 101) {
        return head;
      }
    }
    throw new ProtocolException("more than " + MAX_INTERIM_RESPONSES + " interim responses");
  }

  /** Returns a source of {@code input} in pieces of 1 to 64 bytes or all at once, as its hash decides. */
  private static Source randomPieces(byte[] input, int hash) {
    return new PiecewiseSource(input, new PiecewiseSource.Pieces() {
      private int state = hash;

      @Override
      public int next(int position, int length) {
        state = state * 1103515245 + 12345;
        return (state & 0x300) == 0 ? length : 1 + ((state >>> 16) & 63);
      }
    });
  }
}
