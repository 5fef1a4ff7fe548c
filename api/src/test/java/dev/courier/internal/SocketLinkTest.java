package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketLinkTest {
  private LoopbackPair pair;

  @AfterEach
  void closeSockets() throws Exception {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void bytesHeldByTheInputBelowTheStreamsCountAsUnread() throws Exception {
    pair = LoopbackPair.open();
    SocketInput input = new SocketInput(pair.client.getInputStream(), new LargeBufferPool(1));
    SocketLink link = new SocketLink(pair.client, input);
    OutputStream peer = pair.peer.getOutputStream();
    peer.write(new byte[] {1, 2});
    readFully(input, new byte[2]); // Fills the caller's array: the next read is a large one.
    peer.write(new byte[] {3, 4, 5});
    awaitAvailable(pair.client.getInputStream(), 3);
    assertThat(input.read(new byte[1], 0, 1)).isEqualTo(1);

    assertThat(pair.client.getInputStream().available()).as("the socket holds none").isZero();
    assertThat(link.hasBufferedBytes()).isTrue();
    assertThat(link.hasReadableBytes()).isTrue();
    assertThat(link.staysQuiet(50)).isFalse();

    readFully(input, new byte[2]);
    assertThat(link.hasBufferedBytes()).isFalse();
    assertThat(link.hasReadableBytes()).isFalse();
    assertThat(link.staysQuiet(20)).isTrue();
  }

  @Test
  void linkReadStraightBuffersNothing() throws Exception {
    pair = LoopbackPair.open();
    SocketLink link = new SocketLink(pair.client);
    pair.peer.getOutputStream().write(7);
    awaitAvailable(pair.client.getInputStream(), 1);

    assertThat(link.hasBufferedBytes()).isFalse();
    assertThat(link.hasReadableBytes()).isTrue();
  }

  private static void readFully(InputStream in, byte[] into) throws Exception {
    for (int read = 0; read < into.length; ) {
      int count = in.read(into, read, into.length - read);
      assertThat(count).isPositive();
      read += count;
    }
  }

  private static void awaitAvailable(InputStream socketIn, int count) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (socketIn.available() < count && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    assertThat(socketIn.available()).isGreaterThanOrEqualTo(count);
  }
}
