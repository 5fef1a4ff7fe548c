package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.Interceptor;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class RealInterceptorChainTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  /** An interceptor with a readable name, for the contract messages. */
  private static Interceptor named(String name, Interceptor delegate) {
    return new Interceptor() {
      @Override
      public Response intercept(Chain chain) throws IOException {
        return delegate.intercept(chain);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static Request get(TestServer server) {
    return new Request.Builder().url(server.url("/")).build();
  }

  @Test
  void requestsPassApplicationThenNetworkInterceptors() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    List<String> seen = new CopyOnWriteArrayList<>();
    CourierClient client = chain.client(b -> b
        .addInterceptor(c -> {
          seen.add("application connection=" + c.connection() + " host=" + c.request().header("Host"));
          return c.proceed(c.request());
        })
        .addNetworkInterceptor(c -> {
          seen.add("network connected=" + (c.connection() != null) + " host=" + c.request().header("Host"));
          return c.proceed(c.request());
        }));

    try (Response response = client.newCall(get(server)).execute()) {
      assertThat(response.body().string()).isEqualTo("ok");
    }
    assertThat(seen).containsExactly(
        "application connection=null host=null",
        "network connected=true host=127.0.0.1:" + server.port());
  }

  @Test
  void chainsKeptByInterceptorsStayWhereTheyWereWhileTheCallGoesOnBelowThem() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(302).header("Location", "/next").build());
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    java.util.concurrent.atomic.AtomicReference<Interceptor.Chain> applicationChain =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<Interceptor.Chain> networkChain =
        new java.util.concurrent.atomic.AtomicReference<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    Request request = get(server);
    CourierClient client = chain.client(b -> b
        .addInterceptor(c -> {
          applicationChain.set(c);
          return c.proceed(c.request());
        })
        .addNetworkInterceptor(c -> {
          // The built-in steps between the two kept chains ran meanwhile: neither chain moved.
          Interceptor.Chain kept = applicationChain.get();
          seen.add("application " + (kept.request() == request) + " " + kept.connection()
              + ", network " + c.request().url().encodedPath() + " " + c.request().header("Host"));
          Interceptor.Chain earlier = networkChain.getAndSet(c);
          if (earlier != null) {
            seen.add("earlier network " + earlier.request().url().encodedPath() + " "
                + (earlier.connection() != null));
          }
          return c.proceed(c.request());
        }));

    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("ok");
      assertThat(response.request().url().encodedPath()).isEqualTo("/next");
      assertThat(response.priorResponse().code()).isEqualTo(302);
    }
    String host = "127.0.0.1:" + server.port();
    assertThat(seen).containsExactly(
        "application true null, network / " + host,
        "application true null, network /next " + host,
        "earlier network / true");
    assertThat(applicationChain.get().request()).isSameAs(request);
  }

  @Test
  void applicationInterceptorMayAnswerWithoutTheNetwork() throws Exception {
    CourierClient client = chain.client(b -> b.addInterceptor(c -> new Response.Builder()
        .request(c.request())
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("Synthetic")
        .body(ResponseBody.create("from interceptor", null))
        .build()));
    Call call = client.newCall(new Request.Builder().url("http://unreachable.test/").build());

    try (Response response = call.execute()) {
      assertThat(response.body().string()).isEqualTo("from interceptor");
    }
    assertThat(chain.events().eventNames(call)).containsExactly("callStart", "callEnd");
  }

  @Test
  void applicationInterceptorMayProceedSeveralTimes() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(500).build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    CourierClient client = chain.client(b -> b.addInterceptor(c -> {
      Response first = c.proceed(c.request());
      if (first.code() != 500) {
        return first;
      }
      first.close();
      return c.proceed(c.request());
    }));

    try (Response response = client.newCall(get(server)).execute()) {
      assertThat(response.body().string()).isEqualTo("second");
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void proceedingAgainWithTheFirstResponseOpenFails() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("first").build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    CourierClient client = chain.client(b -> b.addInterceptor(c -> {
      c.proceed(c.request());
      return c.proceed(c.request());
    }));

    assertThatThrownBy(() -> client.newCall(get(server)).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("please call response.close()");
  }

  @Test
  void networkInterceptorProceedingTwiceFails() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    CourierClient client = chain.client(b -> b.addNetworkInterceptor(named("TwiceInterceptor", c -> {
      c.proceed(c.request()).close();
      return c.proceed(c.request());
    })));

    assertThatThrownBy(() -> client.newCall(get(server)).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("network interceptor TwiceInterceptor must call proceed() exactly once");
  }

  @Test
  void networkInterceptorThatDoesNotProceedFails() throws Exception {
    TestServer server = chain.server();
    CourierClient client = chain.client(b -> b.addNetworkInterceptor(named("LazyInterceptor",
        c -> new Response.Builder().request(c.request()).protocol(Protocol.HTTP_1_1).code(200).build())));

    assertThatThrownBy(() -> client.newCall(get(server)).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("network interceptor LazyInterceptor must call proceed() exactly once");
    assertThat(client.connectionPool().connectionCount()).isZero();
  }

  @Test
  void networkInterceptorChangingTheHostFails() throws Exception {
    TestServer server = chain.server();
    CourierClient client = chain.client(b -> b.addNetworkInterceptor(named("RerouteInterceptor",
        c -> c.proceed(c.request().newBuilder().url("http://elsewhere.test/").build()))));

    assertThatThrownBy(() -> client.newCall(get(server)).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("network interceptor RerouteInterceptor must retain the same host and port");
  }

  @Test
  void networkInterceptorMayChangeThePath() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    CourierClient client = chain.client(b -> b.addNetworkInterceptor(
        c -> c.proceed(c.request().newBuilder().url(server.url("/rewritten")).build())));

    client.newCall(get(server)).execute().close();

    assertThat(server.takeRequest().path()).isEqualTo("/rewritten");
  }

  @Test
  void interceptorReturningNullFails() throws Exception {
    TestServer server = chain.server();
    CourierClient client = chain.client(b -> b.addInterceptor(named("NullInterceptor", c -> null)));

    assertThatThrownBy(() -> client.newCall(get(server)).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("interceptor NullInterceptor returned null");
  }

  @Test
  void applicationInterceptorMayShortenTheReadTimeout() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    CourierClient client = chain.client(b -> b.addInterceptor(c -> {
      assertThat(c.readTimeoutMillis()).isEqualTo(10_000);
      Interceptor.Chain shorter = c.withReadTimeout(200, TimeUnit.MILLISECONDS);
      assertThat(shorter.readTimeoutMillis()).isEqualTo(200);
      return shorter.proceed(c.request());
    }));

    assertThatThrownBy(() -> client.newCall(get(server)).execute())
        .isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void networkInterceptorCannotChangeTimeouts() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    CourierClient client = chain.client(b -> b.addNetworkInterceptor(
        c -> c.withReadTimeout(1, TimeUnit.SECONDS).proceed(c.request())));

    assertThatThrownBy(() -> client.newCall(get(server)).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("network interceptor");
  }

  @Test
  void chainExposesTheCallAndItsListener() throws Exception {
    List<Object> seen = new CopyOnWriteArrayList<>();
    CourierClient client = chain.client(b -> b.addInterceptor(c -> {
      seen.add(c.call());
      seen.add(c.eventListener());
      return new Response.Builder().request(c.request()).protocol(Protocol.HTTP_1_1).code(204).build();
    }));
    Call call = client.newCall(new Request.Builder().url("http://unreachable.test/").build());

    call.execute().close();

    assertThat(seen).containsExactly(call, chain.events());
  }
}
