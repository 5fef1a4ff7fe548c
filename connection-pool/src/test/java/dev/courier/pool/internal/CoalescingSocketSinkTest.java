package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CoalescingSocketSinkTest {
  @Test
  void writesOfEverySizeArriveWholeAndInOrder() throws Exception {
    byte[] expected = new byte[3 * CoalescingSocketSink.WRITE_BUFFER_BYTES + 12_345];
    new Random(7).nextBytes(expected);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket peer = server.accept()) {
      CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(peer));
      BufferedSink sink = Okio.buffer(CoalescingSocketSink.of(client));
      int offset = 0;
      // 1 byte, a partial segment, segment-sized and buffer-sized writes, then the rest.
      for (int size : new int[] {1, 100, 8192, CoalescingSocketSink.WRITE_BUFFER_BYTES, 70_000}) {
        sink.write(expected, offset, size);
        sink.emitCompleteSegments();
        offset += size;
      }
      sink.write(expected, offset, expected.length - offset);
      sink.close();

      assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(expected);
    }
  }

  @Test
  void flushDeliversASmallWriteWithoutClosing() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket peer = server.accept()) {
      BufferedSink sink = Okio.buffer(CoalescingSocketSink.of(client));
      sink.writeUtf8("PING\r\n").flush();

      peer.setSoTimeout(10_000);
      byte[] line = peer.getInputStream().readNBytes(6);
      assertThat(new String(line, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PING\r\n");
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void writeToAPeerThatStopsReadingTimesOutAndClosesTheSocket() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket peer = server.accept()) {
      BufferedSink sink = Okio.buffer(CoalescingSocketSink.of(client));
      sink.timeout().timeout(200, TimeUnit.MILLISECONDS);
      byte[] chunk = new byte[1024 * 1024];

      assertThatThrownBy(() -> {
        for (int i = 0; i < 1024; i++) { // Far more than both socket buffers hold.
          sink.write(chunk);
        }
        sink.flush();
      }).isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("timeout writing to");
      assertThat(client.isClosed()).isTrue();
    }
  }

  private static byte[] readAll(Socket socket) {
    try (InputStream in = socket.getInputStream()) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
