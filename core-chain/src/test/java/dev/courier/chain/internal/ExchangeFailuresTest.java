package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.ConnectionShutdownException;
import dev.courier.HttpUrl;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.StreamResetException;
import dev.courier.chain.CourierClient;
import dev.courier.chain.internal.ExchangeFailures.Phase;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tests that socket-level failures of an exchange reach the caller with the same exception type
 * and a message naming host:port, phase and protocol, over HTTP/1.1 and h2c.
 */
@Timeout(20)
class ExchangeFailuresTest {
  private static final String PEER = "127.0.0.1:8443";

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private CourierClient client(Consumer<CourierClient.Builder> more) {
    return chain.client(builder -> {
      builder.retryOnConnectionFailure(false).readTimeout(Duration.ofMillis(300));
      more.accept(builder);
    });
  }

  private static String peerOf(TestServer server) {
    HttpUrl url = HttpUrl.parse(server.url("/"));
    return url.host() + ":" + url.port();
  }

  // The rewriting itself, one exception class at a time.

  @Test
  void connectionResetKeepsItsTypeAndCause() {
    SocketException reset = new SocketException("Connection reset");

    IOException described = ExchangeFailures.describe(reset, PEER, "h2", Phase.READING_RESPONSE_HEADERS, false);

    assertThat(described).isExactlyInstanceOf(SocketException.class)
        .hasMessage("connection reset by 127.0.0.1:8443 while reading response headers (h2)")
        .hasCause(reset);
  }

  @Test
  void timeoutsStaySocketTimeoutsOrInterruptedIoExceptions() {
    IOException read = ExchangeFailures.describe(new SocketTimeoutException("timeout"), PEER,
        "http/1.1", Phase.READING_RESPONSE_BODY, false);
    IOException write = ExchangeFailures.describe(new InterruptedIOException("timeout"), PEER,
        "http/1.1", Phase.WRITING_REQUEST_BODY, false);

    assertThat(read).isExactlyInstanceOf(SocketTimeoutException.class)
        .hasMessage("timed out waiting for 127.0.0.1:8443 while reading response body (http/1.1)");
    assertThat(write).isExactlyInstanceOf(InterruptedIOException.class)
        .hasMessage("timed out writing to 127.0.0.1:8443 while writing request body (http/1.1)");
  }

  @Test
  void endOfStreamWithoutAMessageGetsOne() {
    IOException described = ExchangeFailures.describe(new EOFException(), PEER, "h2",
        Phase.READING_RESPONSE_HEADERS, false);

    assertThat(described).isExactlyInstanceOf(EOFException.class)
        .hasMessage("unexpected end of stream from 127.0.0.1:8443 while reading response headers (h2)");
  }

  @Test
  void streamResetKeepsItsErrorCode() {
    StreamResetException reset = new StreamResetException(0x2, "INTERNAL_ERROR", "127.0.0.1");

    IOException described = ExchangeFailures.describe(reset, PEER, "h2", Phase.READING_RESPONSE_BODY, false);

    assertThat(described).isExactlyInstanceOf(StreamResetException.class).hasCause(reset)
        .hasMessage("stream was reset by 127.0.0.1:8443 while reading response body (h2): "
            + "INTERNAL_ERROR (0x2)");
    assertThat(((StreamResetException) described).errorCode()).isEqualTo(0x2);
  }

  @Test
  void shutdownAndProtocolFailuresKeepTheirTypeAndMessage() {
    IOException shutdown = ExchangeFailures.describe(
        new ConnectionShutdownException("Connection to 127.0.0.1:8443 takes no new exchanges"),
        PEER, "h2", Phase.WRITING_REQUEST_HEADERS, false);
    IOException protocol = ExchangeFailures.describe(new ProtocolException("Bad frame"), PEER,
        "h2", Phase.READING_RESPONSE_HEADERS, false);

    assertThat(shutdown).isExactlyInstanceOf(ConnectionShutdownException.class).hasMessage(
        "Connection to 127.0.0.1:8443 takes no new exchanges while writing request headers (h2)");
    assertThat(protocol).isExactlyInstanceOf(ProtocolException.class)
        .hasMessage("Bad frame (127.0.0.1:8443) while reading response headers (h2)");
  }

  @Test
  void subtypesItCannotRebuildAreLeftAlone() {
    IOException own = new IOException("x") {};

    assertThat(ExchangeFailures.describe(own, PEER, "h2", Phase.READING_RESPONSE_BODY, false)).isSameAs(own);
  }

  // HTTP/1.1 over loopback.

