package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.DATA;
import static dev.courier.http2.internal.Http2TestPeer.END_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.PING;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;
import okio.HashingSink;
import okio.Okio;
import okio.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class StreamSinkTest {
  private Http2TestPeer peer;
  private Http2Connection connection;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @BeforeEach
  void setUp() throws IOException {
    peer = new Http2TestPeer();
    connection = TestTransports.start(peer.port());
  }

  @AfterEach
  void tearDown() throws Exception {
    connection.close();
    peer.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void uploadLargerThanThePeersWindowsIsPacedByWindowUpdates() throws Exception {
    peer.handshake(Settings.INITIAL_WINDOW_SIZE, 16_384);
    int size = 10 * 1024 * 1024;
    Request request = post();
    ExchangeCodec codec = connection.newCodec(new ExchangeOptions(5_000, 5_000));
    codec.writeRequestHeaders(request);
    CompletableFuture<ByteString> sent = runAsync(() -> {
      HashingSink hash = HashingSink.sha256(okio.Okio.blackhole());
      try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, size));
           BufferedSink hashed = Okio.buffer(hash)) {
        Buffer chunk = new Buffer();
        for (int i = 0; i < size / 1024; i++) {
          for (int b = 0; b < 1024; b++) {
            chunk.writeByte(i + b);
          }
          hashed.write(chunk.copy(), 1024);
          body.write(chunk, 1024);
        }
      }
      codec.finishRequest();
      return hash.hash();
    });

    peer.expectHeaders(1);
    HashingSink received = HashingSink.sha256(okio.Okio.blackhole());
    long streamWindow = 16_384;
    long connectionWindow = 65_535;
    long total = 0;
    while (true) {
      Http2TestPeer.Frame frame = peer.expect(DATA);
      int length = frame.payload().size();
      streamWindow -= length;
      connectionWindow -= length;
      assertThat(streamWindow).as("stream window").isNotNegative();
      assertThat(connectionWindow).as("connection window").isNotNegative();
      if (length > 0) {
        received.write(new Buffer().write(frame.payload()), length);
      }
      total += length;
      if (frame.has(END_STREAM)) {
        break;
      }
      if (length > 0) {
        peer.writeWindowUpdate(1, length);
        peer.writeWindowUpdate(0, length);
        streamWindow += length;
        connectionWindow += length;
      }
    }
    assertThat(total).isEqualTo(size);
    assertThat(received.hash()).isEqualTo(sent.get(10, TimeUnit.SECONDS));
  }

  @Test
  void writeBlocksOnAClosedWindowUntilTheWriteTimeout() throws Exception {
    peer.handshake(Settings.INITIAL_WINDOW_SIZE, 0);
    Request request = post();
    ExchangeCodec codec = connection.newCodec(new ExchangeOptions(5_000, 200));
    codec.writeRequestHeaders(request);
    BufferedSink body = Okio.buffer(codec.createRequestBody(request, -1));
    body.writeUtf8("blocked");

    assertThatThrownBy(body::flush)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining("flow-control window of stream 1");
    peer.expectHeaders(1);
    assertThat((long) peer.expect(RST_STREAM).intAt(0)).isEqualTo(ErrorCodes.CANCEL);
  }

  @Test
  void cancelWakesAWriterWaitingForWindow() throws Exception {
    peer.handshake(Settings.INITIAL_WINDOW_SIZE, 0);
    Request request = post();
    ExchangeCodec codec = connection.newCodec(new ExchangeOptions(0, 0));
    codec.writeRequestHeaders(request);
    Sink body = codec.createRequestBody(request, -1);
    CompletableFuture<Void> writer = runAsync(() -> {
      body.write(new Buffer().writeUtf8("x".repeat(20_000)), 20_000);
      return null;
    });
    peer.expectHeaders(1);

    codec.cancel();

    assertThatThrownBy(() -> writer.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("canceled");
  }

  @Test
  void initialWindowSizeChangesAdjustOpenStreams() throws Exception {
    peer.handshake(Settings.INITIAL_WINDOW_SIZE, 0);
    CompletableFuture<Void> writer = writeInBackground(1_000, false);

    // Opening the window lets 600 bytes through.
    peer.writeSettings(Settings.INITIAL_WINDOW_SIZE, 600);
    assertThat(peer.expect(DATA).payload().size()).isEqualTo(600);
    // Shrinking it below what was sent makes the window negative: -300 (RFC 9113 §6.9.2).
    peer.writeSettings(Settings.INITIAL_WINDOW_SIZE, 300);
    // 400 more credit brings it to 100.
    peer.writeWindowUpdate(1, 400);
    assertThat(peer.expect(DATA).payload().size()).isEqualTo(100);
    // Growing it again by 700 releases the last 300.
    peer.writeSettings(Settings.INITIAL_WINDOW_SIZE, 1_000);
    assertThat(peer.expect(DATA).payload().size()).isEqualTo(300);
    writer.get(10, TimeUnit.SECONDS);
  }

  @Test
  void connectionWindowLimitsEveryStream() throws Exception {
    peer.handshake(Settings.INITIAL_WINDOW_SIZE, 1_000_000);
    CompletableFuture<Void> writer = writeInBackground(70_000, false);

    long received = 0;
    while (received < 65_535) {
      received += peer.expect(DATA).payload().size();
    }
    assertThat(received).isEqualTo(65_535);
    peer.writeWindowUpdate(0, 10_000);
    assertThat(peer.expect(DATA).payload().size()).isEqualTo(70_000 - 65_535);
    writer.get(10, TimeUnit.SECONDS);
  }

  @Test
  void dataFramesFollowThePeersMaxFrameSize() throws Exception {
    peer.handshake(Settings.INITIAL_WINDOW_SIZE, 1_000_000, Settings.MAX_FRAME_SIZE, 32_768);
    List<Http2TestPeer.Frame> frames = upload(60_000);

    assertThat(frames).extracting(frame -> frame.payload().size()).containsExactly(32_768, 60_000 - 32_768);
    assertThat(frames.get(0).has(END_STREAM)).isFalse();
    assertThat(frames.get(1).has(END_STREAM)).isTrue();
  }

  @Test
  void dataFramesStopAt64KiBWhenThePeerAllowsLargerOnes() throws Exception {
    peer.handshake(Settings.INITIAL_WINDOW_SIZE, 1_000_000, Settings.MAX_FRAME_SIZE, 1_000_000);
    peer.writeWindowUpdate(0, 1_000_000);
    // The PING's ACK comes back after the client's reader has applied the WINDOW_UPDATE before it.
    peer.writePing(false, 7);
    peer.expect(PING);
    List<Http2TestPeer.Frame> frames = upload(150_000);

    assertThat(frames).extracting(frame -> frame.payload().size())
        .containsExactly(65_536, 65_536, 150_000 - 2 * 65_536);
    assertThat(frames.get(2).has(END_STREAM)).isTrue();
  }

  @Test
  void largeFramesStillWaitForTheStreamWindow() throws Exception {
    peer.handshake(Settings.INITIAL_WINDOW_SIZE, 20_000, Settings.MAX_FRAME_SIZE, 1_000_000);
    CompletableFuture<Void> writer = writeInBackground(100_000, true);

    Http2TestPeer.Frame first = peer.expect(DATA);
    assertThat(first.payload().size()).isEqualTo(20_000);
    peer.writeWindowUpdate(0, 100_000);
    peer.writeWindowUpdate(1, 80_000);
    Http2TestPeer.Frame second = peer.expect(DATA);
    Http2TestPeer.Frame last = peer.expect(DATA);
    assertThat(second.payload().size()).isEqualTo(65_536);
    assertThat(last.payload().size()).isEqualTo(100_000 - 20_000 - 65_536);
    assertThat(last.has(END_STREAM)).isTrue();
    writer.get(10, TimeUnit.SECONDS);
  }

  /**
   * Writes a body of {@code size} bytes in one call and closes it; returns the DATA frames the
   * peer got, up to the one with END_STREAM.
   */
  private List<Http2TestPeer.Frame> upload(int size) throws Exception {
    CompletableFuture<Void> writer = writeInBackground(size, true);
    List<Http2TestPeer.Frame> frames = new ArrayList<>();
    Http2TestPeer.Frame frame;
    do {
      frame = peer.expect(DATA);
      frames.add(frame);
    } while (!frame.has(END_STREAM));
    writer.get(10, TimeUnit.SECONDS);
    return frames;
  }

  /**
   * Opens a stream for a POST and has the executor write {@code size} zero bytes of its body in
   * one call, then flush the body, whose length is unknown, or with {@code finish}, close the
   * body of {@code size} bytes and finish the request. Returns the writer's future once the peer
   * has read the HEADERS on stream 1.
   */
  private CompletableFuture<Void> writeInBackground(int size, boolean finish) throws IOException {
    Request request = post();
    ExchangeCodec codec = connection.newCodec(new ExchangeOptions(5_000, 5_000));
    codec.writeRequestHeaders(request);
    Sink body = codec.createRequestBody(request, finish ? size : -1);
    CompletableFuture<Void> writer = runAsync(() -> {
      body.write(new Buffer().write(new byte[size]), size);
      if (finish) {
        body.close();
        codec.finishRequest();
      } else {
        body.flush();
      }
      return null;
    });
    peer.expectHeaders(1);
    return writer;
  }

  private Request post() {
    return new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/upload")
        .post(RequestBody.create("unused", null)).build();
  }

  /** Runs I/O on the executor, wrapping failures so the future completes exceptionally. */
  private <T> CompletableFuture<T> runAsync(IoCallable<T> task) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return task.call();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, executor);
  }

  @FunctionalInterface
  interface IoCallable<T> {
    T call() throws IOException;
  }
}
