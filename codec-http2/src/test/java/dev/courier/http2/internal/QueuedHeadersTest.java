package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.ACK;
import static dev.courier.http2.internal.Http2TestPeer.DATA;
import static dev.courier.http2.internal.Http2TestPeer.END_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.GOAWAY;
import static dev.courier.http2.internal.Http2TestPeer.HEADERS;
import static dev.courier.http2.internal.Http2TestPeer.PING;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.TestTransports.awaitTrue;
import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.ConnectionShutdownException;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.http2.Http2ConnectionException;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.testing.ThreadLeakExtension;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okio.BufferedSink;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HEADERS a call leaves for the thread holding the writer, or for a caller the reader just woke
 * with its response head: they go out in stream id order, once each, flushed by that thread; a
 * call canceled, timed out or refused by GOAWAY while its HEADERS wait sends nothing; a failed
 * write fails every call whose HEADERS it carried; a peer frame on a stream whose HEADERS wait is
 * a connection error.
 */
// A separate thread, so that a call wrongly waiting for the held writer fails the test, not hangs it.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ThreadLeakExtension.class)
class QueuedHeadersTest {
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(5_000, 5_000);

  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private Http2Connection connection;

  @Test
  void callsFindingTheWriterHeldLeaveTheirHeadersToItsHolder() throws Exception {
    connection = h2.start();
    peer.handshake();
    List<ExchangeCodec> codecs = new ArrayList<>();
    try (WriterHolder holder = new WriterHolder(connection)) {
      for (int i = 0; i < 5; i++) {
        ExchangeCodec codec = connection.newCodec(OPTIONS);
        // Returns although another thread holds the writer: the call did not wait for it.
        codec.writeRequestHeaders(get(peer.port(), "/" + i));
        codec.finishRequest();
        codecs.add(codec);
      }
      assertThat(connection.streams.hasQueuedHeaders()).isTrue();
    }

    List<Http2TestPeer.Frame> frames = framesBeforePingAck(1);
    assertThat(frames).extracting(Http2TestPeer.Frame::streamId).containsExactly(1, 3, 5, 7, 9);
    for (int i = 0; i < frames.size(); i++) {
      Http2TestPeer.Frame frame = frames.get(i);
      assertThat(frame.type()).isEqualTo(HEADERS);
      assertThat(frame.has(END_STREAM)).isTrue();
      assertThat(peer.decode(frame).path().toString()).isEqualTo("/" + i);
    }
    for (int i = 0; i < codecs.size(); i++) {
      peer.writeHeaders(1 + 2 * i, true, ":status", "204");
      assertThat(codecs.get(i).readResponseHeaders(false).code()).isEqualTo(204);
    }
  }

