package dev.courier.http2.internal;

import dev.courier.Headers;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.StreamResetException;
import dev.courier.internal.ArrayReadable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import okio.Buffer;
import okio.BufferedSource;
import okio.Timeout;

/**
 * Holds one HTTP/2 stream: the response heads, body bytes and trailers the reader delivers, and
 * both flow-control windows. All state is guarded by the connection's lock; threads wait on this
 * stream's condition, which the reader signals when anything changes.
 *
 * <p>Body bytes are buffered here until the application reads them, and only then are they
 * returned to the peer with WINDOW_UPDATE, so a slow reader holds at most one receive window.
 */
final class Http2Stream {
  /**
   * Buffered body bytes at which the application's reader is woken even while the reader thread
   * has more input to read: a caller waiting for a large body gets it in batches of this size.
   */
  static final int DEFERRED_WAKE_LIMIT = 128 * 1024;

  final int id;
  final Http2Connection connection;
  private final ReentrantLock lock;
  private final Condition changed;
  private final int receiveWindowSize;
  private final long readTimeoutNanos;
  private final long writeTimeoutNanos;

  // Guarded by lock.
  private final ArrayDeque<ResponseHeaders.Head> heads = new ArrayDeque<>(2);
  private Headers trailers;
  private boolean finalHeadReceived;
  /** Checks the response's heads and DATA; the reader asks it before delivering either. */
  final ResponseFraming framing;
  private final ReceiveBuffer readBuffer;
  private boolean endStreamReceived;
  private boolean endStreamSent;
  private boolean sourceClosed;
  private boolean canceled;
  private IOException failure;
  long sendWindow;
  long receiveWindowRemaining;
  private long unacknowledgedBytes;
  /** True while the reader thread holds back waking this stream's reader after DATA. */
  private boolean wakeDeferred;
  /**
   * True while this stream's HEADERS wait in the connection's queue to be written; a stream
   * reset before they are taken sends nothing at all.
   */
  boolean headersQueued;
  /** The request whose HEADERS are queued; the writer clears it once they are written. */
  private Request queuedRequest;
  /** True while the application waits in {@link #takeHead()} for a head. */
  private boolean awaitingHead;
  /**
   * True from when the reader delivers a head to a thread waiting in {@link #takeHead()} until
   * that thread has taken it: the thread is runnable and certain to come by.
   */
  boolean headPickupPending;
  /**
   * True if another call left the flush of its HEADERS to this stream's caller, to do when it
   * takes its head (see {@link Http2Connection#newStream}).
   */
  boolean flushOnPickup;
  /** The protocol of an extended CONNECT (RFC 8441), or null. */
  final String connectProtocol;
  /** Whether the HEADERS carry END_STREAM: the request has no body. */
  final boolean endStreamWithHeaders;

  private final StreamSource source = new StreamSource();

