package dev.courier.http2.internal;

import dev.courier.spi.TransportLink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.locks.ReentrantLock;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;

/**
 * Reads the connection for the reader thread and holds back the wake-ups of streams that received
 * DATA while more input can be read without waiting, so that a caller draining a large body is
 * woken once per batch of frames instead of once per frame. Before any read that may wait for the
 * peer, every held-back stream is woken: bytes already received never wait for more to arrive.
 * Reader thread only.
 */
final class DeferredWakes extends ForwardingSource {
  private final BufferedSource transportSource;
  private final TransportLink link;
  private final ReentrantLock lock;
  /** Streams whose reader was not woken for their last DATA. */
  private final ArrayList<Http2Stream> deferred = new ArrayList<>(4);

  DeferredWakes(BufferedSource transportSource, TransportLink link, ReentrantLock lock) {
    super(transportSource);
    this.transportSource = transportSource;
    this.link = link;
    this.lock = lock;
  }

  /** Remembers to wake {@code stream}'s reader before the next read that may wait. */
  void defer(Http2Stream stream) {
    deferred.add(stream);
  }

  /** Wakes every held-back stream's reader now. Takes the connection's lock if any is held back. */
  void wakeAll() {
    if (deferred.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      for (int i = 0, size = deferred.size(); i < size; i++) {
        deferred.get(i).wakeDeferredReader();
      }
    } finally {
      lock.unlock();
    }
    deferred.clear();
  }

  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    if (!deferred.isEmpty() && transportSource.getBuffer().size() == 0 && !link.readsWithoutWaiting()) {
      wakeAll();
    }
    return super.read(sink, byteCount);
  }
}
