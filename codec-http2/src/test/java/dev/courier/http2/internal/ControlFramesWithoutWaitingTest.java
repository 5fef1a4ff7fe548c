package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ByteString;
import okio.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tests that a reset (a cancel), the credit a read returns, a PING, and the acknowledgements of
 * the peer's PINGs and SETTINGS never wait for a connection writer another thread holds: the
 * frames are left to the holder, who writes them as it lets go, so callers return and the reader
 * reads on. A holder that keeps the writer a second after a reset is taken to be stuck on a peer
 * that stopped reading, and the connection is closed; a peer that sends PINGs without reading the
 * answers is cut off. The holder here is a thread of the test's holding the writer lock, as a
 * caller blocked in a socket write would.
 */
// A separate thread, so that a regression (a reset or a read waiting for the writer, which the
// test's holder lets go only afterwards) fails the test instead of hanging the build.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ThreadLeakExtension.class)
class ControlFramesWithoutWaitingTest {
  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();

  @Test
  void cancelLeavesItsResetToTheWritersHolderAndTheConnectionCarriesOn() throws Exception {
    Http2Connection connection = h2.start();
    ExchangeCodec canceled = h2.handshakeAndOpenStream(connection, new ExchangeOptions(0, 0));

    try (WriterHolder holder = new WriterHolder(connection)) {
      canceled.cancel();
      // Returned at once: a cancel that waited for the writer would have closed the connection.
      assertThat(connection.isHealthy(true)).as("the connection is still open").isTrue();
      assertThat(holder.isHolding()).isTrue();
    }

    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.CANCEL);
    // The holder wrote the reset and the connection carries on.
    ExchangeCodec next = h2.openStream(connection, new ExchangeOptions(5_000, 5_000), "/next", 3);
    peer.writeHeaders(3, true, ":status", "204");
    assertThat(next.readResponseHeaders(false).code()).isEqualTo(204);
    assertThat(connection.isHealthy(true)).isTrue();
  }

  @Test
  void aWriterStillHeldASecondAfterAResetClosesTheConnectionNamingTheStream() throws Exception {
    Http2Connection connection = h2.start();
    ExchangeCodec canceled = h2.handshakeAndOpenStream(connection, new ExchangeOptions(0, 0));
    ExchangeCodec other = h2.openStream(connection, new ExchangeOptions(0, 0), "/other", 3);

    try (WriterHolder holder = new WriterHolder(connection)) {
      long start = System.nanoTime();
      canceled.cancel();
      assertThat(connection.isHealthy(true)).as("open until the wait runs out").isTrue();
      TestTransports.awaitTrue("connection closed", () -> !connection.isHealthy(true));
      assertThat(System.nanoTime() - start).as("closed no sooner than the wait")
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(Http2Connection.WRITER_WAIT_MILLIS));
      assertThat(holder.isHolding()).isTrue();
    }

    assertThatThrownBy(() -> other.readResponseHeaders(false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP/2 connection to " + peer.hostAndPort())
        .hasMessageContaining("a write stayed blocked for 1000 ms as stream 1 was reset");
    assertThat(connection.openStreamCount()).isZero();
  }

  @Test
  void aResetWrittenInTimeEndsTheWatchAndTheConnectionStaysOpen() throws Exception {
    Http2Connection connection = h2.start();
    ExchangeCodec canceled = h2.handshakeAndOpenStream(connection, new ExchangeOptions(0, 0));

    try (WriterHolder holder = new WriterHolder(connection)) {
      canceled.cancel();
    }
    assertThat(peer.expect(RST_STREAM).streamId()).isEqualTo(1);

    // Past the wait: the watch ended as the holder wrote the reset, so nothing closes the connection.
    long waitEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Http2Connection.WRITER_WAIT_MILLIS + 500);
    ExchangeCodec next = h2.openStream(connection, new ExchangeOptions(5_000, 5_000), "/next", 3);
    while (System.nanoTime() < waitEnd) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    peer.writeHeaders(3, true, ":status", "204");
    assertThat(next.readResponseHeaders(false).code()).isEqualTo(204);
    assertThat(connection.isHealthy(true)).isTrue();
  }

  @Test
  void readingABodyReturnsCreditWithoutWaitingForTheWriter() throws Exception {
    Http2Config config = new Http2Config(65_535, 65_535, 256 * 1024, TimeUnit.SECONDS.toNanos(1),
        System::nanoTime);
    Http2Connection connection = h2.start(config, 0, ProtocolConnection.Listener.NONE);
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, new ExchangeOptions(5_000, 5_000));
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeZeros(1, 65_535);
    codec.readResponseHeaders(false);
    Source body = codec.openResponseBodySource(null);

    Buffer sink = new Buffer();
    try (WriterHolder holder = new WriterHolder(connection)) {
      // Past half the windows: the read queues WINDOW_UPDATEs, and returns without the writer.
      while (sink.size() < 40_000) {
        assertThat(body.read(sink, 8_192)).isPositive();
      }
      assertThat(holder.isHolding()).isTrue();
    }

    // The holder wrote the credit as it let go, for the stream and for the connection.
    long streamCredit = 0;
    long connectionCredit = 0;
    while (streamCredit == 0 || connectionCredit == 0) {
      Http2TestPeer.Frame update = nextFrame(WINDOW_UPDATE);
      if (update.streamId() == 1) {
        streamCredit += update.intAt(0);
      } else {
        assertThat(update.streamId()).isZero();
        connectionCredit += update.intAt(0);
      }
    }
    assertThat(streamCredit).isBetween(65_535L / 2, (long) sink.size());
    assertThat(connectionCredit).isBetween(65_535L / 2, (long) sink.size());
    peer.writeData(1, true, ByteString.EMPTY);
    while (body.read(sink, 8_192) != -1) {
      // Drain the rest.
    }
    assertThat(sink.size()).isEqualTo(65_535);
  }

  @Test
  void theReaderAnswersAPingWithoutWaitingForTheWriterAndReadsOn() throws Exception {
    Http2Connection connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, new ExchangeOptions(5_000, 5_000));

    try (WriterHolder holder = new WriterHolder(connection)) {
      peer.writePing(false, 0x1234_5678_9abc_def0L);
      peer.writeHeaders(1, true, ":status", "204");
      // Read while the writer is held: the reader did not stop at the PING to wait for it.
      assertThat(codec.readResponseHeaders(false).code()).isEqualTo(204);
      assertThat(holder.isHolding()).isTrue();
    }

    Http2TestPeer.Frame ack = nextFrame(Http2TestPeer.PING);
    assertThat(ack.flags() & Http2TestPeer.ACK).isEqualTo(Http2TestPeer.ACK);
    assertThat(ack.longAt(0)).isEqualTo(0x1234_5678_9abc_def0L);
    assertThat(connection.isHealthy(true)).isTrue();
  }

  @Test
  void theReaderAppliesSettingsWithoutWaitingForTheWriterWhichAppliesTheRestAsItAcknowledges()
      throws Exception {
    Http2Connection connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, new ExchangeOptions(5_000, 5_000));

    try (WriterHolder holder = new WriterHolder(connection)) {
      peer.writeSettings(Settings.MAX_CONCURRENT_STREAMS, 7, Settings.HEADER_TABLE_SIZE, 0);
      peer.writeHeaders(1, true, ":status", "204");
      assertThat(codec.readResponseHeaders(false).code()).isEqualTo(204);
      assertThat(connection.maxConcurrentExchanges()).as("applied by the reader").isEqualTo(7);
      assertThat(holder.isHolding()).isTrue();
    }

    Http2TestPeer.Frame ack = nextFrame(Http2TestPeer.SETTINGS);
    assertThat(ack.flags() & Http2TestPeer.ACK).isEqualTo(Http2TestPeer.ACK);
    // The HPACK table size applied with the acknowledgement: the next header block opens with a
    // dynamic table size update (RFC 7541 §6.3).
    ExchangeCodec next = connection.newCodec(new ExchangeOptions(5_000, 5_000));
    next.writeRequestHeaders(TestTransports.get(peer.port(), "/next"));
    next.finishRequest();
    Http2TestPeer.Frame headers = nextFrame(Http2TestPeer.HEADERS);
    assertThat(headers.streamId()).isEqualTo(3);
    assertThat(headers.payload().getByte(0) & 0xe0).as("a dynamic table size update").isEqualTo(0x20);
    assertThat(peer.decode(headers).path()).hasToString("/next");
  }

  @Test
  void aSettingsAcknowledgementPrecedesTheHeadersTheSettingsLetThrough() throws Exception {
    Http2Connection connection = h2.start();
    peer.handshake(Settings.MAX_CONCURRENT_STREAMS, 1);
    h2.openStream(connection, new ExchangeOptions(5_000, 5_000), "/first", 1);
    // Waits for room for its stream, which the next SETTINGS makes.
    CompletableFuture<ExchangeCodec> second = CompletableFuture.supplyAsync(() -> {
      try {
        ExchangeCodec codec = connection.newCodec(new ExchangeOptions(5_000, 5_000));
        codec.writeRequestHeaders(TestTransports.get(peer.port(), "/second"));
        codec.finishRequest();
        return codec;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    try (WriterHolder holder = new WriterHolder(connection)) {
      peer.writeSettings(Settings.MAX_CONCURRENT_STREAMS, 2);
      // Its HEADERS are queued behind the acknowledgement; neither waits for the writer.
      assertThat(second.get(10, TimeUnit.SECONDS)).isNotNull();
      assertThat(holder.isHolding()).isTrue();
    }

    // The holder wrote both as it let go.
    Http2TestPeer.Frame next = peer.readFrame();
    while (next.type() != Http2TestPeer.SETTINGS && next.type() != Http2TestPeer.HEADERS) {
      next = peer.readFrame();
    }
    assertThat(next.type()).as("the acknowledgement came first").isEqualTo(Http2TestPeer.SETTINGS);
    assertThat(next.flags() & Http2TestPeer.ACK).isEqualTo(Http2TestPeer.ACK);
    assertThat(peer.decode(nextFrame(Http2TestPeer.HEADERS)).path()).hasToString("/second");
  }

  @Test
  void aPeerSendingPingsItDoesNotReadTheAnswersToIsCutOff() throws Exception {
    Http2Connection connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, new ExchangeOptions(0, 0));

    try (WriterHolder holder = new WriterHolder(connection)) {
      for (int i = 0; i <= Http2Connection.MAX_QUEUED_ACKNOWLEDGEMENTS; i++) {
        peer.writePing(false, i);
      }
      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("HTTP/2 connection to " + peer.hostAndPort())
          .hasMessageContaining("ENHANCE_YOUR_CALM")
          .hasMessageContaining("the peer sent " + Http2Connection.MAX_QUEUED_ACKNOWLEDGEMENTS
              + " PINGs or SETTINGS more than could be acknowledged");
      assertThat(holder.isHolding()).isTrue();
    }
    assertThat(connection.isHealthy(false)).isFalse();
  }

  @Test
  void aReadTimeoutEndsTheReadWhileTheWriterIsHeldAndItsPingWaitsForTheHolder() throws Exception {
    Http2Connection connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, new ExchangeOptions(200, 0));

    try (WriterHolder holder = new WriterHolder(connection)) {
      // The timed-out read sends a PING to check the connection; it does not wait for the writer.
      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(holder.isHolding()).isTrue();
    }

    Http2TestPeer.Frame ping = nextFrame(Http2TestPeer.PING);
    assertThat(ping.flags() & Http2TestPeer.ACK).isZero();
  }

  @Test
  void aKeepAlivePingHeldBackByAStuckWriterFailsTheConnection() throws Exception {
    Http2Connection connection = h2.start(Http2Config.DEFAULT, 100, ProtocolConnection.Listener.NONE);
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, new ExchangeOptions(0, 0));

    try (WriterHolder holder = new WriterHolder(connection)) {
      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("HTTP/2 connection to " + peer.hostAndPort())
          .hasMessageContaining("no PING response within 100 ms");
      assertThat(holder.isHolding()).isTrue();
    }
    assertThat(connection.isHealthy(false)).isFalse();
  }

  /** Reads frames until one of {@code type}, skipping every other. */
  private Http2TestPeer.Frame nextFrame(int type) throws IOException {
    while (true) {
      Http2TestPeer.Frame frame = peer.readFrame();
      if (frame.type() == type) {
        return frame;
      }
    }
  }
}
