package dev.courier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.internal.SocketLink;
import dev.courier.internal.SocketSink;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SocketLink#readsWithoutWaiting()}: over TLS it counts decrypted bytes and whole records
 * still encrypted in the TCP socket under the TLS socket, never part of a record, so the next read
 * cannot wait for the rest of one.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketLinkReadinessTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("SocketLink Test CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1");
  private static final byte[] STOP = new byte[0];

  private final List<Socket> sockets = new ArrayList<>();
  private final BlockingQueue<byte[]> toSend = new LinkedBlockingQueue<>();
  private ServerSocket serverSocket;
  private Thread serverThread;

  @AfterEach
  void tearDown() throws Exception {
    toSend.add(STOP);
    if (serverThread != null) {
      serverThread.join(5_000);
    }
    for (Socket socket : sockets) {
      socket.close();
    }
    if (serverSocket != null) {
      serverSocket.close();
    }
  }

  @Test
  void tlsCountsDecryptedBytesAndWholeRecordsOnly() throws Exception {
    serverSocket = CA.serverContext(LOCALHOST).getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    startServer();
    Socket tcp = connect();
    SSLSocket tls = (SSLSocket) CA.clientSocketFactory().createSocket(tcp, "localhost", serverSocket.getLocalPort(), true);
    sockets.add(tls);
    tls.startHandshake();
    SocketSink writes = new SocketSink(tls, tcp, "localhost:" + serverSocket.getLocalPort());
    SocketLink link = new SocketLink(tls, tcp, writes);
    InputStream in = tls.getInputStream();
    assertThat(link.readsWithoutWaiting()).isFalse();

    // One small record: received, but less than a record of the largest size, so not counted.
    toSend.add(new byte[100]);
    awaitAvailable(tcp, 100);
    assertThat(link.readsWithoutWaiting()).isFalse();
    assertThat(in.readNBytes(100)).hasSize(100);

    // Four full records.
    toSend.add(new byte[64 * 1024]);
    awaitAvailable(tcp, 5 + 16384 + 256);
    assertThat(link.readsWithoutWaiting()).isTrue();
    assertThat(in.read()).isZero();
    assertThat(link.hasReadableBytes()).isTrue(); // The rest of the first record, decrypted.
    assertThat(link.readsWithoutWaiting()).isTrue();
    assertThat(in.readNBytes(64 * 1024 - 1)).hasSize(64 * 1024 - 1);
    assertThat(link.readsWithoutWaiting()).isFalse();
  }

  @Test
  void tcpCountsAnyByte() throws Exception {
    serverSocket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    startServer();
    Socket tcp = connect();
    SocketLink link = new SocketLink(tcp);
    assertThat(link.readsWithoutWaiting()).isFalse();

    toSend.add(new byte[1]);
    awaitAvailable(tcp, 1);
    assertThat(link.readsWithoutWaiting()).isTrue();
    assertThat(tcp.getInputStream().read()).isZero();
    assertThat(link.readsWithoutWaiting()).isFalse();
  }

  /** Accepts one connection and writes each array queued, in one write, until {@link #STOP}. */
  private void startServer() {
    serverThread = new Thread(() -> {
      try (Socket socket = serverSocket.accept()) {
        if (socket instanceof javax.net.ssl.SSLSocket) {
          ((javax.net.ssl.SSLSocket) socket).startHandshake();
        }
        OutputStream out = socket.getOutputStream();
        for (byte[] bytes; (bytes = toSend.take()) != STOP; ) {
          out.write(bytes);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // The test fails on what it reads; the server only stops.
      }
    }, "SocketLinkReadinessTest server");
    serverThread.setDaemon(true);
    serverThread.start();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), serverSocket.getLocalPort()), 5_000);
    return socket;
  }

  /** Polls the TCP socket until it holds at least {@code bytes}, failing after 10 s. */
  private static void awaitAvailable(Socket tcp, int bytes) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tcp.getInputStream().available() < bytes) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + bytes + " bytes");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
