package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.DATA;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.courier.Protocol;
import dev.courier.internal.ArrayReadable;
import dev.courier.internal.SocketSource;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import dev.courier.spi.TransportLink;
import dev.courier.testing.ThreadLeakExtension;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DATA payloads read straight from the transport's unbuffered source into receive chunks
 * ({@link DirectDataReader}), over a real loopback socket with a scripted peer and a transport
 * built as the pool builds it ({@link SocketSource} under the buffered source). The transport's
 * array reads are counted, so each test knows the direct path carried the payload.
 */
@org.junit.jupiter.api.Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class DirectDataReadTest {
  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private final String peerName = "127.0.0.1:" + peer.port() + " (h2c";
  private Http2Connection connection;
  private CountingSource unbuffered;

  @Test
  void framesOfEverySizeAndPaddingArriveExactly() throws Exception {
    byte[] body = new byte[400_003];
    new Random(3).nextBytes(body);
    int[] frameSizes = {16_384, 0, 1, 2_047, 2_048, 8_192, 8_201, 3, 16_383, 4_096, 12_000};
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(10_000, 10_000));
    peer.writeHeaders(1, false, ":status", "200", "content-length", Integer.toString(body.length));
    // Every fourth frame padded with 1 to 255 bytes, where the padding still fits in the frame.
    peer.writeBodyInFrames(1, body, frameSizes,
        (i, size) -> i % 4 == 3 && size <= FrameReader.DEFAULT_MAX_FRAME_SIZE - 256 ? 1 + i % 255 : -1);

    codec.readResponseHeaders(false);
    assertThat(readAll(codec, 7_001)).isEqualTo(ByteString.of(body));
    // Most of the body came through the transport's array reads, not its buffer.
    assertThat(unbuffered.arrayBytes.get()).isGreaterThan(body.length / 2);
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void payloadSplitAcrossWritesIsJoined() throws Exception {
    byte[] body = new byte[3 * 16_384];
    new Random(5).nextBytes(body);
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(10_000, 10_000));
    peer.writeHeaders(1, false, ":status", "200");
    codec.readResponseHeaders(false);
    for (int frame = 0; frame < 3; frame++) {
      ByteString payload = ByteString.of(body, frame * 16_384, 16_384);
      int flags = frame == 2 ? 0x1 : 0;
      Buffer whole = new Buffer()
          .writeByte(0).writeShort(16_384).writeByte(DATA).writeByte(flags).writeInt(1)
          .write(payload);
      // The header and 100 bytes, then the rest of the payload in two parts, each written only
      // once the client has read everything before it.
      for (long part : new long[] {9 + 100, 5_000, whole.size() - 5_109}) {
        long before = unbuffered.totalBytes.get();
        peer.writeRaw(whole.readByteString(part));
        TestTransports.awaitTrue("the client read the part",
            () -> unbuffered.totalBytes.get() >= before + part);
      }
    }
    assertThat(readAll(codec, 65_536)).isEqualTo(ByteString.of(body));
    assertThat(unbuffered.arrayBytes.get()).isGreaterThan(0);
  }

  @Test
  void peerStallingInsideAPayloadEndsWithAReadTimeout() throws Exception {
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(200, 10_000));
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, ByteString.of(new byte[10_000]));
    // A DATA header announcing 16,384 bytes, then 5,000 of them, and nothing more.
    peer.writeRaw(ByteString.decodeHex("004000" + "00" + "00" + "00000001"));
    peer.writeRaw(ByteString.of(new byte[5_000]));

    codec.readResponseHeaders(false);
    Buffer received = new Buffer();
    Source source = codec.openResponseBodySource(null);
    // The whole frame before it is delivered: it does not wait for the stalled one.
    long total = 0;
    while (total < 10_000) {
      total += source.read(received, 10_000 - total);
    }
    assertThatThrownBy(() -> source.read(received, 100))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading the response body from " + peerName + ", stream 1)");
    assertThat(peer.expect(RST_STREAM).intAt(0)).isEqualTo((int) ErrorCodes.CANCEL);
    assertThat(unbuffered.arrayBytes.get()).isGreaterThan(0);
  }

  @Test
  void payloadOfAResetStreamIsDroppedAndItsCreditReturned() throws Exception {
    // Small windows, so that the credit of the dropped frames must come back for the next stream.
    // A long degraded-pong timeout: the peer does not answer the PING a read timeout sends.
    Http2Config config = new Http2Config(65_535, 65_535, 256 * 1024, TimeUnit.SECONDS.toNanos(60),
        System::nanoTime);
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(200, 10_000), config);
    peer.writeHeaders(1, false, ":status", "200");
    // Part of a frame only: the client's read times out and resets the stream mid-payload.
    peer.writeRaw(ByteString.decodeHex("004000" + "00" + "00" + "00000001"));
    peer.writeRaw(ByteString.of(new byte[3_000]));
    codec.readResponseHeaders(false);
    Source source = codec.openResponseBodySource(null);
    assertThatThrownBy(() -> source.read(new Buffer(), 100))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(peerName + ", stream 1)");
    assertThat(peer.expect(RST_STREAM).intAt(0)).isEqualTo((int) ErrorCodes.CANCEL);

    // The rest of that frame and three more the peer sent before it knew: 65,535 bytes in all,
    // the whole connection window.
    peer.writeRaw(ByteString.of(new byte[16_384 - 3_000]));
    peer.writeData(1, false, ByteString.of(new byte[16_384]));
    peer.writeData(1, false, ByteString.of(new byte[16_384]));
    peer.writeData(1, false, ByteString.of(new byte[16_383]));
    long connectionCredit = 0;
    while (connectionCredit < 65_535 / 2) {
      Http2TestPeer.Frame update = peer.expect(WINDOW_UPDATE);
      assertThat(update.streamId()).isEqualTo(0);
      connectionCredit += update.intAt(0);
    }

    // The connection is usable: the next stream's body arrives whole through the same path.
    ExchangeCodec next = h2.openStream(connection, new ExchangeOptions(10_000, 10_000), "/next", 3);
    byte[] body = new byte[40_000];
    new Random(9).nextBytes(body);
    peer.writeHeaders(3, false, ":status", "200");
    peer.writeBodyInFrames(3, body, new int[] {16_384}, Http2TestPeer.Padding.NONE);
    next.readResponseHeaders(false);
    assertThat(readAll(next, 65_536)).isEqualTo(ByteString.of(body));
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void peerClosingInsideAPayloadFailsTheBody() throws Exception {
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(10_000, 10_000));
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, "first");
    peer.writeRaw(ByteString.decodeHex("004000" + "00" + "00" + "00000001"));
    peer.writeRaw(ByteString.of(new byte[6_000]));
    peer.closeConnection();

    codec.readResponseHeaders(false);
    Throwable thrown = catchThrowable(() -> readAll(codec, 65_536));
    assertThat(thrown).isInstanceOf(EOFException.class)
        .hasMessageContaining(peerName + ")")
        .hasMessageContaining("closed by the peer in the middle of a frame")
        .hasMessageEndingWith("while reading the response body of stream 1");
    TestTransports.awaitTrue("connection retired", () -> connection.maxConcurrentExchanges() == 0);
    assertThat(connection.isHealthy(false)).isFalse();
  }

  @Test
  void dataBeyondTheContentLengthResetsTheStream() throws Exception {
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(10_000, 10_000));
    peer.writeHeaders(1, false, ":status", "200", "content-length", "10000");
    peer.writeData(1, false, ByteString.of(new byte[8_000]));
    peer.writeData(1, true, ByteString.of(new byte[8_000]));

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readAll(codec, 65_536))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(peerName + ", stream 1)");
    assertThat(peer.expect(RST_STREAM).intAt(0)).isEqualTo((int) ErrorCodes.PROTOCOL_ERROR);
    assertThat(unbuffered.arrayBytes.get()).isGreaterThan(0);
  }

  private ExchangeCodec startAndOpenStream(ExchangeOptions options) throws IOException {
    return startAndOpenStream(options, Http2Config.DEFAULT);
  }

  private ExchangeCodec startAndOpenStream(ExchangeOptions options, Http2Config config)
      throws IOException {
    connection = h2.closeAfterTest(Http2Connection.start(connect(peer.port()),
        new ConnectionOptions(0, 5_000), ProtocolConnection.Listener.NONE, config));
    return h2.handshakeAndOpenStream(connection, options);
  }

  /** Opens a transport as the pool does: a buffered source over a socket source it names. */
  private Transport connect(int port) throws IOException {
    Socket socket = TestTransports.openSocket(port);
    unbuffered = new CountingSource(new SocketSource(socket, "127.0.0.1:" + port));
    return new Transport(TransportLink.of(socket), Okio.buffer(unbuffered), unbuffered,
        Okio.buffer(Okio.sink(socket)), TestTransports.route(port), null,
        Protocol.H2_PRIOR_KNOWLEDGE);
  }

  /** Reads the whole body in reads of {@code readSize} bytes. */
  private static ByteString readAll(ExchangeCodec codec, long readSize) throws IOException {
    Buffer received = new Buffer();
    try (BufferedSource body = Okio.buffer(codec.openResponseBodySource(null))) {
      while (body.read(received, readSize) != -1) {
        // Keep reading.
      }
    }
    return received.readByteString();
  }

  /** Counts what the transport reads, and what of it it reads into arrays (the direct path). */
  private static final class CountingSource extends ForwardingSource implements ArrayReadable {
    private final ArrayReadable arrays;
    final AtomicLong totalBytes = new AtomicLong();
    final AtomicLong arrayBytes = new AtomicLong();

    CountingSource(SocketSource delegate) {
      super(delegate);
      this.arrays = delegate;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long read = super.read(sink, byteCount);
      if (read > 0) {
        totalBytes.addAndGet(read);
      }
      return read;
    }

    @Override
    public int read(byte[] sink, int offset, int byteCount) throws IOException {
      int read = arrays.read(sink, offset, byteCount);
      if (read > 0) {
        totalBytes.addAndGet(read);
        arrayBytes.addAndGet(read);
      }
      return read;
    }
  }
}
