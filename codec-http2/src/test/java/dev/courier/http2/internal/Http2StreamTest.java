package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.ACK;
import static dev.courier.http2.internal.Http2TestPeer.PING;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.WINDOW_UPDATE;
import static dev.courier.http2.internal.TestTransports.awaitTrue;
import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ByteString;
import okio.HashingSink;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
@ExtendWith(ThreadLeakExtension.class)
class Http2StreamTest {
  private static final int STREAM_WINDOW = 256 * 1024;
  private static final Http2Config SMALL_WINDOWS = new Http2Config(STREAM_WINDOW, 1024 * 1024,
      256 * 1024, TimeUnit.SECONDS.toNanos(1), System::nanoTime);

  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();

  @Test
  void slowReaderNeverBuffersMoreThanTheStreamWindow() throws Exception {
    byte[] content = new byte[10 * 1024 * 1024];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 7 + (i >>> 12));
    }
    try (TestServer server = new TestServer()) {
      server.protocols(List.of("h2c"));
      server.enqueue(ScriptedResponse.builder().body(content).build());
      server.start();
      Http2Connection connection = TestTransports.start(server.port(), SMALL_WINDOWS, 0,
          ProtocolConnection.Listener.NONE);
      try {
        ExchangeCodec codec = connection.newCodec(new ExchangeOptions(10_000, 10_000));
        codec.writeRequestHeaders(get(server.port(), "/large"));
        codec.finishRequest();
        codec.readResponseHeaders(false);
        Source body = codec.openResponseBodySource(null);

        // Without reads the server can send one stream window and no more.
        awaitTrue("a full window", () -> connection.bufferedBytes() == STREAM_WINDOW);

        HashingSink hash = HashingSink.sha256(Okio.blackhole());
        Buffer chunk = new Buffer();
        long total = 0;
        for (long read; (read = body.read(chunk, 1024)) != -1; ) {
          total += read;
          hash.write(chunk, read);
          assertThat(connection.bufferedBytes()).isLessThanOrEqualTo(STREAM_WINDOW);
        }
        body.close();
        assertThat(total).isEqualTo(content.length);
        assertThat(hash.hash()).isEqualTo(ByteString.of(content).sha256());
        assertThat(connection.maxBufferedBytes()).isEqualTo(STREAM_WINDOW);
        assertThat(connection.bufferedBytes()).isZero();
      } finally {
        connection.close();
      }
    }
  }

  @Test
  void windowUpdatesFollowApplicationReadsNotReceipt() throws Exception {
    Http2Config config = new Http2Config(65_535, 1024 * 1024, 256 * 1024,
        TimeUnit.SECONDS.toNanos(1), System::nanoTime);
    Http2Connection connection = h2.start(config, 0, ProtocolConnection.Listener.NONE);
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, new ExchangeOptions(5_000, 5_000));
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeZeros(1, 65_535);
    codec.readResponseHeaders(false);
    Source body = codec.openResponseBodySource(null);

    // The reader handles frames in order: a WINDOW_UPDATE sent on receipt would precede the pong.
    assertNextFrameIsPong(1);
    assertThat(connection.bufferedBytes()).isEqualTo(65_535);

    Buffer sink = new Buffer();
    readFully(body, sink, 32_766);
    assertNextFrameIsPong(2);

    readFully(body, sink, 1);
    Http2TestPeer.Frame update = peer.readFrame();
    assertThat(update.type()).isEqualTo(WINDOW_UPDATE);
    assertThat(update.streamId()).isEqualTo(1);
    assertThat(update.intAt(0)).isEqualTo(32_767);
    assertThat(connection.bufferedBytes()).isEqualTo(65_535 - 32_767);
  }

  @Test
  void bodyReadTimeoutCancelsTheStream() throws Exception {
    ExchangeCodec codec = h2.handshakeAndOpenStream(h2.start(), new ExchangeOptions(100, 5_000));
    peer.writeHeaders(1, false, ":status", "200");
    codec.readResponseHeaders(false);
    Source body = codec.openResponseBodySource(null);

    assertThatThrownBy(() -> body.read(new Buffer(), 1))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading the response body from 127.0.0.1:" + peer.port() + " (h2c, stream 1)");
    assertThat((long) peer.expect(RST_STREAM).intAt(0)).isEqualTo(ErrorCodes.CANCEL);
  }

  @Test
  void sourceTimeoutCanBeChangedPerRead() throws Exception {
    ExchangeCodec codec = h2.handshakeAndOpenStream(h2.start(), new ExchangeOptions(0, 0));
    peer.writeHeaders(1, false, ":status", "200");
    codec.readResponseHeaders(false);
    Source body = codec.openResponseBodySource(null);
    body.timeout().timeout(50, TimeUnit.MILLISECONDS);

    assertThatThrownBy(() -> body.read(new Buffer(), 1)).isInstanceOf(SocketTimeoutException.class);
  }

  private void assertNextFrameIsPong(long payload) throws IOException {
    peer.writePing(false, payload);
    Http2TestPeer.Frame frame = peer.readFrame();
    assertThat(frame.type()).as("frame type").isEqualTo(PING);
    assertThat(frame.has(ACK)).isTrue();
    assertThat(frame.longAt(0)).isEqualTo(payload);
  }

  private static void readFully(Source source, Buffer sink, long byteCount) throws IOException {
    for (long remaining = byteCount; remaining > 0; ) {
      long read = source.read(sink, remaining);
      assertThat(read).isPositive();
      remaining -= read;
    }
  }
}
