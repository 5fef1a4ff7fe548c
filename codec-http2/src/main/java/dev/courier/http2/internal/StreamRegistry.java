package dev.courier.http2.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds a connection's open streams by id, hands out client stream ids (odd, increasing), and
 * knows the peer's SETTINGS_MAX_CONCURRENT_STREAMS. Guarded by the connection's lock.
 */
final class StreamRegistry {
  /** How many ended streams are remembered, to catch frames a peer sends after END_STREAM. */
  static final int ENDED_STREAMS_REMEMBERED = 64;

  private final Map<Integer, Http2Stream> streams = new HashMap<>();
  /** Ids of the streams most recently removed after the peer's END_STREAM, a ring; 0 is empty. */
  private final int[] endedIds = new int[ENDED_STREAMS_REMEMBERED];
  private int endedNext;
  private int nextStreamId = 1;
  private long peerMaxConcurrentStreams = Integer.MAX_VALUE;

  /** Returns the open stream {@code id}, or null if it is not open. */
  Http2Stream get(int id) {
    return streams.get(id);
  }

  /** Returns true for ids no stream of ours ever had: even (server-initiated) or not yet used. */
  boolean isIdle(int streamId) {
    // Once every id is used, nextStreamId has overflowed to a negative number: no odd id is idle.
    return (streamId & 1) == 0 || (nextStreamId > 0 && streamId >= nextStreamId);
  }

  /** Returns the open streams; a live view, to be iterated with the lock held. */
  Collection<Http2Stream> all() {
    return streams.values();
  }

  int size() {
    return streams.size();
  }

  boolean isEmpty() {
    return streams.isEmpty();
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

  /** Removes and returns the streams above {@code lastStreamId}, which the peer never processed. */
  List<Http2Stream> removeAbove(int lastStreamId) {
    List<Http2Stream> removed = new ArrayList<>();
    for (Http2Stream stream : streams.values()) {
      if (stream.id > lastStreamId) {
        removed.add(stream);
      }
    }
    for (Http2Stream stream : removed) {
      streams.remove(stream.id);
    }
    return removed;
  }

  /** Removes and returns every open stream. */
  List<Http2Stream> removeAll() {
    List<Http2Stream> removed = new ArrayList<>(streams.values());
    streams.clear();
    return removed;
  }
}
