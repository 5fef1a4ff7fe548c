package dev.courier.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Protocol;
import dev.courier.chain.CourierClient;
import dev.courier.testing.Fault;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.DefaultResponseErrorHandler;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/** Runs Spring's RestClient and RestTemplate on Courier against the Netty test server and raw peers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CourierClientHttpRequestFactoryTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  record Greeting(String name, int count) {}

  private final TestServer server = new TestServer();
  private CourierClient client = new CourierClient();
  private CourierClientHttpRequestFactory factory = new CourierClientHttpRequestFactory(client);

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void restClientPostsAndReadsJson() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().header("Content-Type", "application/json")
        .body(request.bodyUtf8().replace("\"count\":1", "\"count\":2")).build());
    server.start();

    Greeting reply = restClient().post().uri("/greetings").contentType(MediaType.APPLICATION_JSON)
        .body(new Greeting("Zoë", 1)).retrieve().body(Greeting.class);

    assertThat(reply).isEqualTo(new Greeting("Zoë", 2));
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.method()).isEqualTo("POST");
    assertThat(recorded.path()).isEqualTo("/greetings");
    assertThat(recorded.header("Content-Type")).isEqualTo("application/json");
    assertThat(recorded.bodyUtf8()).isEqualTo("{\"name\":\"Zoë\",\"count\":1}");
  }

  @Test
  void restTemplateGetsPostsPutsAndDeletes() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().header("Content-Type", "text/plain")
        .body(request.method() + " " + request.bodyUtf8()).build());
    server.start();
    RestTemplate template = new RestTemplate(factory);

    assertThat(template.getForObject(server.url("/"), String.class)).isEqualTo("GET ");
    assertThat(template.postForObject(server.url("/"), "posted", String.class)).isEqualTo("POST posted");
    template.put(server.url("/"), "replaced");
    template.delete(server.url("/"));

    assertThat(server.takeRequest().method()).isEqualTo("GET");
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("posted");
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("replaced");
    RecordedRequest delete = server.takeRequest();
    assertThat(delete.method()).isEqualTo("DELETE");
    assertThat(delete.bodySize()).isZero();
  }

  @Test
  void headersTravelBothWaysWithEveryValue() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("X-Multi", "one").header("X-Multi", "two")
        .header("Content-Type", "text/plain").body("ok").build());
    server.start();

    ResponseEntity<String> entity = restClient().get().uri("/h")
        .header("X-Request", "a", "b").header("Authorization", "Bearer t").retrieve().toEntity(String.class);

    assertThat(entity.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(entity.getHeaders().get("X-Multi")).containsExactly("one", "two");
    assertThat(entity.getHeaders().getContentType()).isEqualTo(MediaType.TEXT_PLAIN);
    assertThat(entity.getBody()).isEqualTo("ok");
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.headerValues("X-Request")).containsExactly("a", "b");
    assertThat(recorded.header("Authorization")).isEqualTo("Bearer t");
  }

  @Test
  void aStreamingRequestBodyReachesTheServerWhileItIsBeingWritten() throws Exception {
    CountDownLatch serverHasPartOne = new CountDownLatch(1);
    try (RawPeer peer = new RawPeer(connection -> {
      connection.readUntil("part one");
      serverHasPartOne.countDown();
      String request = connection.readUntil("0\r\n\r\n");
      assertThat(request).contains("Transfer-Encoding: chunked").doesNotContain("Content-Length");
      assertThat(request).contains("part two");
      connection.write("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nreceived");
      connection.awaitClose();
    })) {
      String reply = RestClient.builder().requestFactory(factory).build().post().uri(peer.url("/upload")).contentType(MediaType.TEXT_PLAIN)
          .body(out -> {
            out.write("part one".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Collecting the body before sending it would leave the server waiting here forever.
            try {
              if (!serverHasPartOne.await(20, TimeUnit.SECONDS)) {
                throw new IOException("the server did not get the first part while the body was written");
              }
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            out.write("part two".getBytes(StandardCharsets.UTF_8));
            out.close(); // A body may close its stream; the exchange still ends the body itself.
          })
          .retrieve().body(String.class);
      assertThat(reply).isEqualTo("received");
      client.connectionPool().evictAll();
      peer.awaitDone();
    }
  }

  @Test
  void aResponseBodyStreamsToTheApplicationAsItArrives() throws Exception {
    CountDownLatch firstLineRead = new CountDownLatch(1);
    try (RawPeer peer = new RawPeer(connection -> {
      connection.readUntil("\r\n\r\n");
      connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "6\r\nfirst\n\r\n");
      if (firstLineRead.await(20, TimeUnit.SECONDS)) {
        connection.write("7\r\nsecond\n\r\n0\r\n\r\n");
      }
      connection.awaitClose();
    })) {
      List<String> lines = RestClient.builder().requestFactory(factory).build().get().uri(peer.url("/stream")).exchange((request, response) -> {
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.getBody(), StandardCharsets.UTF_8));
        List<String> read = new ArrayList<>();
        read.add(reader.readLine());
        firstLineRead.countDown();
        read.add(reader.readLine());
        read.add(String.valueOf(reader.readLine()));
        return read;
      });
      assertThat(lines).containsExactly("first", "second", "null");
      client.connectionPool().evictAll();
      peer.awaitDone();
    }
  }

  @Test
  void clientAndServerErrorsReachSpringsErrorHandling() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(404, "Not Found").body("no such thing").build());
    server.enqueue(ScriptedResponse.builder().status(503, "Service Unavailable").body("later").build());
    server.enqueue(ScriptedResponse.builder().status(409, "Conflict").body("taken").build());
    server.enqueue(ScriptedResponse.builder().status(500, "Internal Server Error").body("oops").build());
    server.start();
    RestTemplate template = new RestTemplate(factory);

    assertThatThrownBy(() -> template.getForObject(server.url("/missing"), String.class))
        .isInstanceOfSatisfying(HttpClientErrorException.NotFound.class,
            e -> assertThat(e.getResponseBodyAsString()).isEqualTo("no such thing"))
        .hasMessageStartingWith("404 Not Found");
    assertThatThrownBy(() -> template.getForObject(server.url("/busy"), String.class))
        .isInstanceOfSatisfying(HttpServerErrorException.ServiceUnavailable.class,
            e -> assertThat(e.getResponseBodyAsString()).isEqualTo("later"));

    // RestClient: a status handler of the caller's own.
    assertThatThrownBy(() -> restClient().get().uri("/taken").retrieve()
        .onStatus(HttpStatusCode::is4xxClientError, (request, response) -> {
          throw new IllegalStateException(response.getStatusCode().value() + " " + response.getStatusText() + ": "
              + new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
        })
        .body(String.class))
        .isInstanceOf(IllegalStateException.class).hasMessage("409 Conflict: taken");

    // RestTemplate: an error handler that lets the response through.
    template.setErrorHandler(new DefaultResponseErrorHandler() {
      @Override
      public boolean hasError(ClientHttpResponse response) {
        return false;
      }
    });
    ResponseEntity<String> entity = template.getForEntity(server.url("/broken"), String.class);
    assertThat(entity.getStatusCode().value()).isEqualTo(500);
    assertThat(entity.getBody()).isEqualTo("oops");
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void aBodyCutShortFailsWithCouriersErrorNamingTheServer() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "text/plain").body("x".repeat(10_000))
        .fault(Fault.CLOSE_MID_BODY).build());
    server.enqueue(ScriptedResponse.builder().body("fresh").build());
    server.start();
    RestTemplate template = new RestTemplate(factory);

    // Spring reports a failure while reading the body as RestClientException, whatever the factory.
    assertThatThrownBy(() -> template.getForObject(server.url("/cut"), String.class))
        .isInstanceOf(RestClientException.class)
        .rootCause().isInstanceOf(IOException.class)
        .hasMessageContaining(server.hostName() + ":" + server.port());
    // The broken connection was not pooled: the next call opens a fresh one and succeeds.
    assertThat(template.getForObject(server.url("/next"), String.class)).isEqualTo("fresh");
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void overHttp2TheStatusTextIsTheStandardReasonPhrase() throws Exception {
    server.protocols(List.of("h2c"));
    server.enqueue(ScriptedResponse.builder().status(404).body("gone").build());
    server.start();
    client.close();
    client = CourierClient.builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
    factory = new CourierClientHttpRequestFactory(client);

    ClientHttpResponse response = factory.createRequest(java.net.URI.create(server.url("/")),
        org.springframework.http.HttpMethod.GET).execute();
    try (response) {
      assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
      assertThat(response.getStatusText()).isEqualTo("Not Found");
      assertThat(new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("gone");
    }
  }

  @Test
  void aReadTimeoutIsASocketTimeoutInsideResourceAccessException() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    server.start();
    factory.setReadTimeout(Duration.ofMillis(200));

    assertThatThrownBy(() -> new RestTemplate(factory).getForObject(server.url("/slow"), String.class))
        .isInstanceOf(ResourceAccessException.class)
        .hasMessageContaining("/slow")
        .cause().isInstanceOf(SocketTimeoutException.class);
    assertThat(factory.client().readTimeoutMillis()).isEqualTo(200);
    // The factory's client shares the given client's pool: nothing was left in it.
    assertThat(client.connectionPool().connectionCount()).isZero();
  }

  @Test
  void aConnectTimeoutIsASocketTimeoutInsideResourceAccessException() throws Exception {
    // A listening socket whose accept queue is full drops further connection attempts, so
    // connecting to it waits until the timeout.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> queued = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket socket = new Socket();
          try {
            socket.connect(new InetSocketAddress(full.getInetAddress(), full.getLocalPort()), 200);
            queued.add(socket);
          } catch (SocketTimeoutException queueIsFull) {
            socket.close();
            break;
          }
        }
        factory.setConnectTimeout(Duration.ofMillis(250));

        String url = "http://" + full.getInetAddress().getHostAddress() + ":" + full.getLocalPort() + "/";
        assertThatThrownBy(() -> new RestTemplate(factory).getForObject(url, String.class))
            .isInstanceOf(ResourceAccessException.class)
            .cause().isInstanceOf(SocketTimeoutException.class)
            .hasMessageContaining(full.getInetAddress().getHostAddress() + ":" + full.getLocalPort());
      } finally {
        for (Socket socket : queued) {
          socket.close();
        }
      }
    }
  }

  @Test
  void closingTheResponseReleasesTheConnection() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("first").build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    server.enqueue(ScriptedResponse.builder().fault(Fault.STALL).build());
    server.start();

    assertThat(restClient().get().uri("/1").retrieve().body(String.class)).isEqualTo("first");
    assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(1);
    assertThat(restClient().get().uri("/2").retrieve().body(String.class)).isEqualTo("second");
    assertThat(server.connectionCount()).isEqualTo(1);

    // Closed while the body is still owed: the connection cannot be reused, and is closed, not leaked.
    ClientHttpResponse unread = factory.createRequest(java.net.URI.create(server.url("/3")),
        org.springframework.http.HttpMethod.GET).execute();
    assertThat(unread.getStatusCode()).isEqualTo(HttpStatus.OK);
    unread.close();
    assertThat(client.connectionPool().connectionCount()).isZero();
  }

  @Test
  void aRepeatableBodyFollowsA307ButAStreamedOneIsNotSentTwice() throws Exception {
    server.dispatcher(request -> request.path().equals("/moved")
        ? ScriptedResponse.builder().status(307).header("Location", "/target").build()
        : ScriptedResponse.builder().body("at target: " + request.bodyUtf8()).build());
    server.start();
    AtomicInteger writes = new AtomicInteger();

    String repeated = restClient().post().uri("/moved").contentType(MediaType.TEXT_PLAIN).body("text")
        .retrieve().body(String.class);
    ResponseEntity<Void> notFollowed = restClient().post().uri("/moved").contentType(MediaType.TEXT_PLAIN)
        .body(out -> {
          writes.incrementAndGet();
          out.write("stream".getBytes(StandardCharsets.UTF_8));
        })
        .retrieve().toBodilessEntity();

    assertThat(repeated).isEqualTo("at target: text");
    assertThat(notFollowed.getStatusCode().value()).isEqualTo(307);
    assertThat(writes).hasValue(1);
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void aFactoryMadeWithoutAClientClosesItsOwnOnDestroy() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("own").build());
    server.start();
    CourierClientHttpRequestFactory own = new CourierClientHttpRequestFactory();
    try {
      assertThat(new RestTemplate(own).getForObject(server.url("/"), String.class)).isEqualTo("own");
    } finally {
      own.destroy();
    }
    assertThat(own.client().connectionPool().connectionCount()).isZero();
    assertThatThrownBy(() -> factory.setReadTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readTimeout");
  }

  private RestClient restClient() {
    return RestClient.builder().requestFactory(factory).baseUrl(server.url("")).build();
  }
}
