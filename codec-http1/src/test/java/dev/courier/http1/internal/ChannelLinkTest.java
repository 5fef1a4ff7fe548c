package dev.courier.http1.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A link over a real Unix domain socket pair: checks, timeouts, and reads concurrent with writes. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelLinkTest {
  @TempDir Path directory;
  private ServerSocketChannel server;
  private SocketChannel client;
  private SocketChannel peer;
  private ChannelLink link;
  private String socketName;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @BeforeEach
  void connect() throws IOException {
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(directory.resolve("link.sock"));
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(address);
    client = SocketChannel.open(StandardProtocolFamily.UNIX);
    client.connect(address);
    peer = server.accept();
    socketName = "unix:" + address.getPath();
    link = new ChannelLink(client, socketName);
  }

  @AfterEach
  void close() throws IOException {
    executor.shutdownNow();
    link.close();
    peer.close();
    server.close();
  }

  @Test
  void bytesFlowBothWays() throws IOException {
    BufferedSource source = link.source();
    BufferedSink sink = link.sink();

    sink.writeUtf8("ping\n").flush();
    ByteBuffer received = ByteBuffer.allocate(5);
    while (received.hasRemaining()) {
      peer.read(received);
    }
    peer.write(ByteBuffer.wrap("pong\n".getBytes()));

    assertThat(new String(received.array())).isEqualTo("ping\n");
    assertThat(source.readUtf8LineStrict()).isEqualTo("pong");
    assertThat(link.socket()).isNull();
  }

  @Test
  void quietIdlePeerPassesTheChecks() {
    assertThat(link.isOpen()).isTrue();
    assertThat(link.hasReadableBytes()).isFalse();
    assertThat(link.staysQuiet(20)).isTrue();
    // The checks leave the channel blocking, as the streams need it.
    assertThat(client.isBlocking()).isTrue();
  }

  @Test
  void strayByteFailsTheChecks() throws IOException {
    peer.write(ByteBuffer.wrap(new byte[] {'x', 'y'}));

    assertThat(link.staysQuiet(1_000)).isFalse();
    assertThat(link.hasReadableBytes()).isTrue();
    assertThat(client.isBlocking()).isTrue();
  }

  @Test
  void peerThatClosedFailsTheChecksAndTheLinkIsNoLongerOpen() throws IOException {
    peer.close();

    assertThat(link.staysQuiet(1_000)).isFalse();
    assertThat(link.hasReadableBytes()).isTrue();
    assertThat(link.isOpen()).isFalse();
  }

  @Test
  void expiredReadTimesOutNamingThePeerAndClosesTheLink() {
    BufferedSource source = link.source();
    source.timeout().timeout(100, TimeUnit.MILLISECONDS);

    assertThatThrownBy(source::readByte)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining("read from unix:");
    assertThat(link.isOpen()).isFalse();
  }

  @Test
  void readPastItsDeadlineTimesOutNamingTheSocketPath() {
    BufferedSource source = link.source();
    source.timeout().deadline(100, TimeUnit.MILLISECONDS);

    assertThatThrownBy(source::readByte)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("read from " + socketName + " timed out");
    assertThat(link.isOpen()).isFalse();
  }

  @Test
  void stalledWriteTimesOutNamingTheSocketPathAndClosesTheLink() {
    BufferedSink sink = link.sink();
    sink.timeout().timeout(100, TimeUnit.MILLISECONDS);
    byte[] moreThanTheSocketBuffers = new byte[64 * 1024 * 1024];

    // The peer never reads, so the write blocks once the socket buffers are full.
    assertThatThrownBy(() -> sink.write(moreThanTheSocketBuffers).flush())
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("write to " + socketName + " timed out");
    assertThat(link.isOpen()).isFalse();
  }

  @Test
  void timedReadsAndWritesThatFinishInTimeLeaveTheLinkOpen() throws IOException {
    BufferedSource source = link.source();
    BufferedSink sink = link.sink();
    source.timeout().timeout(5, TimeUnit.SECONDS);
    sink.timeout().timeout(5, TimeUnit.SECONDS);

    for (int i = 0; i < 100; i++) {
      sink.writeUtf8("ping\n").flush();
      ByteBuffer received = ByteBuffer.allocate(5);
      while (received.hasRemaining()) {
        peer.read(received);
      }
      peer.write(ByteBuffer.wrap(("pong" + i + "\n").getBytes()));
      assertThat(source.readUtf8LineStrict()).isEqualTo("pong" + i);
    }
    assertThat(link.isOpen()).isTrue();
  }

  @Test
  void writeProceedsWhileAnotherThreadIsBlockedReading() throws Exception {
    BufferedSource source = link.source();
    BufferedSink sink = link.sink();
    Future<String> reader = executor.submit((Callable<String>) source::readUtf8LineStrict);

    sink.writeUtf8("request while a read waits\n").flush();
    ByteBuffer received = ByteBuffer.allocate(27);
    while (received.hasRemaining()) {
      peer.read(received);
    }
    peer.write(ByteBuffer.wrap("answer\n".getBytes()));

    assertThat(new String(received.array())).isEqualTo("request while a read waits\n");
    assertThat(reader.get(5, TimeUnit.SECONDS)).isEqualTo("answer");
  }

  @Test
  void closeFailsABlockedRead() throws Exception {
    BufferedSource source = link.source();
    Future<Byte> reader = executor.submit((Callable<Byte>) source::readByte);
    Thread.onSpinWait();

    link.close();

    assertThatThrownBy(() -> reader.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    assertThat(link.isOpen()).isFalse();
  }
}
