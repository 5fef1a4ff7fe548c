package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketInputTest {
  private final LargeBufferPool pool = new LargeBufferPool(2);
  private LoopbackPair pair;

  @AfterEach
  void closeSockets() throws Exception {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void readThatDoesNotFillTheCallersArrayGoesStraightToTheSocket() throws Exception {
    pair = LoopbackPair.open();
    SocketInput input = new SocketInput(pair.client.getInputStream(), pool);
    pair.peer.getOutputStream().write(bytes(0, 100));

    byte[] into = new byte[8192];
    assertThat(input.read(into, 0, into.length)).isEqualTo(100);
    assertThat(Arrays.copyOf(into, 100)).isEqualTo(bytes(0, 100));
    assertThat(input.buffered()).isZero();
    assertThat(pool.keptCount()).as("nothing borrowed").isZero();
  }

  @Test
  void flowingBytesAreReadInOneLargeReadAndTheArrayGoesBackOnceDrained() throws Exception {
    pair = LoopbackPair.open();
    SocketInput input = new SocketInput(pair.client.getInputStream(), pool);
    OutputStream peer = pair.peer.getOutputStream();
    peer.write(bytes(0, 10));
    byte[] first = new byte[10];
    readFully(input, first);
    assertThat(first).isEqualTo(bytes(0, 10)); // Filled the caller's array: bytes are flowing.

    peer.write(bytes(10, 3000));
    awaitAvailable(pair.client.getInputStream(), 3000);
    byte[] into = new byte[1000];
    assertThat(input.read(into, 0, 1000)).isEqualTo(1000);
    assertThat(into).isEqualTo(bytes(10, 1000));
    assertThat(input.buffered()).as("the rest of one large read").isEqualTo(2000);
    assertThat(input.available()).isEqualTo(2000);
    assertThat(pool.keptCount()).as("lent").isZero();

    assertThat(input.read(into, 0, 1000)).isEqualTo(1000);
    assertThat(into).isEqualTo(bytes(1010, 1000));
    byte[] rest = new byte[5000];
    assertThat(input.read(rest, 0, 5000)).as("only what is buffered").isEqualTo(1000);
    assertThat(Arrays.copyOf(rest, 1000)).isEqualTo(bytes(2010, 1000));
    assertThat(input.buffered()).isZero();
    assertThat(pool.keptCount()).as("given back once drained").isEqualTo(1);
  }

  @Test
  void readOfTheEndOfTheStreamGivesTheArrayBack() throws Exception {
    pair = LoopbackPair.open();
    SocketInput input = new SocketInput(pair.client.getInputStream(), pool);
    pair.peer.getOutputStream().write(bytes(0, 4));
    byte[] four = new byte[4];
    readFully(input, four);
    pair.peer.shutdownOutput();

    assertThat(input.read(new byte[4], 0, 4)).isEqualTo(-1);
    assertThat(pool.keptCount()).isEqualTo(1);
    assertThat(input.buffered()).isZero();
  }

  @Test
  void readThatTimesOutGivesTheArrayBackAndTheNextReadGoesStraightToTheSocket() throws Exception {
    pair = LoopbackPair.open();
    SocketInput input = new SocketInput(pair.client.getInputStream(), pool);
    pair.peer.getOutputStream().write(bytes(0, 4));
    readFully(input, new byte[4]);
    pair.client.setSoTimeout(50);

    assertThatThrownBy(() -> input.read(new byte[4], 0, 4)).isInstanceOf(SocketTimeoutException.class);
    assertThat(pool.keptCount()).isEqualTo(1);

    pair.peer.getOutputStream().write(bytes(4, 2));
    byte[] two = new byte[8];
    assertThat(input.read(two, 0, 8)).isEqualTo(2);
    assertThat(Arrays.copyOf(two, 2)).isEqualTo(bytes(4, 2));
  }

  @Test
  void largeReadsGoStraightIntoTheCallersArray() throws Exception {
    pair = LoopbackPair.open();
    SocketInput input = new SocketInput(pair.client.getInputStream(), pool);
    pair.peer.getOutputStream().write(bytes(0, 1000));
    readFully(input, new byte[1000]);
    pair.peer.getOutputStream().write(bytes(1000, 500));

    byte[] large = new byte[LargeBufferPool.BUFFER_SIZE];
    assertThat(input.read(large, 0, large.length)).isEqualTo(500);
    assertThat(Arrays.copyOf(large, 500)).isEqualTo(bytes(1000, 500));
    assertThat(pool.keptCount()).as("nothing borrowed").isZero();
  }

  @Test
  void singleByteReadsComeFromTheBufferFirst() throws Exception {
    pair = LoopbackPair.open();
    SocketInput input = new SocketInput(pair.client.getInputStream(), pool);
    pair.peer.getOutputStream().write(bytes(0, 2));
    readFully(input, new byte[2]);
    pair.peer.getOutputStream().write(new byte[] {7, 8});
    awaitAvailable(pair.client.getInputStream(), 2);
    byte[] one = new byte[1];
    assertThat(input.read(one, 0, 1)).isEqualTo(1);

    assertThat(input.buffered()).isEqualTo(1);
    assertThat(input.read()).isEqualTo(8);
    assertThat(input.buffered()).isZero();
  }

  private static void readFully(InputStream in, byte[] into) throws Exception {
    for (int read = 0; read < into.length; ) {
      int count = in.read(into, read, into.length - read);
      assertThat(count).isPositive();
      read += count;
    }
  }

  /** Waits, bounded, until the socket holds {@code count} bytes, so one read takes them all. */
  private static void awaitAvailable(InputStream socketIn, int count) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (socketIn.available() < count && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    assertThat(socketIn.available()).isGreaterThanOrEqualTo(count);
  }

  /** Returns {@code count} bytes whose values follow from their position {@code from}. */
  private static byte[] bytes(int from, int count) {
    byte[] result = new byte[count];
    for (int i = 0; i < count; i++) {
      result[i] = (byte) ((from + i) * 31);
    }
    return result;
  }
}
