package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.OutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class ExchangeTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @Test
  void requestAndResponseBodiesAreCountedInTheEvents() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("hello world!").build());
    Call call = chain.client().newCall(new Request.Builder().url(server.url("/"))
        .post(RequestBody.create("eleven char", MediaType.get("text/plain"))).build());

    try (Response response = call.execute()) {
      assertThat(response.body().string()).isEqualTo("hello world!");
    }

    assertThat(chain.events().eventNames(call)).containsSubsequence(
        "connectionAcquired",
        "requestHeadersStart", "requestHeadersEnd",
        "requestBodyStart", "requestBodyEnd",
        "responseHeadersStart", "responseHeadersEnd",
        "responseBodyStart", "responseBodyEnd",
        "connectionReleased", "callEnd");
    assertThat(chain.events().events("requestBodyEnd").get(0).argument(Long.class)).isEqualTo(11L);
    assertThat(chain.events().events("responseBodyEnd").get(0).argument(Long.class)).isEqualTo(12L);
  }

  @Test
  void closingABodyEarlyEndsTheCall() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("x".repeat(100_000)).build());
    Call call = chain.client().newCall(new Request.Builder().url(server.url("/")).build());

    try (Response response = call.execute()) {
      assertThat(response.body().source().readByte()).isEqualTo((byte) 'x');
    }

    assertThat(chain.events().eventNames(call)).endsWith("responseBodyEnd", "connectionReleased", "callEnd");
    assertThat(chain.events().events("responseBodyEnd").get(0).argument(Long.class))
        .isBetween(1L, 100_000L);
  }

  @Test
  void truncatedBodyFailsAndRetiresTheConnection() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("x".repeat(1_000)).fault(Fault.CLOSE_MID_BODY).build());
    CourierClient client = chain.client();
    Call call = client.newCall(new Request.Builder().url(server.url("/")).build());

    try (Response response = call.execute()) {
      assertThatThrownBy(() -> response.body().bytes()).isInstanceOf(IOException.class);
    }

    assertThat(chain.events().eventNames(call)).endsWith("responseFailed", "connectionReleased", "callFailed");
    assertThat(client.connectionPool().connectionCount()).isZero();
  }

  @Test
  void bodyLongerThanItsDeclaredLengthIsRefused() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    RequestBody lying = new RequestBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public long contentLength() {
        return 3;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8("more than three");
      }
    };
    Call call = chain.client().newCall(new Request.Builder().url(server.url("/")).post(lying).build());

    assertThatThrownBy(call::execute).isInstanceOf(ProtocolException.class);
    assertThat(chain.events().eventNames(call)).contains("requestFailed").endsWith("callFailed");
  }

  @Test
  void emptyBodyEndsTheCallWhenClosed() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(204).build());
    Call call = chain.client().newCall(new Request.Builder().url(server.url("/")).build());

    Response response = call.execute();
    assertThat(chain.events().eventNames(call)).doesNotContain("callEnd");
    response.close();

    assertThat(chain.events().eventNames(call)).endsWith("responseBodyEnd", "connectionReleased", "callEnd");
  }

  private static ScriptedResponse withInterimResponses(int count) {
    ScriptedResponse.Builder builder = ScriptedResponse.builder().body("final");
    for (int i = 0; i < count; i++) {
      builder.informational(i % 2 == 0 ? 102 : 103, "Link", "</style.css>; rel=preload");
    }
    return builder.build();
  }

  @Test
  void interimResponsesUpToTheBoundPrecedeTheFinalOne() throws Exception {
    TestServer server = chain.server();
    server.enqueue(withInterimResponses(Exchange.MAX_INTERIM_RESPONSES));

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("final");
    }
  }

  @Test
  void oneInterimResponseBeyondTheBoundIsAProtocolError() throws Exception {
    TestServer server = chain.server();
    server.enqueue(withInterimResponses(Exchange.MAX_INTERIM_RESPONSES + 1));
    Call call = chain.client().newCall(new Request.Builder().url(server.url("/")).build());

    assertThatThrownBy(call::execute)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("more than " + Exchange.MAX_INTERIM_RESPONSES + " interim (1xx) responses")
        .hasMessageContaining(":" + server.port());
  }

  @Test
  void interimResponsesAreBoundedOverH2cToo() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(withInterimResponses(Exchange.MAX_INTERIM_RESPONSES + 1));
    Call call = chain.client(H2c::priorKnowledge).newCall(new Request.Builder().url(server.url("/")).build());

    assertThatThrownBy(call::execute)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("interim (1xx) responses")
        .hasMessageContaining("(h2c)");
  }

  @Test
  void endlessProcessingResponsesFailTheCallInsteadOfHangingIt() throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      sendProcessingUntilTheClientLeaves(out);
    })) {
      // No call timeout: only the bound ends this call.
      Call call = chain.client(builder -> builder.retryOnConnectionFailure(false))
          .newCall(new Request.Builder().url(peer.url("/slow")).build());

      assertThatThrownBy(call::execute)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("interim (1xx) responses from " + peer.peer())
          .hasMessageContaining("while reading response headers (http/1.1)");
      assertThat(chain.events().eventNames(call)).contains("responseFailed").endsWith("callFailed");
    }
  }

  private static void sendProcessingUntilTheClientLeaves(OutputStream out) {
    try {
      while (true) {
        RawHttpPeer.write(out, "HTTP/1.1 102 Processing\r\n\r\n");
      }
    } catch (java.io.IOException e) {
      // The client gave up on the exchange and closed the connection.
    }
  }
}
