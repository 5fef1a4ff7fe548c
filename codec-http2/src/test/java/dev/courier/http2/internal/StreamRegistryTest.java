package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class StreamRegistryTest {
  private final StreamRegistry registry = new StreamRegistry();

  // Streams need a connection for their lock; it is opened to a loopback peer only when needed.
  private Http2TestPeer peer;
  private Http2Connection connection;

  @AfterEach
  void tearDown() throws IOException {
    if (connection != null) {
      connection.close();
    }
    if (peer != null) {
      peer.close();
    }
  }

  private Http2Stream stream(int id) throws IOException {
    if (connection == null) {
      peer = new Http2TestPeer();
      connection = TestTransports.start(peer.port());
    }
    return new Http2Stream(id, connection, new Request.Builder().url("http://localhost/").build(),
        null, true, FrameReader.DEFAULT_WINDOW_SIZE, FrameReader.DEFAULT_WINDOW_SIZE, 5_000, 5_000);
  }

  @Test
  void streamsEndedByThePeerAreRememberedForAWhile() throws IOException {
    Http2Stream reset = stream(1);
    registry.add(reset);
    registry.remove(reset);
    assertThat(registry.endedByPeer(1)).as("removed without END_STREAM").isFalse();

    int firstEnded = 3;
    int lastEnded = firstEnded + 2 * StreamRegistry.ENDED_STREAMS_REMEMBERED;
    for (int id = firstEnded; id <= lastEnded; id += 2) {
      Http2Stream ended = stream(id);
      connection.lock.lock();
      try {
        ended.receiveHead(new ResponseHeaders.Head(204, dev.courier.Headers.EMPTY, -1), true);
      } finally {
        connection.lock.unlock();
      }
      registry.add(ended);
      assertThat(registry.endedByPeer(id)).as("still open").isFalse();
      registry.remove(ended);
      assertThat(registry.endedByPeer(id)).isTrue();
    }
    assertThat(registry.endedByPeer(firstEnded)).as("forgotten after %s more", StreamRegistry.ENDED_STREAMS_REMEMBERED)
        .isFalse();
    assertThat(registry.endedByPeer(firstEnded + 2)).isTrue();
  }

  @Test
  void allocatedIdsAreOddAndIncreasingFromOne() {
    assertThat(registry.allocateId()).isEqualTo(1);
    assertThat(registry.allocateId()).isEqualTo(3);
    assertThat(registry.allocateId()).isEqualTo(5);
    assertThat(registry.idsExhausted()).isFalse();
  }

  @Test
  void idIsIdleUntilItsHeadersAreTakenToBeWritten() throws IOException {
    assertThat(registry.isIdle(1)).isTrue();

    Http2Stream one = stream(registry.allocateId());
    registry.add(one);
    registry.queueHeaders(one);
    Http2Stream three = stream(registry.allocateId());
    registry.add(three);
    registry.queueHeaders(three);

    // Allocated and open, but the peer cannot have seen them: a frame on them is a protocol error.
    assertThat(registry.isIdle(1)).isTrue();
    assertThat(registry.isIdle(3)).isTrue();

    List<Http2Stream> taken = new ArrayList<>();
    registry.takeQueuedHeaders(taken);

    assertThat(taken).containsExactly(one, three);
    assertThat(registry.isIdle(1)).isFalse();
    assertThat(registry.isIdle(3)).isFalse();
    assertThat(registry.isIdle(5)).isTrue();
    assertThat(registry.isIdle(101)).isTrue();
  }

  @Test
  void idOfHeadersDroppedFromTheQueueStaysIdleUntilAHigherIdIsSent() throws IOException {
    Http2Stream one = stream(registry.allocateId());
    registry.add(one);
    registry.queueHeaders(one);
    Http2Stream three = stream(registry.allocateId());
    registry.add(three);
    registry.queueHeaders(three);

    assertThat(registry.dropQueuedHeaders(three)).isTrue();
    registry.takeQueuedHeaders(new ArrayList<>());

    assertThat(registry.isIdle(1)).isFalse();
    assertThat(registry.isIdle(3)).as("never sent").isTrue();

    Http2Stream five = stream(registry.allocateId());
    registry.add(five);
    registry.queueHeaders(five);
    registry.takeQueuedHeaders(new ArrayList<>());

    // Sending 5 closed 3 implicitly (RFC 9113 §5.1.1): no longer idle.
    assertThat(registry.isIdle(3)).isFalse();
  }

  @Test
  void evenIdsAreAlwaysIdle() throws IOException {
    for (int i = 0; i < 3; i++) {
      Http2Stream stream = stream(registry.allocateId());
      registry.add(stream);
      registry.queueHeaders(stream);
    }
    registry.takeQueuedHeaders(new ArrayList<>());

    assertThat(registry.isIdle(2)).isTrue();
    assertThat(registry.isIdle(4)).isTrue();
    assertThat(registry.isIdle(3)).isFalse();
  }

  @Test
  void idsAreExhaustedOnceTwoToTheThirtyOneMinusOneIsHandedOut() throws IOException {
    int id;
    do {
      id = registry.allocateId();
    } while (id != Integer.MAX_VALUE - 2);
    assertThat(registry.idsExhausted()).isFalse();

    assertThat(registry.allocateId()).isEqualTo(Integer.MAX_VALUE);
    assertThat(registry.idsExhausted()).isTrue();
    Http2Stream last = stream(Integer.MAX_VALUE);
    registry.add(last);
    registry.queueHeaders(last);
    registry.takeQueuedHeaders(new ArrayList<>());
    // Every odd id has been used now; none of them is idle.
    assertThat(registry.isIdle(1)).isFalse();
    assertThat(registry.isIdle(Integer.MAX_VALUE - 2)).isFalse();
    assertThat(registry.isIdle(Integer.MAX_VALUE)).isFalse();
    assertThat(registry.isIdle(2)).isTrue();
  }

  @Test
  void peerSetsNoStreamLimitByDefault() throws IOException {
    assertThat(registry.peerMaxConcurrentStreams()).isEqualTo(Integer.MAX_VALUE);

    registry.add(stream(1));
    registry.add(stream(3));

    assertThat(registry.isFull()).isFalse();
  }

  @Test
  void registryIsFullAtThePeersMaxConcurrentStreams() throws IOException {
    registry.peerMaxConcurrentStreams(2);
    Http2Stream first = stream(1);
    registry.add(first);
    assertThat(registry.isFull()).isFalse();

    registry.add(stream(3));
    assertThat(registry.isFull()).isTrue();

    registry.remove(first);
    assertThat(registry.isFull()).isFalse();
  }

  @Test
  void zeroMaxConcurrentStreamsLeavesNoRoomEvenWhenEmpty() {
    registry.peerMaxConcurrentStreams(0);

    assertThat(registry.isEmpty()).isTrue();
    assertThat(registry.isFull()).isTrue();
    assertThat(registry.peerMaxConcurrentStreams()).isZero();
  }

  @Test
  void addedStreamIsFoundByIdUntilRemoved() throws IOException {
    Http2Stream stream = stream(1);
    registry.add(stream);

    assertThat(registry.get(1)).isSameAs(stream);
    assertThat(registry.get(3)).isNull();
    assertThat(registry.size()).isEqualTo(1);
    assertThat(registry.isEmpty()).isFalse();

    assertThat(registry.remove(stream)).isTrue();

    assertThat(registry.get(1)).isNull();
    assertThat(registry.isEmpty()).isTrue();
  }

  @Test
  void removingAStreamThatIsNotOpenReturnsFalse() throws IOException {
    Http2Stream stream = stream(1);
    registry.add(stream);
    registry.remove(stream);

    assertThat(registry.remove(stream)).isFalse();
    assertThat(registry.remove(stream(3))).isFalse();
  }

  @Test
  void removeAboveTakesOnlyStreamsThePeerNeverProcessed() throws IOException {
    Http2Stream one = stream(1);
    Http2Stream three = stream(3);
    Http2Stream five = stream(5);
    Http2Stream seven = stream(7);
    registry.add(one);
    registry.add(three);
    registry.add(five);
    registry.add(seven);

    assertThat(registry.removeAbove(3)).containsExactlyInAnyOrder(five, seven);

    assertThat(registry.all()).containsExactlyInAnyOrder(one, three);
    assertThat(registry.get(5)).isNull();
    assertThat(registry.get(7)).isNull();
  }

  @Test
  void removeAboveTheHighestOpenStreamRemovesNothing() throws IOException {
    registry.add(stream(1));
    registry.add(stream(3));

    assertThat(registry.removeAbove(3)).isEmpty();
    assertThat(registry.removeAbove(Integer.MAX_VALUE)).isEmpty();
    assertThat(registry.size()).isEqualTo(2);
  }

  @Test
  void removeAboveZeroRemovesEveryStream() throws IOException {
    Http2Stream one = stream(1);
    Http2Stream three = stream(3);
    registry.add(one);
    registry.add(three);

    assertThat(registry.removeAbove(0)).containsExactlyInAnyOrder(one, three);
    assertThat(registry.isEmpty()).isTrue();
  }

  @Test
  void removeAllReturnsEveryStreamAndEmptiesTheRegistry() throws IOException {
    Http2Stream one = stream(1);
    Http2Stream three = stream(3);
    registry.add(one);
    registry.add(three);

    assertThat(registry.removeAll()).containsExactlyInAnyOrder(one, three);

    assertThat(registry.isEmpty()).isTrue();
    assertThat(registry.get(1)).isNull();
    assertThat(registry.removeAll()).isEmpty();
  }

  @Test
  void allIsACopyTakenWhenAsked() throws IOException {
    Http2Stream stream = stream(1);
    registry.add(stream);
    List<Http2Stream> all = registry.all();

    registry.remove(stream);
    assertThat(all).containsExactly(stream);
    assertThat(registry.all()).isEmpty();
  }
}
