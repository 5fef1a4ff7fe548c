package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class RecordedRequestTest {
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
  void headersKeepReceivedOrderCaseAndRepeats() throws Exception {
    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("GET /h HTTP/1.1\r\nHost: example.test:8080\r\nX-Multi: 1\r\naccept: */*\r\nX-Multi: 2\r\n\r\n")
          .readResponse();
    }

    RecordedRequest request = server.takeRequest();
    assertThat(request.headers()).containsExactly(
        entry("Host", "example.test:8080"), entry("X-Multi", "1"), entry("accept", "*/*"), entry("X-Multi", "2"));
    assertThat(request.header("x-multi")).isEqualTo("1");
    assertThat(request.headerValues("X-MULTI")).containsExactly("1", "2");
    assertThat(request.header("missing")).isNull();
    assertThat(request.authority()).isEqualTo("example.test:8080");
    assertThat(request.tlsVersion()).isNull();
    assertThat(request.sniHostName()).isNull();
    assertThat(request.streamId()).isZero();
  }

  @Test
  void chunkedRequestBodyAndTrailersAreDecoded() throws Exception {
    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 5\r\nX-Sum: 6\r\n\r\n").readResponse();
    }

    RecordedRequest request = server.takeRequest();
    assertThat(request.bodyUtf8()).isEqualTo("abcde");
    assertThat(request.trailers()).containsExactly(entry("X-Sum", "5, 6"));
  }

  @Test
  void absoluteFormTargetHasItsPath() throws Exception {
    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("GET http://other.test/p/q?x=y HTTP/1.1\r\nHost: other.test\r\n\r\n").readResponse();
    }

    RecordedRequest request = server.takeRequest();
    assertThat(request.target()).isEqualTo("http://other.test/p/q?x=y");
    assertThat(request.path()).isEqualTo("/p/q");
  }

  @Test
  void http10RequestIsRecordedWithItsVersion() throws Exception {
    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("GET /old HTTP/1.0\r\n\r\n");
      assertThat(connection.readResponse().statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
      assertThat(connection.closedByServer()).isTrue();
    }

    RecordedRequest request = server.takeRequest();
    assertThat(request.version()).isEqualTo("HTTP/1.0");
    assertThat(request.authority()).isNull();
    assertThat(request.toString()).isEqualTo("GET /old HTTP/1.0");
  }
}
