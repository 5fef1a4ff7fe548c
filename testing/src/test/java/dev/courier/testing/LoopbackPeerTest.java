package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class LoopbackPeerTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("LoopbackPeerTest");

  @Test
  void acceptOnDemandReturnsTheConnectionWithTheTimeoutAndCloseClosesIt() throws Exception {
    Socket accepted;
    try (LoopbackPeer peer = LoopbackPeer.open(); Socket client = connect(peer)) {
      assertThat(peer.hostAndPort()).isEqualTo("127.0.0.1:" + peer.port());
      assertThat(peer.url("ws", "/chat")).isEqualTo("ws://127.0.0.1:" + peer.port() + "/chat");
      assertThat(peer.url("/a")).isEqualTo("http://127.0.0.1:" + peer.port() + "/a");
      accepted = peer.accept();
      assertThat(accepted.getSoTimeout()).isEqualTo(10_000);
      assertThat(peer.acceptedCount()).isEqualTo(1);
      client.getOutputStream().write('x');
      assertThat(accepted.getInputStream().read()).isEqualTo('x');
    }
    assertThat(accepted.isClosed()).isTrue();
  }

  @Test
  void acceptTimesOutWhenNoClientComes() throws Exception {
    try (LoopbackPeer peer = LoopbackPeer.open(InetAddress.getLoopbackAddress(), Duration.ofMillis(50))) {
      assertThatThrownBy(peer::accept).isInstanceOf(SocketTimeoutException.class);
      assertThat(peer.acceptedCount()).isZero();
    }
  }

  @Test
  void serveRunsTheHandlerForEachConnectionWithItsIndex() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (LoopbackPeer peer = LoopbackPeer.open()) {
      peer.serve("LoopbackPeerTest peer", (index, socket) -> {
        int b = socket.getInputStream().read();
        seen.add(index + ":" + (char) b);
        socket.getOutputStream().write(("served " + index).getBytes(StandardCharsets.UTF_8));
      });
      for (char c : new char[] {'a', 'b'}) {
        try (Socket client = connect(peer)) {
          client.getOutputStream().write(c);
          assertThat(readAll(client.getInputStream())).startsWith("served ");
        }
      }
      assertThat(peer.acceptedCount()).isEqualTo(2);
    }
    assertThat(seen).containsExactly("0:a", "1:b");
  }

  @Test
  void serveStopsAcceptingAfterTheConnectionsAskedFor() throws Exception {
    try (LoopbackPeer peer = LoopbackPeer.open()) {
      CountDownLatch served = new CountDownLatch(1);
      peer.serve("LoopbackPeerTest once", 1, (index, socket) -> served.countDown());
      try (Socket client = connect(peer)) {
        assertThat(readAll(client.getInputStream())).isEmpty(); // Closed when the handler returned.
      }
      served.await();
      try (Socket second = connect(peer)) { // Queued by the backlog, never accepted.
        assertThat(peer.acceptedCount()).isEqualTo(1);
      }
    }
  }

  @Test
  void closeRethrowsWhatAHandlerThrew() throws Exception {
    LoopbackPeer peer = LoopbackPeer.open();
    CountDownLatch failed = new CountDownLatch(1);
    peer.serve("LoopbackPeerTest failing", (index, socket) -> {
      failed.countDown();
      throw new IOException("handler broke");
    });
    try (Socket client = connect(peer)) {
      failed.await();
      readAll(client.getInputStream());
    }
    assertThatThrownBy(peer::close).isInstanceOf(IOException.class).hasMessage("handler broke");
  }

  @Test
  void closeFailsWhenAHandlerIsStillRunning() throws Exception {
    LoopbackPeer peer = LoopbackPeer.open(InetAddress.getLoopbackAddress(), Duration.ofMillis(100));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    peer.serve("LoopbackPeerTest stuck", (index, socket) -> {
      entered.countDown();
      release.await(); // Ignores the socket, so closing it does not end the handler.
    });
    try (Socket client = connect(peer)) {
      entered.await();
      assertThatThrownBy(peer::close).isInstanceOf(AssertionError.class)
          .hasMessageContaining("LoopbackPeerTest stuck connection 0 still running");
    } finally {
      release.countDown();
    }
    peer.close(); // Now everything ended: closing again succeeds.
  }

  @Test
  void handlerRelaysThroughAConnectionItMadeAndCloseEndsBothDirections() throws Exception {
    try (LoopbackPeer target = LoopbackPeer.open()) {
      Socket upstreamSide;
      try (LoopbackPeer relay = LoopbackPeer.open()) {
        assertThat(relay.socketAddress().getPort()).isEqualTo(relay.port());
        assertThat(relay.socketAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        relay.serve("LoopbackPeerTest relay", (index, client) -> {
          Socket upstream = relay.connect(target.socketAddress());
          relay.fork("LoopbackPeerTest relay back", () -> copy(upstream, client));
          copy(client, upstream);
        });
        try (Socket client = connect(relay)) {
          upstreamSide = target.accept();
          client.getOutputStream().write('>');
          assertThat(upstreamSide.getInputStream().read()).isEqualTo('>');
          upstreamSide.getOutputStream().write('<');
          assertThat(client.getInputStream().read()).isEqualTo('<');
        }
      } // Closing the relay ends both copies (the thread leak check sees to it) and its upstream.
      assertThat(upstreamSide.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void closeRethrowsWhatAForkedTaskThrew() throws Exception {
    LoopbackPeer peer = LoopbackPeer.open();
    peer.fork("LoopbackPeerTest failing task", () -> {
      throw new IllegalStateException("task broke");
    });
    // Let the task end first: what a task throws while the peer closes does not count.
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("LoopbackPeerTest failing task")) {
        thread.join();
      }
    }
    assertThatThrownBy(peer::close).isInstanceOf(IllegalStateException.class).hasMessage("task broke");
  }

  @Test
  void connectAfterCloseFails() throws Exception {
    LoopbackPeer peer = LoopbackPeer.open();
    peer.close();
    assertThatThrownBy(() -> peer.connect(peer.socketAddress())).isInstanceOf(SocketException.class)
        .hasMessageContaining("is closed");
  }

  /** Copies bytes one way until either side ends. */
  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // Closed: the relay is over.
    }
  }

  private static Socket connect(LoopbackPeer peer) throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), peer.port());
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