  /**
   * Creates stream {@code id} for {@code request}, whose HEADERS are to be written with
   * END_STREAM if {@code endStream}, as an extended CONNECT if {@code connectProtocol} is not
   * null.
   */
  Http2Stream(int id, Http2Connection connection, Request request, String connectProtocol,
      boolean endStream, long sendWindow, int receiveWindowSize, int readTimeoutMillis,
      int writeTimeoutMillis) {
    this.id = id;
    this.queuedRequest = request;
    this.connectProtocol = connectProtocol;
    this.endStreamWithHeaders = endStream;
    this.endStreamSent = endStream;
    this.framing = new ResponseFraming(request.method().equals("HEAD"));
    this.connection = connection;
    this.lock = connection.lock;
    this.changed = lock.newCondition();
    this.readBuffer = new ReceiveBuffer(connection.chunkPool);
    this.sendWindow = sendWindow;
    this.receiveWindowSize = receiveWindowSize;
    this.receiveWindowRemaining = receiveWindowSize;
    this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis);
    this.writeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(writeTimeoutMillis);
    source.timeout.timeout(readTimeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Returns the source of the response body. */
  StreamSource source() {
    return source;
  }

  /**
   * Returns a new sink for the request body; {@code contentLength} is -1 if unknown. The sink asks
   * {@code body} for its trailers when it closes; a null body has none.
   */
  StreamSink newSink(long contentLength, RequestBody body) {
    return new StreamSink(this, contentLength, body, writeTimeoutNanos);
  }

  // ---- Called by the reader with the lock held.

  /** Returns true while the peer may still send on this stream and we still want it. */
  boolean isReceiving() {
    return !endStreamReceived && failure == null && !canceled;
  }

  boolean finalHeadReceived() {
    return finalHeadReceived;
  }

  /** Returns true once the peer ended its side of the stream. */
  boolean endStreamReceived() {
    return endStreamReceived;
  }

  boolean endStreamSent() {
    return endStreamSent;
  }

  void receiveHead(ResponseHeaders.Head head, boolean endStream) {
    if (awaitingHead) {
      headPickupPending = true;
      connection.headDelivered(this);
    }
    heads.addLast(head);
    framing.headReceived(head);
    finalHeadReceived |= head.code() >= 200;
    endStreamReceived |= endStream;
    changed.signalAll();
  }

  void receiveTrailers(Headers trailers) {
    this.trailers = trailers;
    endStreamReceived = true;
    changed.signalAll();
  }

  /**
   * Copies a DATA frame's payload from {@code source}, which already buffers it, into the read
   * buffer; the window checks were done by the caller. Wakes the application's reader at once
   * only at the end of the stream or once {@link #DEFERRED_WAKE_LIMIT} bytes are buffered;
   * otherwise the reader thread wakes it before its next read that may wait.
   *
   * @return true if the wake was held back and the stream is to be given to {@link
   *     DeferredWakes#defer}; false if it was woken, or is already held back
   */
  boolean receiveData(BufferedSource source, int dataLength, int frameLength, boolean endStream)
      throws IOException {
    readBuffer.write(source, dataLength);
    return dataReceived(dataLength, frameLength, endStream);
  }

  /**
   * Takes a DATA frame's payload that the reader thread read into {@code chunks} outside the lock
   * (their bytes, {@code dataLength} in all), as {@link #receiveData(BufferedSource, int, int,
   * boolean)} does; the stream owns the chunks from now on.
   */
  boolean receiveData(ReceiveBuffer.Chunk[] chunks, int chunkCount, int dataLength, int frameLength,
      boolean endStream) {
    for (int i = 0; i < chunkCount; i++) {
      readBuffer.append(chunks[i]);
    }
    return dataReceived(dataLength, frameLength, endStream);
  }

  private boolean dataReceived(int dataLength, int frameLength, boolean endStream) {
    framing.contentReceived(dataLength);
    receiveWindowRemaining -= frameLength;
    // Padding counts against the window but is never read, so it is returned at once.
    unacknowledgedBytes += frameLength - dataLength;
    endStreamReceived |= endStream;
    if (endStream) {
      changed.signalAll();
      return false;
    }
    if (readBuffer.size() >= DEFERRED_WAKE_LIMIT) {
      changed.signalAll();
    }
    if (wakeDeferred) {
      return false;
    }
    wakeDeferred = true;
    return true;
  }

  /** Wakes the application's reader after {@link #receiveData} held the wake back. */
  void wakeDeferredReader() {
    wakeDeferred = false;
    changed.signalAll();
  }

  /**
   * Fails the stream because its whole connection failed with {@code cause}. The stream keeps a
   * copy of its own that also says how far the exchange got, so that no two calls share (and
   * add suppressed exceptions to) one instance.
   */
  void connectionFailed(IOException cause) {
    String phase;
    if (!finalHeadReceived) {
      phase = "before the response headers of stream " + id;
    } else if (!endStreamReceived) {
      phase = "while reading the response body of stream " + id;
    } else {
      phase = "after the response of stream " + id;
    }
    fail(Failures.withMessage(cause, Failures.describe(cause) + ", " + phase));
  }

  /** Fails the stream; later reads drain what was buffered, then throw {@code cause}. */
  void fail(IOException cause) {
    if (failure == null) {
      failure = cause;
    }
    endStreamSent = true;
    changed.signalAll();
  }

  void signalAll() {
    changed.signalAll();
  }

  /** Returns the stream WINDOW_UPDATE increment due now, or 0, and counts it as sent. */
  long takeWindowUpdate() {
    if (!isReceiving() || unacknowledgedBytes < receiveWindowSize / 2) {
      return 0;
    }
    long increment = unacknowledgedBytes;
    unacknowledgedBytes = 0;
    receiveWindowRemaining += increment;
    return increment;
  }

  /** Drops unread body bytes, returning their count so the connection window gets them back. */
  long discardBuffered() {
    long size = readBuffer.clear();
    connection.flowControl.bufferedBytesRemoved(size);
    return size;
  }

  // ---- Called by the application.

  /**
   * Waits for the next response head (informational or final).
   *
   * @throws SocketTimeoutException after the read timeout; the stream is then canceled
   */
  ResponseHeaders.Head takeHead() throws IOException {
    boolean timedOut = false;
    boolean flush = false;
    lock.lock();
    try {
      long remainingNanos = readTimeoutNanos;
      awaitingHead = true;
      while (heads.isEmpty()) {
        checkNotCanceled();
        if (failure != null) {
          throw failure;
        }
        if (endStreamReceived) {
          throw new java.net.ProtocolException("malformed HTTP/2 response from "
              + connection.peerOnStream(id) + ": the stream ended without a final response");
        }
        remainingNanos = await(remainingNanos, readTimeoutNanos);
        if (remainingNanos == 0) {
          timedOut = true;
          break;
        }
      }
      if (!timedOut) {
        return heads.removeFirst();
      }
    } finally {
      awaitingHead = false;
      if (headPickupPending) {
        headPickupPending = false;
        flush = flushOnPickup;
        flushOnPickup = false;
      }
      lock.unlock();
      if (flush) {
        // HEADERS other calls queued and left for this thread to send.
        connection.writer.lock().releaseOrLeaveToHolder();
      }
    }
    throw readTimedOut("response headers");
  }

  /**
   * Returns the trailers; empty if there were none.
   *
   * @throws IllegalStateException if the body has not been read to its end
   */
  Headers trailers() throws IOException {
    lock.lock();
    try {
      if (endStreamReceived && readBuffer.size() == 0) {
        return trailers != null ? trailers : Headers.EMPTY;
      }
      if (failure != null) {
        throw failure;
      }
      throw new IllegalStateException("the response body of stream " + id + " has not been read to its end");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Resets the stream: sends RST_STREAM with {@code errorCode} if it is still open, drops unread
   * bytes and wakes every waiting thread. With a null {@code cause} the stream counts as canceled.
   * Idempotent; safe from any thread.
   */
  void reset(long errorCode, IOException cause) {
    boolean wasOpen;
    long connectionIncrement;
    lock.lock();
    try {
      if (cause == null) {
        if (canceled) {
          return;
        }
        canceled = true;
      }
      fail(cause != null ? cause : canceledException());
      connectionIncrement = connection.consumed(discardBuffered());
      // HEADERS still queued are never sent, and so need no RST_STREAM (the peer never saw the id).
      boolean neverSent = connection.streams.dropQueuedHeaders(this);
      wasOpen = connection.removeStream(this) && !neverSent;
    } finally {
      lock.unlock();
    }
    connection.sendReset(wasOpen ? id : 0, errorCode, connectionIncrement);
  }

  /** Records END_STREAM sent; the stream ends once the peer's END_STREAM arrives too. */
  void endStreamWritten() {
    lock.lock();
    try {
      endStreamSent = true;
      if (endStreamReceived) {
        connection.removeStream(this);
      }
    } finally {
      lock.unlock();
    }
    connection.closeIfDrained();
  }

  /**
   * Returns the request whose HEADERS are to be written and forgets it; called once, by the
   * thread writing them, after taking them off the queue.
   */
  Request takeQueuedRequest() {
    Request request = queuedRequest;
    queuedRequest = null;
    return request;
  }

  /** Throws the stream's failure, if it failed; as a connection's write failure does. */
  void throwIfFailed() throws IOException {
    lock.lock();
    try {
      if (failure != null) {
        throw failure;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the peer's windows allow sending, then claims up to {@code byteCount} bytes.
   *
   * @return the bytes claimed, or -1 if the peer already answered in full and reset the stream
   *     with NO_ERROR, so the rest of the request body is to be dropped (RFC 9113 §8.1)
   */
  long claimSendWindow(long byteCount, long writeTimeoutNanos) throws IOException {
    boolean timedOut = false;
    boolean flushed = false;
    lock.lock();
    try {
      long remainingNanos = writeTimeoutNanos;
      while (true) {
        checkNotCanceled();
        if (failure != null) {
          if (peerIgnoresRequestBody()) {
            return -1;
          }
          throw failure;
        }
        long window = Math.min(sendWindow, connection.flowControl.sendWindow());
        if (window > 0) {
          long claimed = Math.min(Math.min(window, byteCount), connection.writer.maxDataLength());
          sendWindow -= claimed;
          connection.flowControl.sendWindowClaimed(claimed);
          return claimed;
        }
        if (!flushed) {
          // Frames still buffered (our HEADERS, say) may be what the peer needs to open the window.
          flushed = true;
          lock.unlock();
          try {
            connection.flush();
          } finally {
            lock.lock();
          }
          continue;
        }
        remainingNanos = await(remainingNanos, writeTimeoutNanos);
        if (remainingNanos == 0) {
          timedOut = true;
          break;
        }
      }
    } finally {
      lock.unlock();
    }
    reset(ErrorCodes.CANCEL, null);
    throw new SocketTimeoutException("timeout writing the request body to " + connection.peerOnStream(id)
        + ": the flow-control window of stream " + id + " stayed closed");
  }

  /**
   * Throws if the stream can no longer send; returns false if the rest of the request body is to
   * be dropped because the peer answered in full and reset with NO_ERROR.
   */
  boolean checkSendable() throws IOException {
    lock.lock();
    try {
      checkNotCanceled();
      if (failure != null) {
        if (peerIgnoresRequestBody()) {
          return false;
        }
        throw failure;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Returns true if the peer sent its whole response and then RST_STREAM(NO_ERROR). */
  private boolean peerIgnoresRequestBody() {
    return endStreamReceived
        && failure instanceof StreamResetException
        && ((StreamResetException) failure).errorCode() == ErrorCodes.NO_ERROR;
  }

  private void checkNotCanceled() throws IOException {
    if (canceled) {
      throw canceledException();
    }
  }

  private IOException canceledException() {
    return new IOException("exchange with " + connection.peerOnStream(id) + " was canceled");
  }

  /**
   * Waits on the condition for at most {@code remainingNanos} (forever if {@code timeoutNanos} is
   * 0). Returns the time left, or 0 if the timeout expired.
   */
  private long await(long remainingNanos, long timeoutNanos) throws InterruptedIOException {
    try {
      if (timeoutNanos == 0) {
        changed.await();
        return Long.MAX_VALUE;
      }
      long left = changed.awaitNanos(remainingNanos);
      return left <= 0 ? 0 : left;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting on " + connection.peerOnStream(id));
    }
  }

  /** Returns true while a thread waits in {@link #takeHead()}; for tests. */
  boolean awaitingHead() {
    lock.lock();
    try {
      return awaitingHead;
    } finally {
      lock.unlock();
    }
  }

  /** Cancels the stream after a read timeout and asks the connection to check its peer. */
  private SocketTimeoutException readTimedOut(String what) {
    reset(ErrorCodes.CANCEL, null);
    connection.pings.sendDegradedPing();
    return new SocketTimeoutException("timeout reading " + what + " from " + connection.peerOnStream(id));
  }

  /**
   * Reads the response body from the read buffer, returning flow-control credit as it goes; into
   * an okio buffer, or straight into a caller's array ({@link ArrayReadable}: no buffer sits
   * between this source and the stream's received bytes, so an array read may come at any time).
   */
  final class StreamSource implements okio.Source, ArrayReadable {
    final Timeout timeout = new Timeout();

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      if (byteCount < 0) {
        throw new IllegalArgumentException("byteCount < 0: " + byteCount);
      }
      return read(sink, null, 0, byteCount);
    }

    /**
     * Reads up to {@code byteCount} body bytes straight into {@code sink} from {@code offset},
     * waiting, timing out, failing and returning flow-control credit exactly as {@link
     * #read(Buffer, long)} does.
     */
    @Override
    public int read(byte[] sink, int offset, int byteCount) throws IOException {
      Objects.checkFromIndexSize(offset, byteCount, sink.length);
      if (byteCount == 0) {
        return 0;
      }
      return (int) read(null, sink, offset, byteCount);
    }

    /** Reads into {@code buffer} if it is not null, else into {@code array} from {@code offset}. */
    private long read(Buffer buffer, byte[] array, int offset, long byteCount) throws IOException {
      long read = -1;
      long streamIncrement = 0;
      long connectionIncrement = 0;
      boolean timedOut = false;
      lock.lock();
      try {
        long timeoutNanos = timeout.timeoutNanos();
        if (timeout.hasDeadline()) {
          long untilDeadline = timeout.deadlineNanoTime() - System.nanoTime();
          timeoutNanos = timeoutNanos == 0 ? Math.max(1, untilDeadline) : Math.min(timeoutNanos, Math.max(1, untilDeadline));
        }
        long remainingNanos = timeoutNanos;
        while (true) {
          if (sourceClosed) {
            throw new IOException("the response body of " + connection.peerOnStream(id) + " is closed");
          }
          checkNotCanceled();
          if (readBuffer.size() > 0) {
            read = buffer != null
                ? readBuffer.read(buffer, byteCount)
                : readBuffer.read(array, offset, (int) byteCount);
            connection.flowControl.bufferedBytesRemoved(read);
            unacknowledgedBytes += read;
            streamIncrement = takeWindowUpdate();
            connectionIncrement = connection.consumed(read);
            break;
          }
          if (endStreamReceived) {
            break;
          }
          if (failure != null) {
            throw failure;
          }
          remainingNanos = await(remainingNanos, timeoutNanos);
          if (remainingNanos == 0) {
            timedOut = true;
            break;
          }
        }
      } finally {
        lock.unlock();
      }
      if (timedOut) {
        throw readTimedOut("the response body");
      }
      if (streamIncrement > 0 || connectionIncrement > 0) {
        connection.sendWindowUpdates(id, streamIncrement, connectionIncrement);
      }
      return read;
    }

    @Override
    public Timeout timeout() {
      return timeout;
    }

    /**
     * Closes the body. Before its end this resets the stream with CANCEL and gives the unread
     * bytes back to the connection window; the connection stays usable. After its end, a request
     * body that was never finished (such as one the server declined with a final status instead
     * of {@code 100 Continue}) is reset too, so the stream does not linger.
     */
    @Override
    public void close() {
      boolean complete;
      lock.lock();
      try {
        if (sourceClosed) {
          return;
        }
        sourceClosed = true;
        complete = endStreamReceived && endStreamSent;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      if (!complete) {
        reset(ErrorCodes.CANCEL, null);
        return;
      }
      long connectionIncrement;
      lock.lock();
      try {
        connectionIncrement = connection.consumed(discardBuffered());
      } finally {
        lock.unlock();
      }
      if (connectionIncrement > 0) {
        connection.sendWindowUpdates(id, 0, connectionIncrement);
      }
    }
  }
}
