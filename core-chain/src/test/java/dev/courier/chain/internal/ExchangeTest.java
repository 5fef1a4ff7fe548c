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
import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
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
}
