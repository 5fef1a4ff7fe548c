package dev.courier.chain;

import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.chain.support.CallOutcome;
import dev.courier.chain.support.ConnectCounter;
import dev.courier.chain.support.FaultSuiteTable;
import dev.courier.chain.support.OneShotBody;
import dev.courier.chain.support.OpenFileDescriptors;
import dev.courier.chain.support.TestTls;
import dev.courier.testing.FaultInjectionServer;
import dev.courier.testing.FaultInjectionServer.RequestHead;
import dev.courier.testing.FaultPoint;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.ThreadLeakExtension;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every {@link FaultPoint} of a raw-socket {@link FaultInjectionServer} across HTTP/1.1,
 * h2c and h2 over TLS, for a GET, a POST with a one-shot body and a POST with a replayable body,
 * and checks the rules every failure path keeps:
 *
 * <ul>
 *   <li>the call ends, by itself and well before its 10 s call timeout, with an IOException whose
 *       message names the server's host:port; a stall ends in the 300 ms read timeout, anything
 *       else must be noticed, not waited out;
 *   <li>nothing is sent twice: a POST reaches the server at most once, a GET at most {@value
 *       #MAX_ATTEMPTS} times, and a call opens at most {@value #MAX_ATTEMPTS} connections; a GET
 *       that met a stale pooled connection is resent on a fresh one and succeeds;
 *   <li>the same client then succeeds against the server set to behave, on a connection the
 *       server did not break (an HTTP/2 connection whose stalled stream the client reset is clean);
 *   <li>after the client's pool is emptied (and the client closed, where it can be) and the
 *       server closed, no Courier or server thread is left and the process has no more file
 *       descriptors open than before the cell.
 * </ul>
 *
 * <p>The assertions are the rules, not today's behaviour: a cell fails when the client breaks
 * one. Every cell's outcome is printed as a table after the run and saved as {@code
 * target/fault-suite.txt}.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultSuiteTest {
  private static final int MAX_ATTEMPTS = 3;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration STALL_READ_TIMEOUT = Duration.ofMillis(300);
  private static final long FD_SETTLE_MILLIS = 3_000;
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Courier fault suite CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1");
  private static final SSLContext SERVER_TLS = CA.serverContext(LOCALHOST);

  @RegisterExtension
  static final FaultSuiteTable TABLE = new FaultSuiteTable(
      "Fault suite: fault, protocol, request: what the call did, what the server saw, recovery", "fault-suite.txt");

  @RegisterExtension
  final ThreadLeakExtension clientThreads = new ThreadLeakExtension("Courier");

  @RegisterExtension
  final ThreadLeakExtension serverThreads = new ThreadLeakExtension("FaultInjectionServer");

  /** Names the wire protocol of a cell. */
  enum Wire {
    HTTP_1_1("http/1.1", Protocol.HTTP_1_1),
    H2C("h2c", Protocol.H2_PRIOR_KNOWLEDGE),
    H2("h2", Protocol.HTTP_2);

    final String label;
    final Protocol negotiated;

    Wire(String label, Protocol negotiated) {
      this.label = label;
      this.negotiated = negotiated;
    }

    FaultInjectionServer newServer() {
      switch (this) {
        case HTTP_1_1:
          return FaultInjectionServer.http1();
        case H2C:
          return FaultInjectionServer.h2c();
        default:
          return FaultInjectionServer.h2(SERVER_TLS).hostName("localhost");
      }
    }

    void configure(CourierClient.Builder builder) {
      switch (this) {
        case HTTP_1_1:
          builder.protocols(List.of(Protocol.HTTP_1_1));
          break;
        case H2C:
          builder.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
          break;
        default:
          // Both h2 and http/1.1 offered in ALPN, as by default; the server picks h2.
          builder.sslSocketFactory(CA.clientSocketFactory(), CA.trustManager()).dns(TestTls.LOOPBACK_DNS);
      }
    }
  }

  /** Names the request of a cell. */
  enum Kind {
    GET("GET"),
    POST_ONE_SHOT("POST-one-shot"),
    POST_REPLAYABLE("POST-replayable");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    String method() {
      return this == GET ? "GET" : "POST";
    }

    Request request(String url, AtomicInteger oneShotWrites) {
      Request.Builder builder = new Request.Builder().url(url);
      switch (this) {
        case GET:
          return builder.get().build();
        case POST_ONE_SHOT:
          return builder.post(new OneShotBody(TEXT, "one-shot body", oneShotWrites)).build();
        default:
          return builder.post(RequestBody.create("replayable body", TEXT)).build();
      }
    }
  }

  /** One fault × protocol × request combination. */
  record Cell(FaultPoint fault, Wire wire, Kind kind) {
    @Override
    public String toString() {
      return fault.label() + " " + wire.label + " " + kind.label;
    }
  }

  static Stream<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (FaultPoint fault : FaultPoint.values()) {
      if (fault == FaultPoint.NONE) {
        continue;
      }
      for (Wire wire : Wire.values()) {
        for (Kind kind : Kind.values()) {
          cells.add(new Cell(fault, wire, kind));
        }
      }
    }
    return cells.stream();
  }

  /**
   * Runs a good and a broken exchange on every protocol once, so that the classes and jar files
   * the cells need are loaded (and their file descriptors open) before any cell counts them.
   */
  @BeforeAll
  static void loadWhatTheCellsUse() throws Exception {
    for (Wire wire : Wire.values()) {
      try (FaultInjectionServer server = wire.newServer().start()) {
        CourierClient client = newClient(wire, READ_TIMEOUT, new ConnectCounter());
        try {
          CallOutcome.of(client, Kind.POST_REPLAYABLE.request(server.url("/load"), new AtomicInteger()));
          server.fault(FaultPoint.RESET_MID_CHUNKED_BODY);
          CallOutcome.of(client, Kind.GET.request(server.url("/load"), new AtomicInteger()));
          server.fault(FaultPoint.REFUSE);
          CallOutcome.of(client, Kind.GET.request(server.url("/load"), new AtomicInteger()));
        } finally {
          close(client);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cells")
  void failureEndsPromptlyIsSentAtMostOnceAndTheClientRecovers(Cell cell) throws Exception {
    FaultPoint fault = cell.fault();
    SoftAssertions softly = new SoftAssertions();
    long fdsBefore = OpenFileDescriptors.count();
    FaultInjectionServer server = cell.wire().newServer().start();
    ConnectCounter attempts = new ConnectCounter();
    AtomicInteger oneShotWrites = new AtomicInteger();
    CourierClient client = newClient(cell.wire(), fault == FaultPoint.STALL ? STALL_READ_TIMEOUT : READ_TIMEOUT, attempts);
    StringBuilder observed = new StringBuilder();
    try {
      server.fault(fault);
      if (fault == FaultPoint.STALE_POOLED_CONNECTION) {
        CallOutcome warmUp = CallOutcome.of(client, Kind.GET.request(server.url("/warm-up"), oneShotWrites));
        softly.assertThat(warmUp.describe()).as("the first request, which pools the connection, succeeds")
            .startsWith("200 ok");
      }
      int connectionsBefore = server.connectionCount();
      attempts.reset();

      CallOutcome outcome = CallOutcome.of(client, cell.kind().request(server.url("/fault"), oneShotWrites));

      int seen = server.requestCount(cell.kind().method(), "/fault");
      int connections = server.connectionCount() - connectionsBefore;
      observed.append(outcome.describe()).append(", server saw ").append(seen).append(", ")
          .append(connections).append(" new connection(s), ").append(attempts.connectStarts()).append(" connect(s)");
      checkOutcome(softly, cell, server, outcome);
      checkSentAtMostOnce(softly, cell, seen, connections, attempts, oneShotWrites);

      server.fault(FaultPoint.NONE);
      CallOutcome recovery = CallOutcome.of(client, Kind.GET.request(server.url("/good"), oneShotWrites));
      observed.append(", then ").append(recovery.response() != null ? "recovered" : "did not recover: " + recovery.describe());
      checkRecovery(softly, cell, server, recovery);
    } catch (RuntimeException | Error e) {
      observed.append(" / suite error ").append(e);
      throw e;
    } finally {
      close(client);
      server.close();
      long fdsAfter = OpenFileDescriptors.awaitAtMost(fdsBefore, FD_SETTLE_MILLIS);
      softly.assertThat(fdsAfter).as("no file descriptor leaks (open before %d, after %d)", fdsBefore, fdsAfter)
          .isLessThanOrEqualTo(fdsBefore);
      List<String> violations = new ArrayList<>();
      for (Throwable error : softly.errorsCollected()) {
        violations.add(ruleBroken(error));
      }
      TABLE.record(cell.toString(), observed.toString(), violations);
    }
    softly.assertAll();
  }

  private static void checkOutcome(SoftAssertions softly, Cell cell, FaultInjectionServer server, CallOutcome outcome) {
    FaultPoint fault = cell.fault();
    softly.assertThat(outcome.unexpected()).as("failures are IOExceptions, nothing else escapes").isNull();
    softly.assertThat(outcome.elapsedNanos()).as("the call ended before the %s call-timeout backstop", CALL_TIMEOUT)
        .isLessThan(CALL_TIMEOUT.toNanos());
    if (fault == FaultPoint.STALE_POOLED_CONNECTION && cell.kind() == Kind.GET) {
      softly.assertThat(outcome.describe()).as("a GET that met a stale pooled connection is resent and succeeds")
          .startsWith("200 ok");
      return;
    }
    if (outcome.failure() == null) {
      softly.fail("[the call fails] it succeeded: " + outcome.describe());
      return;
    }
    String message = outcome.failure().getMessage();
    String ip = "127.0.0.1:" + server.port();
    String name = "localhost:" + server.port();
    softly.assertThat(outcome.failure() instanceof EOFException && message == null)
        .as("no EOFException without a message").isFalse();
    softly.assertThat(message).as("the failure's message names %s or %s", ip, name)
        .matches(m -> m != null && (m.contains(ip) || m.contains(name)), "names host:port");
    softly.assertThat(outcome.failure().getSuppressed().length).as("the failure carries at most %d suppressed ones",
        MAX_ATTEMPTS).isLessThanOrEqualTo(MAX_ATTEMPTS);
    if (fault == FaultPoint.STALL) {
      softly.assertThat(outcome.failure()).as("a stall ends in the read timeout, an InterruptedIOException")
          .isInstanceOf(InterruptedIOException.class);
    } else {
      softly.assertThat(outcome.failure()).as("a closed, reset or refused connection is noticed, not timed out")
          .isNotInstanceOf(InterruptedIOException.class);
    }
  }

  private static void checkSentAtMostOnce(SoftAssertions softly, Cell cell, int seen, int connections,
      ConnectCounter attempts, AtomicInteger oneShotWrites) {
    FaultPoint fault = cell.fault();
    boolean post = cell.kind() != Kind.GET;
    softly.assertThat(seen).as(post ? "a POST reaches the server at most once" : "a GET is sent at most %d times",
        MAX_ATTEMPTS).isLessThanOrEqualTo(post ? 1 : MAX_ATTEMPTS);
    softly.assertThat(Math.max(connections, attempts.connectStarts()))
        .as("a call opens at most %d connections", MAX_ATTEMPTS).isLessThanOrEqualTo(MAX_ATTEMPTS);
    softly.assertThat(oneShotWrites.get()).as("a one-shot body is written at most once").isLessThanOrEqualTo(1);
    if (fault == FaultPoint.REFUSE || fault.atAccept()) {
      softly.assertThat(seen).as("(suite check) the server read no request").isZero();
    } else {
      softly.assertThat(seen).as("(suite check) the request reached the server").isPositive();
    }
  }

  private static void checkRecovery(SoftAssertions softly, Cell cell, FaultInjectionServer server, CallOutcome recovery) {
    softly.assertThat(recovery.describe()).as("the same client then succeeds")
        .isEqualTo("200 ok over " + cell.wire().negotiated);
    RequestHead good = null;
    RequestHead broken = null;
    for (RequestHead head : server.requests()) {
      if (head.path().equals("/good")) {
        good = head;
      } else if (head.fault() != FaultPoint.NONE) {
        broken = head;
      }
    }
    if (good == null) {
      return;
    }
    boolean faulted = server.faultedConnections().contains(good.connection());
    boolean cleanStreamReset = cell.wire() != Wire.HTTP_1_1 && cell.fault() == FaultPoint.STALL && broken != null
        && broken.connection() == good.connection() && server.clientResetStream(broken.connection(), broken.streamId());
    softly.assertThat(!faulted || cleanStreamReset)
        .as("no broken connection is reused (good request on connection %d, broken ones %s)",
            good.connection(), server.faultedConnections())
        .isTrue();
  }

  private static CourierClient newClient(Wire wire, Duration readTimeout, ConnectCounter attempts) {
    CourierClient.Builder builder = CourierClient.builder()
        .eventListener(attempts)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(readTimeout)
        .writeTimeout(READ_TIMEOUT)
        .callTimeout(CALL_TIMEOUT);
    wire.configure(builder);
    return builder.build();
  }

  /** Empties the pool and, where the client can be closed, closes it. */
  private static void close(CourierClient client) throws Exception {
    client.connectionPool().evictAll();
    Object closeable = client;
    if (closeable instanceof AutoCloseable) {
      ((AutoCloseable) closeable).close();
    }
  }

  /** Returns the rule an AssertJ error names in its description, else its first line. */
  private static String ruleBroken(Throwable error) {
    String message = String.valueOf(error.getMessage()).strip();
    if (message.startsWith("[")) {
      int end = message.indexOf(']');
      String rest = message.substring(end + 1).strip();
      int newline = rest.indexOf('\n');
      return message.substring(1, end) + (newline == -1 && rest.length() < 160 && !rest.isEmpty() ? " (" + rest + ")" : "");
    }
    int newline = message.indexOf('\n');
    return newline == -1 ? message : message.substring(0, newline);
  }
}
