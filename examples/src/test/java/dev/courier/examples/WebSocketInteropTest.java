package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.WebSocket;
import dev.courier.WebSocketListener;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ExternalProcess;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs WebSockets against servers nobody here wrote: Autobahn|Python's echo server with and
 * without permessage-deflate, and websocketd running {@code cat} over ws:// and wss://. Messages
 * are echoed byte for byte; the bytes on the wire of a text-heavy stream are measured with and
 * without compression. Skipped where the servers are not installed; CI installs them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WebSocketInteropTest {
  /** Payload bytes sent but not yet echoed, at most: keeps the client's queue from filling. */
  private static final long WINDOW_BYTES = 4L * 1024 * 1024;
  /**
   * The window for websocketd: with more in flight than cat's pipes hold (64 KiB each way) it
   * stops echoing for good, whatever the client (seen with Debian 12's websocketd, also with a
   * Python client), so it gets less at a time.
   */
  private static final long WEBSOCKETD_WINDOW_BYTES = 32L * 1024;

  @TempDir Path directory;

  @ParameterizedTest
  @ValueSource(strings = {"plain", "deflate"})
  void autobahnEchoesTenThousandMessagesOfMixedSizesEachWay(String mode) throws Exception {
    int port = ExternalProcess.freePort();
    try (ExternalProcess server = WebSocketServers.autobahn(directory, mode, port);
         CourierClient client = client().build()) {
      List<Object> messages = mixedMessages(10_000, new Random(11));
      Echo echo = echo(client, "ws://127.0.0.1:" + port + "/", messages);
      assertThat(echo.extensions()).as(server.logText())
          .isEqualTo(mode.equals("plain") ? "" : "permessage-deflate");
      assertThat(echo.response().header("Server")).startsWith("AutobahnPython");
    }
  }

  @Test
  void autobahnAskingForNoClientContextTakeover() throws Exception {
    int port = ExternalProcess.freePort();
    try (ExternalProcess server = WebSocketServers.autobahn(directory, "deflate-lean", port);
         CourierClient client = client().build()) {
      Echo echo = echo(client, "ws://127.0.0.1:" + port + "/", mixedMessages(1_000, new Random(12)));
      assertThat(echo.extensions()).isEqualTo("permessage-deflate; client_no_context_takeover");
    }
  }

  @Test
  void compressionRecipeSeesTheAgreedExtension() throws Exception {
    int port = ExternalProcess.freePort();
    try (ExternalProcess server = WebSocketServers.autobahn(directory, "deflate", port);
         CourierClient client = client().build()) {
      String agreed = new WebSocketRecipes(client).compression("ws://127.0.0.1:" + port + "/")
          .get(30, TimeUnit.SECONDS);
      assertThat(agreed).isEqualTo("permessage-deflate");
    }
  }

  @Test
  void autobahnWithCompressionTurnedOff() throws Exception {
    int port = ExternalProcess.freePort();
    try (ExternalProcess server = WebSocketServers.autobahn(directory, "deflate", port);
         CourierClient client = client().webSocketCompression(false).build()) {
      Echo echo = echo(client, "ws://127.0.0.1:" + port + "/", mixedMessages(200, new Random(13)));
      assertThat(echo.extensions()).isEmpty();
    }
  }

  @Test
  void websocketdEchoesLinesThroughCat() throws Exception {
    int port = ExternalProcess.freePort();
    try (ExternalProcess server = WebSocketServers.websocketd(directory, port, null, null);
         CourierClient client = client().build()) {
      Echo echo = echo(client, "ws://127.0.0.1:" + port + "/", lines(2_000, new Random(14)),
          WEBSOCKETD_WINDOW_BYTES);
      assertThat(echo.extensions()).isEmpty();
    }
  }

  @Test
  void websocketdOverTls() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Courier WebSocket CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    Path cert = Files.writeString(directory.resolve("cert.pem"), certificate.chainPem());
    Path key = Files.writeString(directory.resolve("key.pem"), certificate.privateKeyPem());
    int port = ExternalProcess.freePort();
    try (ExternalProcess server = WebSocketServers.websocketd(directory, port, cert, key);
         CourierClient client = client()
             .sslSocketFactory(authority.clientSocketFactory(), authority.trustManager())
             .build()) {
      Echo echo = echo(client, "wss://localhost:" + port + "/", lines(200, new Random(15)),
          WEBSOCKETD_WINDOW_BYTES);
      assertThat(echo.response().handshake()).isNotNull();
    }
  }

  @Test
  void commandLineClientNegotiatesDeflateWithAutobahn() throws Exception {
    int port = ExternalProcess.freePort();
    try (ExternalProcess server = WebSocketServers.autobahn(directory, "deflate", port)) {
      String input = String.join("\n", TextStream.messages(50, new Random(16))) + "\n";
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      CliConsole console = new CliConsole(
          new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          out, new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
          false, false, 100);
      int exit = CourierCli.run(new String[] {"-v", "ws://127.0.0.1:" + port + "/"}, console);
      String trace = err.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(exit).as(trace).isZero();
      assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(input);
      assertThat(trace).contains("< Sec-WebSocket-Extensions: permessage-deflate",
          "* WebSocket open; extensions: permessage-deflate", "* WebSocket closed");
    }
  }

  @Test
  void compressionShrinksATextHeavyStream() throws Exception {
    List<Object> stream = new ArrayList<>(TextStream.messages(2_000, new Random(2026)));
    long payload = 0;
    for (Object message : stream) {
      payload += ((String) message).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    long[] plain = measure("plain", stream, true);
    long[] deflate = measure("deflate", stream, true);
    long[] lean = measure("deflate-lean", stream, true);
    System.out.printf("WebSocket wire bytes for %d text messages, %d payload bytes each way:%n"
        + "  no compression:                       sent %d, received %d%n"
        + "  permessage-deflate:                   sent %d, received %d%n"
        + "  permessage-deflate, client no context: sent %d, received %d%n",
        stream.size(), payload, plain[0], plain[1], deflate[0], deflate[1], lean[0], lean[1]);
    assertThat(plain[0]).isGreaterThan(payload);
    // Context takeover makes repetitive JSON shrink to a fraction.
    assertThat(deflate[0]).isLessThan(plain[0] / 3);
    assertThat(deflate[1]).isLessThan(plain[1] / 3);
    assertThat(lean[0]).isBetween(deflate[0], plain[0]);
  }

  private long[] measure(String mode, List<Object> messages, boolean compression) throws Exception {
    int port = ExternalProcess.freePort();
    CountingSocketFactory sockets = new CountingSocketFactory();
    try (ExternalProcess server = WebSocketServers.autobahn(directory, mode, port);
         CourierClient client = client().socketFactory(sockets).webSocketCompression(compression).build()) {
      echo(client, "ws://127.0.0.1:" + port + "/", messages);
    }
    return new long[] {sockets.bytesWritten.get(), sockets.bytesRead.get()};
  }

  private static CourierClient.Builder client() {
    return CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1));
  }

  /**
   * Returns {@code count} messages, alternately text and binary: most of up to 4 KiB, every
   * hundredth from 64 KiB to 1 MiB (the last exactly 1 MiB), some empty.
   */
  static List<Object> mixedMessages(int count, Random random) {
    List<Object> messages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int size;
      if (i == count - 1) {
        size = 1024 * 1024;
      } else if (i % 100 == 99) {
        size = 64 * 1024 + random.nextInt(960 * 1024 + 1);
      } else if (i % 50 == 7) {
        size = 0;
      } else {
        size = random.nextInt(4097);
      }
      if (i % 2 == 0) {
        messages.add(TextStream.text(size, random));
      } else {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        messages.add(ByteString.of(bytes));
      }
    }
    return messages;
  }

  /** Returns {@code count} non-empty text lines of up to 16 KiB (cat echoes lines). */
  private static List<Object> lines(int count, Random random) {
    List<Object> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int size = i % 100 == 99 ? 16 * 1024 : 1 + random.nextInt(2048);
      lines.add(TextStream.text(size, random));
    }
    return lines;
  }

  record Echo(Response response, String extensions) {}

  static Echo echo(CourierClient client, String url, List<Object> messages) throws Exception {
    return echo(client, url, messages, WINDOW_BYTES);
  }

  /**
   * Sends {@code messages} over a new socket, at most {@code windowBytes} ahead of the echoes,
   * checks each echo equals what was sent in order, then closes with 1000 and expects the
   * server's close.
   */
  static Echo echo(CourierClient client, String url, List<Object> messages, long windowBytes)
      throws Exception {
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    WebSocket webSocket = client.newWebSocket(new Request.Builder().url(url).build(),
        new WebSocketListener() {
          @Override public void onOpen(WebSocket webSocket, Response response) {
            events.add(response);
          }

          @Override public void onMessage(WebSocket webSocket, String text) {
            events.add(text);
          }

          @Override public void onMessage(WebSocket webSocket, ByteString bytes) {
            events.add(bytes);
          }

          @Override public void onClosed(WebSocket webSocket, int code, String reason) {
            events.add(new Closed(code));
          }

          @Override public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
            events.add(failure);
          }
        });
    try {
      Response response = (Response) next(events);
      String extensions = webSocket.extensions();
      int sent = 0;
      long outstanding = 0;
      for (int received = 0; received < messages.size(); received++) {
        while (sent < messages.size() && (outstanding == 0
            || outstanding + size(messages.get(sent)) <= windowBytes)) {
          Object message = messages.get(sent);
          boolean queued = message instanceof String text ? webSocket.send(text)
              : webSocket.send((ByteString) message);
          assertThat(queued).as("message %d queued", sent).isTrue();
          outstanding += size(message);
          sent++;
        }
        Object echo = next(events, received);
        Object expected = messages.get(received);
        if (!expected.equals(echo)) {
          throw new AssertionError("echo " + received + " differs: sent " + describe(expected)
              + ", received " + describe(echo));
        }
        outstanding -= size(expected);
      }
      assertThat(webSocket.close(WebSocket.NORMAL_CLOSURE, "done")).isTrue();
      assertThat(next(events)).isEqualTo(new Closed(WebSocket.NORMAL_CLOSURE));
      return new Echo(response, extensions);
    } finally {
      webSocket.cancel();
    }
  }

  private record Closed(int code) {}

  private static Object next(BlockingQueue<Object> events) throws Exception {
    return next(events, -1);
  }

  private static Object next(BlockingQueue<Object> events, int echo) throws Exception {
    Object event = events.poll(60, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("nothing from the server within 60 s"
          + (echo >= 0 ? " (waiting for echo " + echo + ")" : ""));
    }
    if (event instanceof Throwable failure) {
      throw new AssertionError("the socket failed: " + failure, failure);
    }
    return event;
  }

  private static long size(Object message) {
    return message instanceof String text ? text.length() : ((ByteString) message).size();
  }

  private static String describe(Object message) {
    return message instanceof String text ? "text of " + text.length() + " chars"
        : message instanceof ByteString bytes ? "binary of " + bytes.size() + " bytes"
        : String.valueOf(message);
  }
}
