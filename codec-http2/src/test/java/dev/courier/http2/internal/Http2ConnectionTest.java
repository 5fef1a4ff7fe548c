package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.ACK;
import static dev.courier.http2.internal.Http2TestPeer.GOAWAY;
import static dev.courier.http2.internal.Http2TestPeer.PING;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.SETTINGS;
import static dev.courier.http2.internal.TestTransports.awaitTrue;
import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.ConnectionShutdownException;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okio.Buffer;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class Http2ConnectionTest {
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(5_000, 5_000);

  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private Http2Connection connection;
  private final AtomicInteger capacityChanges = new AtomicInteger();
  private final ProtocolConnection.Listener listener = new ProtocolConnection.Listener() {
    @Override
    public void capacityChanged(ProtocolConnection connection) {
      capacityChanges.incrementAndGet();
    }
  };
  private final AtomicLong nanoTime = new AtomicLong(1_000_000_000L);
  private final Http2Config fakeClockConfig = new Http2Config(16 * 1024 * 1024, 16 * 1024 * 1024,
      256 * 1024, TimeUnit.SECONDS.toNanos(1), nanoTime::get);

  @Test
  void prefaceAdvertisesNoPushLargeWindowsAndHeaderLimit() throws Exception {
    connection = h2.start();
    Http2TestPeer.Frame settings = peer.acceptPreface();
    Http2TestPeer.Frame windowUpdate = peer.readFrame();

    Buffer payload = new Buffer().write(settings.payload());
    Map<Integer, Long> values = new HashMap<>();
    while (!payload.exhausted()) {
      values.put(payload.readShort() & 0xffff, payload.readInt() & 0xffffffffL);
    }
    assertThat(values).containsEntry(Settings.ENABLE_PUSH, 0L)
        .containsEntry(Settings.INITIAL_WINDOW_SIZE, 16L * 1024 * 1024)
        .containsEntry(Settings.MAX_HEADER_LIST_SIZE, 256L * 1024)
        .doesNotContainKey(Settings.MAX_CONCURRENT_STREAMS);
    assertThat(windowUpdate.type()).isEqualTo(Http2TestPeer.WINDOW_UPDATE);
    assertThat(windowUpdate.streamId()).isZero();
    assertThat(windowUpdate.intAt(0)).isEqualTo(16 * 1024 * 1024 - 65_535);
  }

  @Test
  void peerSettingsAreAcknowledgedAndOurSettingsAckIsRecorded() throws Exception {
    connection = h2.start();
    peer.acceptPreface();
    peer.writeSettings(Settings.MAX_CONCURRENT_STREAMS, 7);

    Http2TestPeer.Frame ack = peer.expect(SETTINGS);
    assertThat(ack.type()).isEqualTo(SETTINGS);
    assertThat(ack.has(ACK)).isTrue();
    assertThat(connection.settingsAcknowledged()).isFalse();

    peer.writeFrame(SETTINGS, ACK, 0, okio.ByteString.EMPTY);
    awaitTrue("settings ACK", connection::settingsAcknowledged);
  }

  @Test
  void readerThreadIsNamedForTheHostAndIsADaemon() throws Exception {
    connection = h2.start();
    peer.handshake();

    Thread reader = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("Courier h2 reader 127.0.0.1"))
        .findFirst().orElseThrow();
    assertThat(reader.isDaemon()).isTrue();
  }

  @Test
  void isMultiplexedAndSpeaksTheTransportProtocol() throws Exception {
    connection = h2.start();
    peer.handshake();

    assertThat(connection.isMultiplexed()).isTrue();
    assertThat(connection.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
    assertThat(connection.maxConcurrentExchanges()).isEqualTo(Integer.MAX_VALUE);
    assertThat(connection.isHealthy(true)).isTrue();
  }

  @Test
  void maxConcurrentStreamsIsReportedAndRespected() throws Exception {
    connection = h2.start(Http2Config.DEFAULT, 0, listener);
    peer.handshake(Settings.MAX_CONCURRENT_STREAMS, 2);
    awaitTrue("capacity 2", () -> connection.maxConcurrentExchanges() == 2);
    awaitTrue("one capacity change", () -> capacityChanges.get() == 1);

    for (String path : new String[] {"/1", "/2"}) {
      ExchangeCodec codec = connection.newCodec(OPTIONS);
      codec.writeRequestHeaders(get(peer.port(), path));
      codec.finishRequest();
    }
    assertThat(peer.expectHeaders(1).path().toString()).isEqualTo("/1");
    assertThat(peer.expectHeaders(3).path().toString()).isEqualTo("/2");
    ExchangeCodec third = connection.newCodec(OPTIONS);
    CompletableFuture<Void> opening = openInBackground(third, get(peer.port(), "/3"));
    awaitWaitingForRoom();
    assertThat(opening).isNotDone();

    peer.writeSettings(Settings.MAX_CONCURRENT_STREAMS, 10);
    awaitTrue("capacity 10", () -> connection.maxConcurrentExchanges() == 10);
    awaitTrue("two capacity changes", () -> capacityChanges.get() == 2);
    opening.get(10, TimeUnit.SECONDS);
    assertThat(peer.expectHeaders(5).path().toString()).isEqualTo("/3");
  }

  @Test
  void callBeyondTheStreamLimitWaitsForAStreamToEnd() throws Exception {
    ExchangeCodec first = startWithItsOnlyStreamOpen();
    ExchangeCodec second = connection.newCodec(OPTIONS);
    CompletableFuture<Void> opening = openInBackground(second, get(peer.port(), "/2"));
    awaitWaitingForRoom();

    peer.writeHeaders(1, true, ":status", "204");
    assertThat(first.readResponseHeaders(false).code()).isEqualTo(204);
    opening.get(10, TimeUnit.SECONDS);
    assertThat(peer.expectHeaders(3).path().toString()).isEqualTo("/2");
    peer.writeHeaders(3, true, ":status", "204");
    assertThat(second.readResponseHeaders(false).code()).isEqualTo(204);
  }

  @Test
  void waitForRoomEndsOnCancelAndAfterTheWriteTimeout() throws Exception {
    startWithItsOnlyStreamOpen();

    ExchangeCodec canceled = connection.newCodec(OPTIONS);
    CompletableFuture<Void> opening = openInBackground(canceled, get(peer.port(), "/2"));
    awaitWaitingForRoom();
    canceled.cancel();
    assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("canceled");

    ExchangeCodec timedOut = connection.newCodec(new ExchangeOptions(5_000, 200));
    assertThatThrownBy(() -> timedOut.writeRequestHeaders(get(peer.port(), "/3")))
        .isInstanceOf(ConnectionShutdownException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining("MAX_CONCURRENT_STREAMS")
        .hasMessageContaining("write timeout of 200 ms");
    // Neither call sent anything: the next frame is a PING answered, not a HEADERS.
    peer.writeFrame(PING, 0, 0, okio.ByteString.of(new byte[8]));
    Http2TestPeer.Frame next = peer.readFrame();
    assertThat(next.type()).isEqualTo(PING);
    assertThat(next.flags() & ACK).isEqualTo(ACK);
    assertThat(connection.openStreamCount()).isEqualTo(1);
  }

  /**
   * Starts a connection that the peer allows one stream at a time, and opens that stream: a GET
   * of {@code /1}, whose HEADERS the peer has read. Returns its codec.
   */
  private ExchangeCodec startWithItsOnlyStreamOpen() throws Exception {
    connection = h2.start(Http2Config.DEFAULT, 0, listener);
    peer.handshake(Settings.MAX_CONCURRENT_STREAMS, 1);
    awaitTrue("capacity 1", () -> connection.maxConcurrentExchanges() == 1);
    return h2.openStream(connection, OPTIONS, "/1", 1);
  }

  /** Writes {@code request}'s headers with {@code codec} and flushes, on a thread of its own. */
  private static CompletableFuture<Void> openInBackground(ExchangeCodec codec, Request request) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        codec.writeRequestHeaders(request);
        codec.finishRequest();
        result.complete(null);
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "opens " + request.url());
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /** Waits until some thread waits for room for a stream on the connection. */
  private static void awaitWaitingForRoom() throws Exception {
    awaitTrue("a call waits for room for its stream", () -> Thread.getAllStackTraces().entrySet().stream()
        .anyMatch(entry -> entry.getKey().getState() == Thread.State.TIMED_WAITING
            && java.util.Arrays.stream(entry.getValue())
                .anyMatch(frame -> frame.getMethodName().equals("awaitRoomForStream"))));
  }

  @Test
  void goAwayFailsStreamsAboveLastStreamIdAndLetsOthersComplete() throws Exception {
    connection = h2.start(Http2Config.DEFAULT, 0, listener);
    peer.handshake();
    ExchangeCodec first = connection.newCodec(OPTIONS);
    first.writeRequestHeaders(get(peer.port(), "/1"));
    ExchangeCodec second = connection.newCodec(OPTIONS);
    second.writeRequestHeaders(get(peer.port(), "/2"));
    ExchangeCodec third = connection.newCodec(OPTIONS);
    third.writeRequestHeaders(get(peer.port(), "/3"));
    connection.flush();
    peer.expectHeaders(1);
    peer.expectHeaders(3);
    peer.expectHeaders(5);

    peer.writeGoAway(3, ErrorCodes.NO_ERROR, "draining");

    assertThatThrownBy(() -> third.readResponseHeaders(false))
        .isInstanceOf(ConnectionShutdownException.class)
        .hasMessageContaining("request to 127.0.0.1:" + peer.port() + " (h2c, stream 5) was not processed")
        .hasMessageContaining("last stream 3");
    awaitTrue("capacity 0", () -> connection.maxConcurrentExchanges() == 0);
    awaitTrue("capacity change reported", () -> capacityChanges.get() > 0);
    assertThat(connection.isHealthy(false)).isFalse();
    assertThatThrownBy(() -> connection.newCodec(OPTIONS))
        .isInstanceOf(ConnectionShutdownException.class)
        .hasMessageContaining("GOAWAY");

    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, true, "one");
    peer.writeHeaders(3, false, ":status", "200");
    peer.writeData(3, true, "three");
    assertThat(first.readResponseHeaders(false).code()).isEqualTo(200);
    assertThat(readBody(first)).isEqualTo("one");
    assertThat(second.readResponseHeaders(false).code()).isEqualTo(200);
    assertThat(readBody(second)).isEqualTo("three");

    // With its last stream done, the connection closes itself.
    assertThat(peer.expectClosedAfterGoAway()).isEqualTo(ErrorCodes.NO_ERROR);
  }

  @Test
  void pingFromPeerIsAcknowledgedWithItsPayload() throws Exception {
    connection = h2.start();
    peer.handshake();
    peer.writePing(false, 0x0102030405060708L);

    Http2TestPeer.Frame pong = peer.expect(PING);
    assertThat(pong.has(ACK)).isTrue();
    assertThat(pong.longAt(0)).isEqualTo(0x0102030405060708L);
  }

  @Test
  void readTimeoutSendsPingAndUnansweredPingMakesConnectionUnhealthy() throws Exception {
    connection = h2.start(fakeClockConfig, 0, listener);
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, new ExchangeOptions(100, 5_000), "/slow");

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining("127.0.0.1");
    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.CANCEL);
    Http2TestPeer.Frame ping = peer.expect(PING);
    assertThat(ping.has(ACK)).isFalse();

    assertThat(connection.isHealthy(false)).isTrue();
    nanoTime.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
    assertThat(connection.isHealthy(false)).isTrue();
    nanoTime.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(connection.isHealthy(false)).isFalse();

    peer.writePing(true, ping.longAt(0));
    awaitTrue("healthy after the pong", () -> connection.isHealthy(false));
  }

  @Test
  void keepAlivePingsAreSentAndAnswered() throws Exception {
    connection = h2.start(Http2Config.DEFAULT, 200, listener);
    peer.handshake();

    for (int i = 0; i < 3; i++) {
      Http2TestPeer.Frame ping = peer.expect(PING);
      assertThat(ping.has(ACK)).isFalse();
      peer.writePing(true, ping.longAt(0));
    }
    assertThat(connection.isHealthy(false)).isTrue();
    assertThat(Thread.getAllStackTraces().keySet())
        .anyMatch(t -> t.getName().equals("Courier h2 pinger 127.0.0.1"));
  }

  @Test
  void missedKeepAlivePongFailsTheConnectionAndItsStreams() throws Exception {
    connection = h2.start(Http2Config.DEFAULT, 20, listener);
    // Send the request before the handshake: pings start only once the peer's SETTINGS arrive.
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(get(peer.port(), "/"));
    codec.finishRequest();
    peer.acceptPreface();
    peer.writeSettings();
    peer.writeFrame(SETTINGS, ACK, 0, okio.ByteString.EMPTY);

    peer.expectHeaders(1);
    peer.expect(PING); // Never answered.

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining("no PING response within 20 ms");
    awaitTrue("unhealthy", () -> !connection.isHealthy(false));
    assertThat(connection.maxConcurrentExchanges()).isZero();
    awaitTrue("capacity change reported", () -> capacityChanges.get() > 0);
  }

  @Test
  void closeSendsGoAwayAndFailsOpenStreams() throws Exception {
    connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, OPTIONS);
    // The HEADERS may have gone out with a flush by the reader thread (after its SETTINGS ACK),
    // which holds the writer a moment longer; close() sends GOAWAY only if the writer is free.
    awaitTrue("the writer free", () -> !connection.writer.lock().isLocked());

    connection.close();

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP/2 connection to 127.0.0.1:" + peer.port() + " (h2c) was closed")
        .hasMessageContaining("before the response headers of stream 1");
    Http2TestPeer.Frame goAway = peer.expect(GOAWAY);
    assertThat((long) goAway.intAt(4)).isEqualTo(ErrorCodes.NO_ERROR);
    assertThat(connection.maxConcurrentExchanges()).isZero();
    assertThat(connection.isHealthy(false)).isFalse();
    assertThatThrownBy(() -> connection.newCodec(OPTIONS)).isInstanceOf(ConnectionShutdownException.class);
  }

  @Test
  void noNewExchangesLetsStreamsInFlightComplete() throws Exception {
    connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, OPTIONS);

    connection.noNewExchanges();
    assertThat(connection.maxConcurrentExchanges()).isZero();
    assertThatThrownBy(() -> connection.newCodec(OPTIONS)).isInstanceOf(ConnectionShutdownException.class);

    peer.writeHeaders(1, true, ":status", "204");
    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(204);
  }

  @Test
  void peerClosingTheSocketFailsStreamsAndReportsCapacity() throws Exception {
    connection = h2.start(Http2Config.DEFAULT, 0, listener);
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, OPTIONS);

    peer.close();

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1");
    awaitTrue("capacity change reported", () -> capacityChanges.get() > 0);
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  private static String readBody(ExchangeCodec codec) throws IOException {
    try (okio.BufferedSource body = Okio.buffer(codec.openResponseBodySource(null))) {
      return body.readUtf8();
    }
  }
}