  @Test
  void manyThreadsSendStreamIdsInIncreasingOrderEachOnce() throws Exception {
    connection = h2.start();
    peer.handshake();
    int threads = 8;
    int callsPerThread = 25;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        boolean withBody = t % 2 == 0;
        futures.add(executor.submit(() -> {
          start.await();
          for (int i = 0; i < callsPerThread; i++) {
            ExchangeCodec codec = connection.newCodec(OPTIONS);
            Request request = withBody
                ? get(peer.port(), "/").newBuilder().post(RequestBody.create("body", null)).build()
                : get(peer.port(), "/");
            codec.writeRequestHeaders(request);
            if (withBody) {
              try (BufferedSink sink = Okio.buffer(codec.createRequestBody(request, 4))) {
                sink.writeUtf8("body");
              }
            }
            codec.finishRequest();
          }
          return null;
        }));
      }
      start.countDown();
      int total = threads * callsPerThread;
      int lastId = 0;
      int headers = 0;
      int data = 0;
      while (headers < total || data < total / 2) {
        Http2TestPeer.Frame frame = peer.readFrame();
        if (frame.type() == HEADERS) {
          assertThat(frame.streamId()).as("stream ids increase").isGreaterThan(lastId);
          lastId = frame.streamId();
          peer.decode(frame); // Keeps HPACK in step; fails if a block were sent twice or torn.
          headers++;
        } else if (frame.type() == DATA) {
          assertThat(frame.streamId()).isLessThanOrEqualTo(lastId);
          data++;
        }
      }
      for (Future<?> future : futures) {
        future.get(10, TimeUnit.SECONDS);
      }
      assertThat(lastId).isEqualTo(2 * total - 1);
      assertThat(framesBeforePingAck(2)).isEmpty();
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void callCanceledWhileQueuedSendsNeitherHeadersNorReset() throws Exception {
    connection = h2.start();
    peer.handshake();
    ExchangeCodec canceled = connection.newCodec(OPTIONS);
    ExchangeCodec kept = connection.newCodec(OPTIONS);
    try (WriterHolder holder = new WriterHolder(connection)) {
      canceled.writeRequestHeaders(get(peer.port(), "/canceled"));
      kept.writeRequestHeaders(get(peer.port(), "/kept"));
      canceled.cancel();
    }

    List<Http2TestPeer.Frame> frames = framesBeforePingAck(1);
    assertThat(frames).extracting(Http2TestPeer.Frame::type).containsExactly(HEADERS);
    assertThat(frames.get(0).streamId()).isEqualTo(3);
    assertThatThrownBy(() -> canceled.readResponseHeaders(false))
        .isInstanceOf(IOException.class).hasMessageContaining("canceled");
    peer.writeHeaders(3, true, ":status", "204");
    assertThat(kept.readResponseHeaders(false).code()).isEqualTo(204);
  }

  @Test
  void callTimingOutWhileQueuedSendsNeitherHeadersNorReset() throws Exception {
    connection = h2.start();
    peer.handshake();
    ExchangeCodec codec = connection.newCodec(new ExchangeOptions(50, 5_000));
    WriterHolder holder = new WriterHolder(connection);
    try {
      codec.writeRequestHeaders(get(peer.port(), "/slow"));
      CompletableFuture<Object> head = CompletableFuture.supplyAsync(() -> {
        try {
          return codec.readResponseHeaders(false);
        } catch (IOException e) {
          return e;
        }
      });
      awaitTrue("the timed-out stream removed", () -> connection.openStreamCount() == 0);
      holder.close();
      assertThat(head.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketTimeoutException.class)
          .asString().contains("127.0.0.1:" + peer.port());
    } finally {
      holder.close();
    }

    // The read timeout asks the peer for a PING; nothing else goes out for the stream.
    List<Http2TestPeer.Frame> frames = framesBeforePingAck(1);
    assertThat(frames).extracting(Http2TestPeer.Frame::type).containsOnly(PING);
  }

  @Test
  void goAwayWhileQueuedFailsTheCallAsUnprocessedAndSendsNothing() throws Exception {
    connection = h2.start();
    peer.handshake();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    try (WriterHolder holder = new WriterHolder(connection)) {
      codec.writeRequestHeaders(get(peer.port(), "/late"));
      // A graceful GOAWAY: every stream id is still allowed, but no new stream may open.
      peer.writeGoAway(Integer.MAX_VALUE, ErrorCodes.NO_ERROR, "");
      awaitTrue("the queued stream failed", () -> connection.openStreamCount() == 0);
    }

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(ConnectionShutdownException.class)
        .hasMessageContaining("not processed")
        .hasMessageContaining("127.0.0.1:" + peer.port());
    List<Http2TestPeer.Frame> frames = new ArrayList<>();
    try {
      while (true) {
        frames.add(peer.readFrame()); // Until the client closes the connection, now without streams.
      }
    } catch (EOFException expected) {
      // The client closed.
    }
    assertThat(frames).extracting(Http2TestPeer.Frame::type).doesNotContain(HEADERS, RST_STREAM);
  }

