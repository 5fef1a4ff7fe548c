package dev.courier.examples;

import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.Dispatcher;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows Courier at work against an embedded HTTPS server on loopback that speaks HTTP/2 and
 * HTTP/1.1, with a certificate from a throwaway certificate authority: protocol negotiation,
 * connection reuse, multiplexing, redirects and timings.
 */
final class Demo {
  private static final int CONCURRENT_CALLS = 8;

  private Demo() {}

  static void run(PrintStream out) throws IOException {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Courier Demo CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    try (TestServer server = new TestServer()) {
      server.useHttps(authority.serverContext(certificate));
      server.protocols(List.of("h2", "http/1.1"));
      server.hostName("localhost");
      server.dispatcher(Demo::respond);
      server.start();
      out.println("Embedded HTTPS server at " + server.url("/") + " (HTTP/2 and HTTP/1.1)");
      out.println();

      // The dispatcher runs at most 5 calls per host at once by default; allow the 8 shown below.
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.setMaxRequestsPerHost(CONCURRENT_CALLS);
      CourierClient client = CourierClient.builder()
          .dispatcher(dispatcher)
          .sslSocketFactory(authority.clientSocketFactory(), authority.trustManager())
          .eventListenerFactory(new CallTrace(out).asFactory())
          .build();
      out.println("== Three calls in a row: the first connects, the others reuse the connection");
      for (int i = 0; i < 3; i++) {
        fetch(client, server.url("/hello"), out);
      }

      out.println("== " + CONCURRENT_CALLS + " concurrent calls (the dispatcher is set to run "
          + CONCURRENT_CALLS + " per host; its default is 5), multiplexed on the HTTP/2 connection");
      concurrent(client, server.url("/slow"), CONCURRENT_CALLS, out);

      out.println("== A redirect, followed");
      fetch(client, server.url("/old"), out);

      out.println("== The same server over HTTP/1.1 only");
      CourierClient http1 = client.newBuilder()
          .protocols(List.of(Protocol.HTTP_1_1))
          .connectionPool(new dev.courier.pool.ConnectionPool())
          .build();
      fetch(http1, server.url("/hello"), out);
      fetch(http1, server.url("/hello"), out);

      out.println("The server accepted " + server.connectionCount() + " TCP connections for "
          + server.requestCount() + " requests.");
    }
  }

  private static ScriptedResponse respond(RecordedRequest request) {
    switch (request.path()) {
      case "/old":
        return ScriptedResponse.builder().status(301).header("Location", "/hello").build();
      case "/slow":
        return ScriptedResponse.builder()
            .header("Content-Type", "text/plain; charset=utf-8")
            .headersDelay(50, TimeUnit.MILLISECONDS)
            .body("slow hello over " + request.version() + "\n")
            .build();
      default:
        return ScriptedResponse.builder()
            .header("Content-Type", "text/plain; charset=utf-8")
            .body("hello over " + request.version() + ", request " + request.sequenceNumber()
                + " on connection " + request.connectionIndex() + "\n")
            .build();
    }
  }

  private static void fetch(CourierClient client, String url, PrintStream out) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      out.print("  " + response.body().string());
    }
    out.println();
  }

  private static void concurrent(CourierClient client, String url, int count, PrintStream out)
      throws IOException {
    CountDownLatch done = new CountDownLatch(count);
    AtomicInteger failures = new AtomicInteger();
    for (int i = 0; i < count; i++) {
      client.newCall(new Request.Builder().url(url).build()).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          failures.incrementAndGet();
          out.println("  failed: " + e);
          done.countDown();
        }

        @Override
        public void onResponse(Call call, Response response) throws IOException {
          try (response) {
            byte[] body = response.body().bytes();
            synchronized (out) {
              out.print("  " + new String(body, StandardCharsets.UTF_8));
            }
          } finally {
            done.countDown();
          }
        }
      });
    }
    try {
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new IOException("concurrent calls did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (failures.get() > 0) {
      throw new IOException(failures.get() + " of " + count + " concurrent calls failed");
    }
    out.println();
  }
}
