package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shows each {@link Fault} on the wire of an HTTP/1.1 connection. */
@Timeout(20)
class FaultTest {
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
  void closeAtConnectClosesBeforeAnyResponseAndDoesNotRecord() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AT_CONNECT).build());
    server.enqueue(ScriptedResponse.builder().body("second try").build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/");
      assertThat(connection.readUntilClosed()).isEmpty();
    }
    assertThat(server.requestCount()).isZero();

    try (RawConnection connection = RawConnection.open(server)) {
      assertThat(connection.get("/").readResponse().body()).isEqualTo("second try");
    }
    assertThat(server.takeRequest().connectionIndex()).isEqualTo(1);
  }

  @Test
  void closeAfterRequestReadsWholeRequestThenCloses() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(connection.readUntilClosed()).isEmpty();
    }
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("hello");
  }

  @Test
  void closeAfterHeadersSendsHeadersPromisingBodyThenCloses() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("never sent").fault(Fault.CLOSE_AFTER_HEADERS).build());

    try (RawConnection connection = RawConnection.open(server)) {
      String head = connection.get("/").readHead();
      assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 10\r\n");
      assertThat(connection.readUntilClosed()).isEmpty();
    }
  }

  @Test
  void closeAfterHeadersWithoutScriptedBodyStillPromisesBytes() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_HEADERS).build());

    try (RawConnection connection = RawConnection.open(server)) {
      assertThat(connection.get("/").readHead()).contains("Content-Length: 64\r\n");
      assertThat(connection.readUntilClosed()).isEmpty();
    }
  }

  @Test
  void closeMidBodySendsHalfTheBodyThenCloses() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("0123456789").fault(Fault.CLOSE_MID_BODY).build());

    try (RawConnection connection = RawConnection.open(server)) {
      assertThat(connection.get("/").readHead()).contains("Content-Length: 10\r\n");
      assertThat(new String(connection.readUntilClosed(), StandardCharsets.UTF_8)).isEqualTo("01234");
    }
  }

  @Test
  void stallSendsHeadersAndKeepsConnectionOpenWithoutBody() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("0123456789").fault(Fault.STALL).build());

    try (RawConnection connection = RawConnection.open(server)) {
      assertThat(connection.get("/").readHead()).contains("Content-Length: 10\r\n");
      assertThat(connection.silentFor(300)).isTrue();
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void noResponseRecordsRequestAndStaysSilent() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/quiet");
      assertThat(server.takeRequest().path()).isEqualTo("/quiet");
      assertThat(connection.silentFor(300)).isTrue();
    }
  }

  @Test
  void faultOnlyAffectsItsOwnResponse() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    server.enqueue(ScriptedResponse.builder().body("fine").build());

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/");
      assertThat(connection.closedByServer()).isTrue();
    }
    try (RawConnection connection = RawConnection.open(server)) {
      assertThat(connection.get("/").readResponse().body()).isEqualTo("fine");
    }
  }
}
