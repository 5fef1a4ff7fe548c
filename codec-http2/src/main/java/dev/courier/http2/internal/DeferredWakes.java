package dev.courier.http2.internal;

import dev.courier.internal.ArrayReadable;
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
  /**
   * A lower bound of the bytes the link holds beyond the transport's buffer: what it last
   * reported less what was read from it since; 0 or less when unknown.
   */
  private long knownReadable;

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

  /** Returns true while a stream's wake is held back; for tests. */
  boolean holdsWakes() {
    return !deferred.isEmpty();
  }

  /**
   * Wakes every held-back stream first if this read may wait for the peer. The link is asked how
   * many bytes it holds only when the bytes it last reported have all been read: until then the
   * rest of that count is still there, so a download asks the kernel once per batch of reads
   * rather than before each one.
   */
  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    Buffer buffered = transportSource.getBuffer();
    long bufferedBefore = buffered.size();
    if (bufferedBefore == 0) {
      wakeAllIfReadMayWait();
    }
    long read;
    try {
      read = super.read(sink, byteCount);
    } catch (IOException | RuntimeException e) {
      knownReadable = 0;
      throw e;
    }
    if (read == -1) {
      knownReadable = 0;
    } else {
      // What the transport's buffer took from the link: what was passed on, plus its growth.
      knownReadable -= read + buffered.size() - bufferedBefore;
    }
    return read;
  }

  /**
   * Reads from {@code unbuffered}, the source under the transport's buffer, straight into {@code
   * sink}, waking every held-back stream first if the read may wait, as {@link #read} does, and
   * counting what it took from the link. Only while the transport's buffer is empty.
   *
   * @return the number of bytes read, or -1 at the end of the stream
   */
  int readDirect(ArrayReadable unbuffered, byte[] sink, int offset, int byteCount) throws IOException {
    wakeAllIfReadMayWait();
    int read;
    try {
      read = unbuffered.read(sink, offset, byteCount);
    } catch (IOException | RuntimeException e) {
      knownReadable = 0;
      throw e;
    }
    if (read == -1) {
      knownReadable = 0;
    } else {
      knownReadable -= read;
    }
    return read;
  }

  /**
   * Wakes every held-back stream unless the link is known to hold bytes, so that none waits on a
   * read that may block; asks the link only when the count of bytes known readable is spent.
   */
  private void wakeAllIfReadMayWait() {
    if (deferred.isEmpty()) {
      return;
    }
    if (knownReadable <= 0) {
      knownReadable = link.bytesReadableWithoutWaiting();
    }
    if (knownReadable <= 0) {
      wakeAll();
    }
  }
}