  @Test
  void writeFailureFailsEveryCallWhoseHeadersWereCombined() throws Exception {
    connection = h2.start();
    peer.handshake();
    List<ExchangeCodec> codecs = new ArrayList<>();
    try (WriterHolder holder = new WriterHolder(connection)) {
      for (int i = 0; i < 3; i++) {
        ExchangeCodec codec = connection.newCodec(OPTIONS);
        codec.writeRequestHeaders(get(peer.port(), "/" + i));
        codecs.add(codec);
      }
      connection.transport.socket().shutdownOutput(); // The holder's write will fail.
    }

    for (ExchangeCodec codec : codecs) {
      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("127.0.0.1:" + peer.port())
          .hasMessageContaining("failed writing");
    }
    assertThat(connection.isHealthy(false)).isFalse();
    assertThatThrownBy(() -> connection.newCodec(OPTIONS)).isInstanceOf(IOException.class);
  }

  @Test
  void callWithABodyWritesItsHeadersBeforeItsData() throws Exception {
    connection = h2.start();
    peer.handshake();
    ExchangeCodec bodyless = connection.newCodec(OPTIONS);
    Request post = get(peer.port(), "/post").newBuilder().post(RequestBody.create("abc", null)).build();
    ExchangeCodec withBody = connection.newCodec(OPTIONS);
    CompletableFuture<Void> posting;
    try (WriterHolder holder = new WriterHolder(connection)) {
      bodyless.writeRequestHeaders(get(peer.port(), "/get"));
      posting = CompletableFuture.runAsync(() -> {
        try {
          withBody.writeRequestHeaders(post);
          try (BufferedSink sink = Okio.buffer(withBody.createRequestBody(post, 3))) {
            sink.writeUtf8("abc");
          }
          withBody.finishRequest();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      awaitTrue("the second stream queued", () -> connection.openStreamCount() == 2);
    }
    posting.get(10, TimeUnit.SECONDS);

    List<Http2TestPeer.Frame> frames = framesBeforePingAck(1);
    assertThat(frames).extracting(Http2TestPeer.Frame::type).containsExactly(HEADERS, HEADERS, DATA);
    assertThat(frames).extracting(Http2TestPeer.Frame::streamId).containsExactly(1, 3, 3);
    assertThat(frames.get(1).has(END_STREAM)).isFalse();
    assertThat(frames.get(2).has(END_STREAM)).isTrue();
  }

  @Test
  void callLeavesItsHeadersToACallerAboutToTakeItsHeadWhoSendsThem() throws Exception {
    connection = h2.start();
    ExchangeCodec waiting = h2.handshakeAndOpenStream(connection, OPTIONS, "/waiting");
    CompletableFuture<Integer> head = CompletableFuture.supplyAsync(() -> {
      try {
        return waiting.readResponseHeaders(false).code();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Http2Stream stream = connection.streams.get(1);
    awaitTrue("the caller waits for its head", stream::awaitingHead);

    ExchangeCodec next = connection.newCodec(OPTIONS);
    // Deliver the head as the reader does, holding the connection's lock so that the woken caller
    // cannot take it before the next call is made.
    connection.lock.lock();
    try {
      stream.receiveHead(new ResponseHeaders.Head(204, dev.courier.Headers.EMPTY, -1), false);
      next.writeRequestHeaders(get(peer.port(), "/next"));
      next.finishRequest();
      assertThat(connection.streams.hasQueuedHeaders()).as("left to the woken caller").isTrue();
    } finally {
      connection.lock.unlock();
    }

    assertThat(head.get(10, TimeUnit.SECONDS)).isEqualTo(204);
    // Sent by the woken caller as it took its head: the writer is free, nobody else writes.
    Http2TestPeer.Frame frame = peer.readFrame();
    assertThat(frame.type()).isEqualTo(HEADERS);
    assertThat(frame.streamId()).isEqualTo(3);
    assertThat(peer.decode(frame).path().toString()).isEqualTo("/next");
    assertThat(connection.streams.hasQueuedHeaders()).isFalse();
    peer.writeHeaders(3, true, ":status", "200");
    assertThat(next.readResponseHeaders(false).code()).isEqualTo(200);
  }

  @Test
  void callWritesItsOwnHeadersWhenNoWokenCallerIsLeft() throws Exception {
    connection = h2.start();
    ExchangeCodec first = h2.handshakeAndOpenStream(connection, OPTIONS, "/first");
    peer.writeHeaders(1, true, ":status", "204");
    // This thread takes its head at once, so there is no one to leave the next HEADERS to.
    assertThat(first.readResponseHeaders(false).code()).isEqualTo(204);

    ExchangeCodec second = connection.newCodec(OPTIONS);
    second.writeRequestHeaders(get(peer.port(), "/second"));
    second.finishRequest();

    assertThat(connection.streams.hasQueuedHeaders()).isFalse();
    peer.expectHeaders(3);
  }

  static Stream<Arguments> framesOnAQueuedStream() {
    return Stream.of(
        Arguments.of("HEADERS on idle stream 3", (ReaderLoopTest.Violation) p -> p.writeHeaders(3, true, ":status", "200")),
        Arguments.of("DATA on idle stream 3", (ReaderLoopTest.Violation) p -> p.writeData(3, true, "x")),
        Arguments.of("RST_STREAM on idle stream 3", (ReaderLoopTest.Violation) p -> p.writeRstStream(3, ErrorCodes.CANCEL)),
        Arguments.of("WINDOW_UPDATE on idle stream 3", (ReaderLoopTest.Violation) p -> p.writeWindowUpdate(3, 1)));
  }

  /**
   * A stream whose HEADERS still wait for the writer is idle to the peer, which cannot have seen
   * its id: a frame on it is a connection error, not an answer to a request never sent.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("framesOnAQueuedStream")
  void frameOnAStreamWhoseHeadersStillWaitIsAProtocolError(String reason, ReaderLoopTest.Violation violation)
      throws Exception {
    connection = h2.start();
    ExchangeCodec sent = h2.handshakeAndOpenStream(connection, OPTIONS, "/sent");
    ExchangeCodec queued = connection.newCodec(OPTIONS);
    try (WriterHolder holder = new WriterHolder(connection)) {
      queued.writeRequestHeaders(get(peer.port(), "/queued"));
      queued.finishRequest();
      assertThat(connection.streams.hasQueuedHeaders()).isTrue();

      violation.writeTo(peer);

      for (ExchangeCodec codec : List.of(queued, sent)) {
        assertThatThrownBy(() -> codec.readResponseHeaders(false))
            .isInstanceOfSatisfying(Http2ConnectionException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCodes.PROTOCOL_ERROR))
            .hasMessageContaining("127.0.0.1:" + peer.port())
            .hasMessageContaining(reason);
      }
    }

    // The queued HEADERS were dropped with the connection, never sent.
    List<Http2TestPeer.Frame> frames = new ArrayList<>();
    try {
      while (true) {
        frames.add(peer.readFrame());
      }
    } catch (IOException expected) {
      // The client closed the connection.
    }
    assertThat(frames).extracting(Http2TestPeer.Frame::type).doesNotContain(HEADERS);
    assertThat(connection.isHealthy(false)).isFalse();
  }

  /** Sends a PING and returns the frames the client sent before its acknowledgement. */
  private List<Http2TestPeer.Frame> framesBeforePingAck(long payload) throws IOException {
    peer.writePing(false, payload);
    List<Http2TestPeer.Frame> frames = new ArrayList<>();
    while (true) {
      Http2TestPeer.Frame frame = peer.readFrame();
      if (frame.type() == PING && frame.has(ACK) && frame.longAt(0) == payload) {
        return frames;
      }
      frames.add(frame);
    }
  }
}