  @Test
  void http1ResetWhileReadingResponseHeaders() throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      socket.setSoLinger(true, 0); // Close with RST.
    })) {
      Call call = client(b -> {}).newCall(new Request.Builder().url(peer.url("/")).build());

      assertThatThrownBy(call::execute)
          .isExactlyInstanceOf(SocketException.class)
          .hasMessage("connection reset by " + peer.peer() + " while reading response headers (http/1.1)")
          .hasCauseExactlyInstanceOf(SocketException.class);
    }
  }

  @Test
  void http1EndOfStreamWhileReadingResponseHeaders() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    Call call = client(b -> {}).newCall(new Request.Builder().url(server.url("/")).build());

    assertThatThrownBy(call::execute)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(peerOf(server))
        .hasMessageContaining("end of stream")
        .hasMessageEndingWith(" while reading response headers (http/1.1)");
  }

  @Test
  void http1TimeoutWhileReadingResponseHeaders() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    Call call = client(b -> {}).newCall(new Request.Builder().url(server.url("/")).build());

    assertThatThrownBy(call::execute)
        .isExactlyInstanceOf(SocketTimeoutException.class)
        .hasMessage("timed out waiting for " + peerOf(server) + " while reading response headers (http/1.1)")
        .hasCauseInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void http1TimeoutWhileReadingResponseBody() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.STALL).build());
    Call call = client(b -> {}).newCall(new Request.Builder().url(server.url("/")).build());

    try (Response response = call.execute()) {
      assertThatThrownBy(() -> response.body().string())
          .isExactlyInstanceOf(SocketTimeoutException.class)
          .hasMessage("timed out waiting for " + peerOf(server) + " while reading response body (http/1.1)");
    }
    assertThat(chain.events().eventNames(call)).contains("responseFailed").endsWith("callFailed");
  }

  @Test
  void http1TruncatedBodyNamesThePhase() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("x".repeat(1000)).fault(Fault.CLOSE_MID_BODY).build());
    Call call = client(b -> {}).newCall(new Request.Builder().url(server.url("/")).build());

    try (Response response = call.execute()) {
      assertThatThrownBy(() -> response.body().string())
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageContaining(peerOf(server))
          .hasMessageEndingWith(" while reading response body (http/1.1)");
    }
  }

  @Test
  void http1ResetWhileWritingRequestBody() throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      socket.setSoLinger(true, 0);
    })) {
      byte[] large = new byte[32 * 1024 * 1024];
      Call call = client(b -> {}).newCall(new Request.Builder().url(peer.url("/upload"))
          .post(RequestBody.create(large, MediaType.get("application/octet-stream"))).build());

      assertThatThrownBy(call::execute)
          .isExactlyInstanceOf(SocketException.class)
          .hasMessageStartingWith("connection ")
          .hasMessageContaining(peer.peer())
          .hasMessageEndingWith(" while writing request body (http/1.1)");
      assertThat(chain.events().eventNames(call)).contains("requestFailed").endsWith("callFailed");
    }
  }

  // h2c over loopback: the same mechanism, another codec.

  @Test
  void h2cTimeoutWhileReadingResponseHeaders() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    Call call = client(H2c::priorKnowledge).newCall(new Request.Builder().url(server.url("/")).build());

    assertThatThrownBy(call::execute)
        .isExactlyInstanceOf(SocketTimeoutException.class)
        .hasMessage("timed out waiting for " + peerOf(server) + " while reading response headers (h2c)");
  }

  @Test
  void h2cTimeoutWhileReadingResponseBody() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().fault(Fault.STALL).build());
    Call call = client(H2c::priorKnowledge).newCall(new Request.Builder().url(server.url("/")).build());

    try (Response response = call.execute()) {
      assertThatThrownBy(() -> response.body().string())
          .isExactlyInstanceOf(SocketTimeoutException.class)
          .hasMessage("timed out waiting for " + peerOf(server) + " while reading response body (h2c)");
    }
  }

  @Test
  void h2cConnectionLostWhileReadingResponseHeaders() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    Call call = client(H2c::priorKnowledge).newCall(new Request.Builder().url(server.url("/")).build());

    assertThatThrownBy(call::execute)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(peerOf(server))
        .hasMessageEndingWith(" while reading response headers (h2c)");
  }

  @Test
  void h2cStreamResetKeepsItsTypeAndErrorCode() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().resetStream(0x2).build());
    Call call = client(H2c::priorKnowledge).newCall(new Request.Builder().url(server.url("/")).build());

    assertThatThrownBy(call::execute)
        .isExactlyInstanceOf(StreamResetException.class)
        .hasMessageContaining(peerOf(server) + " while reading response headers (h2c)")
        .satisfies(e -> assertThat(((StreamResetException) e).errorCode()).isEqualTo(0x2));
  }
}
