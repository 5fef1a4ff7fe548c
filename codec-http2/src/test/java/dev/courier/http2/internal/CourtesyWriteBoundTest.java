package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.HEADERS;
import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.internal.SocketSink;
import dev.courier.internal.SocketSource;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import dev.courier.spi.TransportLink;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tests that the courtesy frames of a cancel (RST_STREAM) and of an orderly close (GOAWAY) cannot
 * hang on a peer that stopped reading when no write is in flight but the socket is full (its last
 * write taken whole): their socket writes are bounded whatever the connection's write timeout
 * (none here), and when they cannot go out the socket is closed rather than the thread held.
 */
// A separate thread, so that a regression fails the test instead of hanging the build: the stuck
// write this guards against ignores interrupts.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ThreadLeakExtension.class)
class CourtesyWriteBoundTest {
  /** How long the filler must make no progress, blocked in a socket write, to count as stuck. */
  private static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);

  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private final AtomicLong filled = new AtomicLong();

  @Test
  void cancelOnAFullSocketClosesTheConnectionInsteadOfWaitingForThePeer() throws Exception {
    Socket socket = connect();
    Http2Connection connection = h2.closeAfterTest(start(socket));
    ExchangeCodec codec = connection.newCodec(new ExchangeOptions(0, 0)); // No timeouts.
    codec.writeRequestHeaders(get(peer.port(), "/"));
    peer.decode(peer.expect(HEADERS));
    Thread filler = fillUntilStuck(socket);

    codec.cancel(); // Returns only if the RST_STREAM's write is bounded.

    TestTransports.awaitTrue("connection closed", () -> connection.maxConcurrentExchanges() == 0);
    assertThat(connection.isHealthy(false)).isFalse();
    filler.join(10_000);
    assertThat(filler.isAlive()).as("the stuck write ended with the socket").isFalse();
  }

  @Test
  void closeOnAFullSocketClosesTheSocketInsteadOfWaitingForThePeer() throws Exception {
    Socket socket = connect();
    Http2Connection connection = h2.closeAfterTest(start(socket));
    Thread filler = fillUntilStuck(socket);

    connection.close(); // Returns only if the GOAWAY's write is bounded.

    assertThat(socket.isClosed()).isTrue();
    filler.join(10_000);
    assertThat(filler.isAlive()).as("the stuck write ended with the socket").isFalse();
  }

  /** Connects with a small send buffer, so that the socket fills after little. */
  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.setSendBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", peer.port()), 5_000);
    return socket;
  }

  private Http2Connection start(Socket socket) throws IOException {
    Http2Connection connection = Http2Connection.start(transport(socket),
        new ConnectionOptions(0, 10_000), ProtocolConnection.Listener.NONE, Http2Config.DEFAULT);
    peer.handshake();
    return connection;
  }

  /** A transport as the pool builds one over a TCP socket, with no write timeout. */
  private Transport transport(Socket socket) throws IOException {
    String name = "127.0.0.1:" + peer.port();
    SocketSource source = new SocketSource(socket, name);
    return new Transport(TransportLink.of(socket), Okio.buffer(source), source,
        Okio.buffer(new SocketSink(socket, name)), TestTransports.route(peer.port()), null,
        Protocol.H2_PRIOR_KNOWLEDGE);
  }

  /**
   * The peer reads nothing more. Fills the socket from outside the connection, so that no write
   * of the connection's is in flight and its writer is free, but nothing more can be sent; returns
   * once the filler has made no progress for a second while blocked in a socket write (a socket
   * still filling takes a 1 KiB write at once).
   */
  private Thread fillUntilStuck(Socket socket) {
    Thread filler = new Thread(() -> fill(socket), "filler");
    filler.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long lastFilled = -1;
    long unchangedSince = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      assertThat(now - deadline).as("the filler gets stuck in a socket write").isNegative();
      long filledNow = filled.get();
      if (filledNow != lastFilled || !inSocketWrite(filler.getStackTrace())) {
        lastFilled = filledNow;
        unchangedSince = now;
      } else if (now - unchangedSince >= STUCK_NANOS) {
        return filler;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /** Writes 1 KiB at a time to the socket until a write fails, as it does once the socket is closed. */
  private void fill(Socket socket) {
    byte[] chunk = new byte[1024];
    try {
      OutputStream out = socket.getOutputStream();
      while (true) {
        out.write(chunk);
        filled.addAndGet(chunk.length);
      }
    } catch (IOException expected) {
      // The connection closed the socket.
    }
  }

  private static boolean inSocketWrite(StackTraceElement[] stack) {
    for (int i = 0; i < Math.min(stack.length, 4); i++) {
      if (stack[i].getMethodName().startsWith("write0")) {
        return true;
      }
    }
    return false;
  }
}
