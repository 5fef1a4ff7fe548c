package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ScriptedResponseTest {
  private final TestServer server = new TestServer();

  @BeforeEach
  void setUp() throws Exception {
    server.start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void defaultIsOkWithEmptyBody() {
    ScriptedResponse response = ScriptedResponse.builder().build();

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.reason()).isEqualTo("OK");
    assertThat(response.headers()).containsExactly(entry("Content-Length", "0"));
    assertThat(response.body()).isEmpty();
    assertThat(response.fault()).isNull();
    assertThat(response.expectContinue()).isTrue();
  }

  @Test
  void bodySetsContentLength() {
    ScriptedResponse response = ScriptedResponse.builder().header("A", "1").body("héllo").build();

    assertThat(response.headers()).containsExactly(entry("A", "1"), entry("Content-Length", "6"));
  }

  @Test
  void chunkedBodyReplacesContentLengthWithTransferEncoding() {
    ScriptedResponse response = ScriptedResponse.builder().body("abc").chunkedBody("abc", 2).build();

    assertThat(response.headers()).containsExactly(entry("Transfer-Encoding", "chunked"));
    assertThat(response.chunked()).isTrue();
    assertThat(response.maxChunkSize()).isEqualTo(2);
  }

  @Test
  void newBuilderCopiesEverySetting() {
    ScriptedResponse original = ScriptedResponse.builder().status(202, "Later").header("X", "y").body("b")
        .trailers("t", "1").informational(103, "Link", "</a>").closeConnectionAfter().build();

    ScriptedResponse copy = original.newBuilder().build();

    assertThat(copy.status()).isEqualTo(202);
    assertThat(copy.reason()).isEqualTo("Later");
    assertThat(copy.headers()).isEqualTo(original.headers());
    assertThat(copy.body()).isEqualTo(original.body());
    assertThat(copy.trailers()).isEqualTo(original.trailers());
    assertThat(copy.informational()).hasSize(1);
    assertThat(copy.closeConnectionAfter()).isTrue();
  }

  @Test
  void invalidSettingsAreRejectedWithTheSettingsName() {
    assertThatThrownBy(() -> ScriptedResponse.builder().status(42)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status");
    assertThatThrownBy(() -> ScriptedResponse.builder().chunkedBody("a", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxChunkSize");
    assertThatThrownBy(() -> ScriptedResponse.builder().informational(200)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1xx");
    assertThatThrownBy(() -> ScriptedResponse.builder().trailers("odd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScriptedResponse.builder().throttleBody(0, 1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytesPerPeriod");
    assertThatThrownBy(() -> ScriptedResponse.builder().resetStream(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statusLineHeadersAndBodyAreWrittenVerbatim() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(299, "Fine Thanks").header("X-B", "2").header("x-a", "1")
        .header("X-B", "3").body("hi").build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/");
      assertThat(connection.readHead()).isEqualTo(
          "HTTP/1.1 299 Fine Thanks\r\nX-B: 2\r\nx-a: 1\r\nX-B: 3\r\nContent-Length: 2\r\n\r\n");
      assertThat(connection.readString(2)).isEqualTo("hi");
    }
  }

  @Test
  void chunkedBodyAndTrailersAreFramedOnTheWire() throws Exception {
    server.enqueue(ScriptedResponse.builder().chunkedBody("hello world", 4).trailers("X-Checksum", "abc").build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/");
      assertThat(connection.readHead()).isEqualTo("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      String framed = "4\r\nhell\r\n4\r\no wo\r\n3\r\nrld\r\n0\r\nX-Checksum: abc\r\n\r\n";
      assertThat(connection.readString(framed.length())).isEqualTo(framed);
      assertThat(connection.silentFor(100)).isTrue();
    }
  }

  @Test
  void chunkedBodyIsDecodedByJdkClient() throws Exception {
    server.enqueue(ScriptedResponse.builder().chunkedBody("a body in many small chunks", 3).build());

    HttpURLConnection connection = (HttpURLConnection) new URL(server.url("/")).openConnection();
    try (InputStream body = connection.getInputStream()) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a body in many small chunks");
    } finally {
      connection.disconnect();
    }
  }

  @Test
  void noContentLengthSendsBodyAndCloses() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("until close").noContentLength().build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/");
      assertThat(connection.readHead()).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
      assertThat(new String(connection.readUntilClosed(), StandardCharsets.UTF_8)).isEqualTo("until close");
    }
  }

  @Test
  void rawBytesAreTheWholeResponse() throws Exception {
    server.enqueue(ScriptedResponse.builder().raw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nBroken header\r\n\r\nabc")
        .closeConnectionAfter().build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/");
      assertThat(new String(connection.readUntilClosed(), StandardCharsets.UTF_8))
          .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nBroken header\r\n\r\nabc");
    }
  }

  @Test
  void informationalResponsesPrecedeFinalResponse() throws Exception {
    server.enqueue(ScriptedResponse.builder().informational(103, "Link", "</style.css>; rel=preload").body("done")
        .build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/");
      assertThat(connection.readHead()).isEqualTo("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");
      assertThat(connection.readResponse().body()).isEqualTo("done");
    }
  }

  @Test
  void throttledBodyArrivesInSlices() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("abcdefghi").throttleBody(3, 300, TimeUnit.MILLISECONDS).build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/");
      connection.readHead();
      InputStream in = connection.socket().getInputStream();
      byte[] buffer = new byte[64];
      int firstRead = in.read(buffer);
      assertThat(firstRead).isBetween(1, 3);
      byte[] rest = connection.readBytes(9 - firstRead);
      assertThat(new String(buffer, 0, firstRead, StandardCharsets.UTF_8) + new String(rest, StandardCharsets.UTF_8))
          .isEqualTo("abcdefghi");
    }
  }

  @Test
  void bodyDelayHoldsBodyBackAfterHeaders() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("late").bodyDelay(500, TimeUnit.MILLISECONDS).build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/");
      assertThat(connection.readHead()).contains("Content-Length: 4");
      assertThat(connection.socket().getInputStream().available()).isZero();
      assertThat(connection.readString(4)).isEqualTo("late");
    }
  }

  @Test
  void headersDelayStillDeliversResponse() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("eventually").headersDelay(100, TimeUnit.MILLISECONDS).build());

    try (RawConnection connection = RawConnection.open(server)) {
      assertThat(connection.get("/").readResponse().body()).isEqualTo("eventually");
    }
  }
}
