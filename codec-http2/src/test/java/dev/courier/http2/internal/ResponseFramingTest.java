package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.courier.Headers;
import dev.courier.Request;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks how a response is framed on its stream (RFC 9113 §8.1): DATA must add up to the
 * content-length, responses without content carry no DATA, and interim responses are bounded.
 * Runs against a scripted frame peer, and against the Netty test server for the same lies told
 * by an independent HTTP/2 implementation.
 */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class ResponseFramingTest {
  /** Read timeouts long enough that only a missing check could end in one. */
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(10_000, 10_000);

  private Http2TestPeer peer;
  private Http2Connection connection;

  @BeforeEach
  void setUp() throws IOException {
    peer = new Http2TestPeer();
    connection = TestTransports.start(peer.port());
    peer.handshake();
  }

  @AfterEach
  void tearDown() throws IOException {
    connection.close();
    peer.close();
  }

  @Test
  void bodyShorterThanContentLengthIsMalformed() throws Exception {
    ExchangeCodec codec = openStream(get(peer.port(), "/"));
    peer.writeHeaders(1, false, ":status", "200", "content-length", "10");
    peer.writeData(1, true, "hello");

    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(200);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("malformed HTTP/2 response from 127.0.0.1:" + peer.port()
            + " (h2c, stream 1): the stream ended after 5 of the content-length's 10 bytes");
    assertResetWithProtocolErrorAndRetired(1);
  }

  @Test
  void bodyLongerThanContentLengthFailsAsSoonAsTheExcessArrives() throws Exception {
    ExchangeCodec codec = openStream(get(peer.port(), "/"));
    peer.writeHeaders(1, false, ":status", "200", "content-length", "3");
    // No END_STREAM: only an eager check can end this read before the 10 s timeout.
    peer.writeData(1, false, "abcdef");

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("127.0.0.1:" + peer.port() + " (h2c, stream 1)")
        .hasMessageContaining("DATA adds up to 6 bytes, more than the content-length of 3");
    assertResetWithProtocolErrorAndRetired(1);
  }

  @Test
  void excessInALaterFrameDiscardsWhatWasBuffered() throws Exception {
    ExchangeCodec codec = openStream(get(peer.port(), "/"));
    peer.writeHeaders(1, false, ":status", "200", "content-length", "5");
    peer.writeData(1, false, "abc");
    peer.writeData(1, false, "def");

    codec.readResponseHeaders(false);
    assertResetWithProtocolErrorAndRetired(1);
    okio.Source body = codec.openResponseBodySource(null);
    assertThatThrownBy(() -> body.read(new Buffer(), 100))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("more than the content-length of 5");
  }

  @Test
  void headersEndingTheStreamMustNotPromiseContent() throws Exception {
    ExchangeCodec codec = openStream(get(peer.port(), "/"));
    peer.writeHeaders(1, true, ":status", "200", "content-length", "10");

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("127.0.0.1:" + peer.port() + " (h2c, stream 1)")
        .hasMessageContaining("content-length is 10 but the stream ended without DATA");
    assertResetWithProtocolErrorAndRetired(1);
  }

  @Test
  void trailersAfterAShortBodyAreMalformed() throws Exception {
    ExchangeCodec codec = openStream(get(peer.port(), "/"));
    peer.writeHeaders(1, false, ":status", "200", "content-length", "8");
    peer.writeData(1, false, "four");
    peer.writeHeaders(1, true, "grpc-status", "0");

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("the stream ended after 4 of the content-length's 8 bytes");
    assertResetWithProtocolErrorAndRetired(1);
  }

  @Test
  void bodyMatchingContentLengthAcrossFramesAndTrailersIsWhole() throws Exception {
    ExchangeCodec codec = openStream(get(peer.port(), "/"));
    peer.writeHeaders(1, false, ":status", "200", "content-length", "11");
    peer.writeData(1, false, "hello");
    peer.writeData(1, false, "");
    peer.writeData(1, false, " world");
    peer.writeHeaders(1, true, "checksum", "x");

    codec.readResponseHeaders(false);
    assertThat(readBody(codec)).isEqualTo("hello world");
    assertThat(codec.trailers()).isEqualTo(Headers.of("checksum", "x"));
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void bodilessResponsesMayCarryContentLengthWithoutData() throws Exception {
    Request head = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/").head().build();
    ExchangeCodec headCodec = openStream(head);
    peer.writeHeaders(1, true, ":status", "200", "content-length", "100");
    ExchangeCodec noContent = openStream(get(peer.port(), "/204"));
    peer.writeHeaders(3, true, ":status", "204", "content-length", "0");
    ExchangeCodec notModified = openStream(get(peer.port(), "/304"));
    peer.writeHeaders(5, true, ":status", "304", "content-length", "42");

    assertThat(headCodec.readResponseHeaders(false).code()).isEqualTo(200);
    assertThat(readBody(headCodec)).isEmpty();
    assertThat(noContent.readResponseHeaders(false).code()).isEqualTo(204);
    assertThat(readBody(noContent)).isEmpty();
    assertThat(notModified.readResponseHeaders(false).code()).isEqualTo(304);
    assertThat(readBody(notModified)).isEmpty();
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void dataOnAResponseToHeadIsMalformed() throws Exception {
    Request head = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/").head().build();
    ExchangeCodec codec = openStream(head);
    peer.writeHeaders(1, false, ":status", "200", "content-length", "5");
    peer.writeData(1, true, "stray");

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("DATA on the response to HEAD, which has no content");
    assertResetWithProtocolErrorAndRetired(1);
  }

  @Test
  void dataOnA204IsMalformed() throws Exception {
    ExchangeCodec codec = openStream(get(peer.port(), "/"));
    peer.writeHeaders(1, false, ":status", "204");
    peer.writeData(1, true, "stray");

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("DATA on a 204 response, which has no content");
    assertResetWithProtocolErrorAndRetired(1);
  }

  @Test
  void sixteenInterimResponsesAreAccepted() throws Exception {
    ExchangeCodec codec = openStream(get(peer.port(), "/"));
    for (int i = 0; i < ResponseFraming.MAX_INTERIM_RESPONSES; i++) {
      peer.writeHeaders(1, false, ":status", "102");
    }
    peer.writeHeaders(1, false, ":status", "200", "content-length", "2");
    peer.writeData(1, true, "ok");

    for (int i = 0; i < ResponseFraming.MAX_INTERIM_RESPONSES; i++) {
      assertThat(codec.readResponseHeaders(false).code()).isEqualTo(102);
    }
    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(200);
    assertThat(readBody(codec)).isEqualTo("ok");
  }

  @Test
  void endlessInterimResponsesEndInAProtocolException() throws Exception {
    ExchangeCodec codec = openStream(get(peer.port(), "/"));
    for (int i = 0; i < 100; i++) {
      peer.writeHeaders(1, false, ":status", "102");
    }

    int interim = 0;
    Throwable thrown = null;
    while (thrown == null) {
      thrown = catchThrowable(() -> codec.readResponseHeaders(false));
      if (thrown == null) {
        interim++;
      }
    }
    assertThat(interim).isLessThanOrEqualTo(ResponseFraming.MAX_INTERIM_RESPONSES);
    assertThat(thrown).isInstanceOf(ProtocolException.class)
        .hasMessage("too many interim responses from 127.0.0.1:" + peer.port()
            + " (h2c, stream 1): more than 16 interim (1xx) responses before the final one");
    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.ENHANCE_YOUR_CALM);
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void contentLengthLiesFromTheTestServerAreMalformed() throws Exception {
    try (TestServer server = new TestServer()) {
      server.protocols(List.of("h2c"));
      server.enqueue(ScriptedResponse.builder().body("hello").setHeader("Content-Length", "10").build());
      server.enqueue(ScriptedResponse.builder().body("hello world").setHeader("Content-Length", "5").build());
      server.start();
      for (String expected : List.of("the stream ended after 5 of the content-length's 10 bytes",
          "more than the content-length of 5")) {
        Http2Connection h2c = TestTransports.start(server.port());
        try {
          ExchangeCodec codec = h2c.newCodec(OPTIONS);
          codec.writeRequestHeaders(get(server.port(), "/"));
          codec.finishRequest();
          codec.readResponseHeaders(false);
          assertThatThrownBy(() -> readBody(codec))
              .isInstanceOf(ProtocolException.class)
              .hasMessageContaining("127.0.0.1:" + server.port() + " (h2c, stream 1)")
              .hasMessageContaining(expected);
          assertThat(h2c.maxConcurrentExchanges()).isZero();
        } finally {
          h2c.close();
        }
      }
    }
  }

  @Test
  void endlessInterimResponsesFromTheTestServerEndInAProtocolException() throws Exception {
    try (TestServer server = new TestServer()) {
      server.protocols(List.of("h2c"));
      ScriptedResponse.Builder response = ScriptedResponse.builder().body("never read");
      for (int i = 0; i < 40; i++) {
        response.informational(102);
      }
      server.enqueue(response.build());
      server.start();
      Http2Connection h2c = TestTransports.start(server.port());
      try {
        ExchangeCodec codec = h2c.newCodec(OPTIONS);
        codec.writeRequestHeaders(get(server.port(), "/"));
        codec.finishRequest();
        Throwable thrown = null;
        for (int i = 0; i <= ResponseFraming.MAX_INTERIM_RESPONSES && thrown == null; i++) {
          thrown = catchThrowable(() -> assertThat(codec.readResponseHeaders(false).code()).isEqualTo(102));
        }
        assertThat(thrown).isInstanceOf(ProtocolException.class)
            .hasMessageContaining("127.0.0.1:" + server.port() + " (h2c, stream 1)");
      } finally {
        h2c.close();
      }
    }
  }

  private ExchangeCodec openStream(Request request) throws IOException {
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    codec.finishRequest();
    peer.decode(peer.expect(Http2TestPeer.HEADERS));
    return codec;
  }

  private void assertResetWithProtocolErrorAndRetired(int streamId) throws IOException {
    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(streamId);
    assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.PROTOCOL_ERROR);
    assertThat(connection.maxConcurrentExchanges()).isZero();
    assertThat(connection.isHealthy(false)).isFalse();
    assertThatThrownBy(() -> connection.newCodec(OPTIONS))
        .isInstanceOf(dev.courier.ConnectionShutdownException.class)
        .hasMessage("HTTP/2 connection to 127.0.0.1:" + peer.port() + " (h2c) takes no new streams: "
            + "the server broke the protocol on stream " + streamId);
  }

  private static String readBody(ExchangeCodec codec) throws IOException {
    try (BufferedSource body = Okio.buffer(codec.openResponseBodySource(null))) {
      return body.readUtf8();
    }
  }
}
