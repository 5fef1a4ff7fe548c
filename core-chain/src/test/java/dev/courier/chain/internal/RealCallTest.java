package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.chain.support.TestTls;
import dev.courier.chain.support.Poll;
import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
@ExtendWith(ThreadLeakExtension.class)
class RealCallTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private static Request get(TestServer server, String path) {
    return new Request.Builder().url(server.url(path)).build();
  }

  @Test
  void executeReturnsTheResponse() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().header("X-Test", "yes").body("hello").build());
    CourierClient client = chain.client();

    try (Response response = client.newCall(get(server, "/greeting")).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("X-Test")).isEqualTo("yes");
      assertThat(response.body().string()).isEqualTo("hello");
      assertThat(response.request().url().encodedPath()).isEqualTo("/greeting");
    }
    assertThat(server.takeRequest().path()).isEqualTo("/greeting");
  }

  @Test
  void callRunsOnlyOnce() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    Call call = chain.client().newCall(get(server, "/"));
    assertThat(call.isExecuted()).isFalse();
    call.execute().close();

    assertThat(call.isExecuted()).isTrue();
    assertThatThrownBy(call::execute)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Already Executed");
    assertThatThrownBy(() -> call.enqueue(new FutureCallback()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Already Executed");
  }

  @Test
  void cloneMakesAFreshCallOfTheSameRequest() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("first").build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    Call call = chain.client().newCall(get(server, "/"));

    try (Response response = call.execute()) {
      assertThat(response.body().string()).isEqualTo("first");
    }
    Call clone = call.clone();
    assertThat(clone.isExecuted()).isFalse();
    assertThat(clone.request()).isSameAs(call.request());
    try (Response response = clone.execute()) {
      assertThat(response.body().string()).isEqualTo("second");
    }
  }

  @Test
  void enqueueDeliversTheResponseOnADispatcherThread() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("async").build());
    CourierClient client = chain.client();
    FutureCallback callback = new FutureCallback();

    client.newCall(get(server, "/")).enqueue(callback);

    assertThat(callback.body.get(5, TimeUnit.SECONDS)).isEqualTo("async");
    assertThat(callback.thread.get(5, TimeUnit.SECONDS)).isEqualTo("Courier test dispatcher");
  }

  @Test
  void enqueueDeliversTheFailure() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    CourierClient client = chain.client();
    FutureCallback callback = new FutureCallback();

    client.newCall(get(server, "/")).enqueue(callback);

    assertThat(failureOf(callback.body)).isNotNull();
  }

  @Test
  void cancelBeforeExecuteFailsWithoutSending() throws Exception {
    TestServer server = chain.server();
    Call call = chain.client().newCall(get(server, "/"));
    call.cancel();

    assertThat(call.isCanceled()).isTrue();
    assertThatThrownBy(call::execute).isInstanceOf(IOException.class).hasMessage("Canceled");
    assertThat(server.requestCount()).isZero();
    assertThat(chain.events().eventNames(call)).containsExactly("canceled", "callStart", "callFailed");
  }

  @Test
  void cancelUnblocksAThreadWaitingForResponseHeaders() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    Call call = chain.client().newCall(get(server, "/"));
    CompletableFuture<Response> result = CompletableFuture.supplyAsync(() -> executeUnchecked(call));

    Poll.until("the request reached the server", () -> server.requestCount() == 1);
    call.cancel();

    assertThat(failureOf(result)).hasMessage("Canceled");
    assertThat(chain.events().eventNames(call)).contains("canceled").endsWith("callFailed");
  }

  @Test
  void cancelUnblocksAStalledConnect() throws Exception {
    // The kernel accepts the TCP connection into the backlog; nobody answers the TLS hello.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CourierClient client = chain.client(TestTls::trustTestAuthority);
      Call call = client.newCall(new Request.Builder()
          .url("https://127.0.0.1:" + silent.getLocalPort() + "/").build());
      CompletableFuture<Response> result = CompletableFuture.supplyAsync(() -> executeUnchecked(call));
      Poll.until("the TLS handshake started",
          () -> chain.events().eventNames(call).contains("secureConnectStart"));

      call.cancel();

      assertThat(failureOf(result)).hasMessage("Canceled");
      assertThat(chain.events().eventNames(call)).endsWith("callFailed")
          .doesNotContain("connectionAcquired");
    }
  }

  @Test
  void cancelUnblocksAThreadReadingAStalledBody() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.STALL).build());
    Call call = chain.client().newCall(get(server, "/"));
    Response response = call.execute();
    CompletableFuture<byte[]> body = CompletableFuture.supplyAsync(() -> {
      try {
        return response.body().bytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    call.cancel();

    assertThat(failureOf(body)).isInstanceOf(IOException.class);
    response.close();
    assertThat(chain.events().eventNames(call)).contains("canceled", "responseFailed").endsWith("callFailed");
  }

  @Test
  void callTimeoutFailsACallWaitingForHeaders() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    CourierClient client = chain.client(b -> b.callTimeout(200, TimeUnit.MILLISECONDS));
    Call call = client.newCall(get(server, "/"));

    assertThat(call.timeout().timeoutNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThatThrownBy(call::execute)
        .isInstanceOf(InterruptedIOException.class)
        .hasMessage("timeout");
    assertThat(call.isCanceled()).isTrue();
    assertThat(chain.events().eventNames(call)).endsWith("callFailed");
  }

  @Test
  void timeoutSetOnTheCallIsEnforcedWithoutAClientCallTimeout() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    CourierClient client = chain.client(b -> b.readTimeout(0, TimeUnit.MILLISECONDS));
    Call call = client.newCall(get(server, "/"));
    assertThat(call.timeout()).isSameAs(call.timeout());
    assertThat(call.timeout().timeoutNanos()).isZero();
    call.timeout().timeout(200, TimeUnit.MILLISECONDS);

    assertThatThrownBy(call::execute)
        .isInstanceOf(InterruptedIOException.class)
        .hasMessage("timeout");
    assertThat(call.isCanceled()).isTrue();
  }

  @Test
  void callTimeoutCoversReadingTheBody() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.STALL).build());
    CourierClient client = chain.client(b -> b.callTimeout(300, TimeUnit.MILLISECONDS));
    Call call = client.newCall(get(server, "/"));

    try (Response response = call.execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThatThrownBy(() -> response.body().bytes())
          .isInstanceOf(InterruptedIOException.class)
          .hasMessage("timeout");
    }
    assertThat(chain.events().eventNames(call)).endsWith("callFailed");
  }

  @Test
  void callTimeoutIsNotTriggeredByACallThatEndsInTime() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("quick").build());
    CourierClient client = chain.client(b -> b.callTimeout(5, TimeUnit.SECONDS));
    Call call = client.newCall(get(server, "/"));

    try (Response response = call.execute()) {
      assertThat(response.body().string()).isEqualTo("quick");
    }
    assertThat(call.isCanceled()).isFalse();
    assertThat(chain.events().eventNames(call)).endsWith("callEnd");
  }

  @Test
  void readTimeoutFailsAStalledRead() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    CourierClient client = chain.client(b -> b.readTimeout(200, TimeUnit.MILLISECONDS));

    assertThatThrownBy(() -> client.newCall(get(server, "/")).execute())
        .isInstanceOf(SocketTimeoutException.class);
    // A read timeout after sending is not retried: the server may be processing the request.
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void simpleCallReportsEventsInOrder() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("abc").build());
    Call call = chain.client().newCall(get(server, "/"));

    try (Response response = call.execute()) {
      assertThat(response.body().string()).isEqualTo("abc");
    }

    assertThat(chain.events().eventNames(call)).containsExactly(
        "callStart",
        "proxySelectStart", "proxySelectEnd",
        "connectStart", "connectEnd",
        "connectionAcquired",
        "requestHeadersStart", "requestHeadersEnd",
        "responseHeadersStart", "responseHeadersEnd",
        "responseBodyStart", "responseBodyEnd",
        "connectionReleased",
        "callEnd");
    assertThat(chain.events().events("responseBodyEnd").get(0).argument(Long.class)).isEqualTo(3L);
  }

  @Test
  void callEndsOnlyWhenTheBodyIsClosed() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("unread").build());
    Call call = chain.client().newCall(get(server, "/"));

    Response response = call.execute();
    assertThat(chain.events().eventNames(call)).doesNotContain("callEnd", "connectionReleased");
    response.close();
    assertThat(chain.events().eventNames(call)).endsWith("connectionReleased", "callEnd");
  }

  @Test
  void toStringNamesTheMethodAndRedactedUrl() throws Exception {
    TestServer server = chain.server();
    Call call = chain.client().newCall(new Request.Builder()
        .url(server.url("/secret?token=abc")).build());
    assertThat(call.toString()).startsWith("call GET http://127.0.0.1:").doesNotContain("token=abc");
  }

  @Test
  void cancelingAnHttp2CallLeavesTheConnectionToOtherCalls() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    server.enqueue(ScriptedResponse.builder().body("still usable").build());
    CourierClient client = chain.client(H2c::priorKnowledge);
    Call stalled = client.newCall(get(server, "/stalled"));
    CompletableFuture<Response> result = CompletableFuture.supplyAsync(() -> executeUnchecked(stalled));
    Poll.until("the request reached the server", () -> server.requestCount() == 1);

    stalled.cancel();

    assertThat(failureOf(result)).hasMessage("Canceled");
    try (Response response = client.newCall(get(server, "/next")).execute()) {
      assertThat(response.body().string()).isEqualTo("still usable");
    }
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  private static Response executeUnchecked(Call call) {
    try {
      return call.execute();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the IOException {@code future} failed with, waiting up to 5 seconds. */
  static IOException failureOf(CompletableFuture<?> future) throws Exception {
    try {
      Object result = future.get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure but got " + result);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException) {
        return ((UncheckedIOException) cause).getCause();
      }
      if (cause instanceof IOException) {
        return (IOException) cause;
      }
      throw new AssertionError("expected an IOException", cause);
    }
  }

  /** Completes futures with the body and the thread of an asynchronous call. */
  static final class FutureCallback implements Callback {
    final CompletableFuture<String> body = new CompletableFuture<>();
    final CompletableFuture<String> thread = new CompletableFuture<>();

    @Override
    public void onFailure(Call call, IOException e) {
      thread.complete(Thread.currentThread().getName());
      body.completeExceptionally(e);
    }

    @Override
    public void onResponse(Call call, Response response) throws IOException {
      thread.complete(Thread.currentThread().getName());
      try (response) {
        body.complete(response.body().string());
      }
    }
  }
}
