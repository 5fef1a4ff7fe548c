package dev.courier.http2.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a connection's open streams by id, hands out client stream ids (odd, increasing), queues
 * the streams whose HEADERS are still to be written, in id order, and knows the peer's
 * SETTINGS_MAX_CONCURRENT_STREAMS. Guarded by the connection's lock, except
 * {@link #hasQueuedHeaders()}.
 */
final class StreamRegistry {
  /** How many ended streams are remembered, to catch frames a peer sends after END_STREAM. */
  static final int ENDED_STREAMS_REMEMBERED = 64;

  private final StreamTable<Http2Stream> streams = new StreamTable<>();
  /** Ids of the streams most recently removed after the peer's END_STREAM, a ring; 0 is empty. */
  private final int[] endedIds = new int[ENDED_STREAMS_REMEMBERED];
  private int endedNext;
  private int nextStreamId = 1;
  /**
   * The highest id whose HEADERS were taken to be written, 0 before any: ids above it are idle to
   * the peer, allocated or not, since it cannot have seen them.
   */
  private int lastSentId;
  private long peerMaxConcurrentStreams = Integer.MAX_VALUE;
  /** Streams whose HEADERS are still to be written, in the order of their ids. */
  private final ArrayDeque<Http2Stream> queuedHeaders = new ArrayDeque<>();
  /** Whether {@link #queuedHeaders} is non-empty; read without the lock. */
  private volatile boolean headersQueued;

  /** Returns the open stream {@code id}, or null if it is not open. */
  Http2Stream get(int id) {
    return streams.get(id);
  }

  /**
   * Returns true for ids the peer cannot have seen from us: even (server-initiated) ones, and odd
   * ones above the last whose HEADERS were taken to be written, including ids allocated to streams
   * whose HEADERS still wait in the queue. A frame from the peer on such an id is a connection
   * error (RFC 9113 §5.1).
   */
  boolean isIdle(int streamId) {
    return (streamId & 1) == 0 || streamId > lastSentId;
  }

  /** Returns a copy of the open streams, taken with the lock held. */
  List<Http2Stream> all() {
    return streams.values();
  }

  int size() {
    return streams.size();
  }

  boolean isEmpty() {
    return streams.size() == 0;
  }

  /** Returns true if the peer's MAX_CONCURRENT_STREAMS leaves no room for another stream. */
  boolean isFull() {
    return streams.size() >= peerMaxConcurrentStreams;
  }

  long peerMaxConcurrentStreams() {
    return peerMaxConcurrentStreams;
  }

  void peerMaxConcurrentStreams(long value) {
    peerMaxConcurrentStreams = value;
  }

  /** Returns the next stream id and advances past it; see {@link #idsExhausted()}. */
  int allocateId() {
    int id = nextStreamId;
    nextStreamId += 2;
    return id;
  }

  /** Returns true once the last id was handed out: 2^31-1 is the last (RFC 9113 §5.1.1). */
  boolean idsExhausted() {
    return nextStreamId < 0;
  }

  void add(Http2Stream stream) {
    streams.put(stream.id, stream);
  }

  /**
   * Removes {@code stream}; returns true if it was open. If the peer ended it with END_STREAM, it
   * is remembered for a while by {@link #endedByPeer}.
   */
  boolean remove(Http2Stream stream) {
    boolean removed = streams.remove(stream.id) != null;
    if (removed && stream.endStreamReceived()) {
      endedIds[endedNext] = stream.id;
      endedNext = (endedNext + 1) % endedIds.length;
    }
    return removed;
  }

  /**
   * Returns true if stream {@code id} is known to have been ended by the peer's END_STREAM: one of
   * the last {@value #ENDED_STREAMS_REMEMBERED} so ended. False for older ones, which are unknown.
   */
  boolean endedByPeer(int id) {
    for (int ended : endedIds) {
      if (ended == id) {
        return true;
      }
    }
    return false;
  }

  /**
   * Queues {@code stream}'s HEADERS to be written; streams are queued as their ids are allocated,
   * so the queue keeps them in id order (RFC 9113 §5.1.1).
   */
  void queueHeaders(Http2Stream stream) {
    stream.headersQueued = true;
    queuedHeaders.addLast(stream);
    headersQueued = true;
  }

  /** Returns true if HEADERS are queued; without the lock. */
  boolean hasQueuedHeaders() {
    return headersQueued;
  }

  /**
   * Moves the streams whose HEADERS are still to be written into {@code into}, in id order, and
   * counts them as written: a stream is taken once, and a stream reset meanwhile not at all.
   */
  void takeQueuedHeaders(List<Http2Stream> into) {
    for (Http2Stream stream; (stream = queuedHeaders.pollFirst()) != null; ) {
      if (stream.headersQueued) {
        stream.headersQueued = false;
        lastSentId = stream.id;
        into.add(stream);
      }
    }
    headersQueued = false;
  }

  /**
   * Takes {@code stream}'s HEADERS off the queue if they are still on it; returns false if they
   * were taken to be written already (or never queued).
   */
  boolean dropQueuedHeaders(Http2Stream stream) {
    if (!stream.headersQueued) {
      return false;
    }
    stream.headersQueued = false;
    queuedHeaders.remove(stream);
    headersQueued = !queuedHeaders.isEmpty();
    return true;
  }

  /**
   * Removes and returns the streams the peer never processed: those above {@code lastStreamId},
   * and those whose HEADERS were never written, which must not be sent after GOAWAY.
   */
  List<Http2Stream> removeAbove(int lastStreamId) {
    List<Http2Stream> removed = new ArrayList<>();
    for (Http2Stream stream : streams.values()) {
      if (stream.id > lastStreamId || stream.headersQueued) {
        removed.add(stream);
      }
    }
    dropAllQueuedHeaders();
    for (Http2Stream stream : removed) {
      streams.remove(stream.id);
    }
    return removed;
  }

  /** Removes and returns every open stream. */
  List<Http2Stream> removeAll() {
    List<Http2Stream> removed = streams.values();
    streams.clear();
    dropAllQueuedHeaders();
    return removed;
  }

  private void dropAllQueuedHeaders() {
    for (Http2Stream stream; (stream = queuedHeaders.pollFirst()) != null; ) {
      stream.headersQueued = false;
    }
    headersQueued = false;
  }
}
