package dev.courier.http2.internal;

import dev.courier.ConnectionShutdownException;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.internal.WatchedOperation;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSocket;
import okio.ByteString;
import okio.Timeout;

/**
 * Speaks HTTP/2 (RFC 9113) over one transport: many streams at once, flow control both ways,
 * pings, and an orderly shutdown on GOAWAY. One reader thread ({@link ReaderLoop}) reads every
 * frame; application threads write HEADERS and DATA through the shared {@link FrameWriter}.
 * HEADERS are queued in stream id order and written by whichever thread holds the writer when it
 * lets go ({@link WriterLock}), so a request without a body never waits for the writer; such a
 * request's HEADERS may also be left to a caller the reader just woke, which sends them when it
 * takes its response head, so that HEADERS of many calls share one write. Control frames (resets,
 * window updates, PINGs, acknowledgements) are queued the same way ({@link QueuedControlFrames}),
 * so no thread but a body's writer ever waits for the writer, and the reader never does.
 *
 * <p>The bookkeeping lives in parts, all guarded by this connection's lock:
 * {@link StreamRegistry} (open streams, stream ids, the peer's stream limit),
 * {@link ConnectionFlowControl} (connection windows and buffered bytes), {@link ShutdownState}
 * (no new streams, GOAWAY, closed) and {@link PingSender} (keep-alive and degraded-check pings).
 * This class ties them together: it opens streams, writes control frames and shuts down.
 *
 * <p>Thread-safe. State is guarded by {@link #lock}; the writer has its own lock, always taken
 * before this one. No I/O happens under {@link #lock}.
 *
 * <p>{@link #maxConcurrentExchanges()} is the peer's SETTINGS_MAX_CONCURRENT_STREAMS, or
 * {@link Integer#MAX_VALUE} while the peer sets no limit (RFC 9113 §6.5.2 says unlimited).
 */
public final class Http2Connection implements ProtocolConnection {
  final Transport transport;
  final String host;
  /** The peer and protocol for messages, such as {@code 127.0.0.1:8443 (h2)}; h2c when cleartext. */
  final String peer;
  private final String authority;
  private final String protocolLabel;
  final Http2Config config;
  final FrameWriter writer;
  /**
   * How long a reset or a shutdown waits for a writer that another thread holds; longer means the
   * write is blocked on a peer that stopped reading.
   */
  static final long WRITER_WAIT_MILLIS = 1000L;
  /**
   * The most acknowledgements (of PINGs and SETTINGS) left for a held writer; a peer that sends
   * more such frames while not reading is flooding the connection, which is then closed rather
   * than left to queue without limit.
   */
  static final int MAX_QUEUED_ACKNOWLEDGEMENTS = 1024;

  final ReentrantLock lock = new ReentrantLock();
  /**
   * Signalled when a stream ends, the peer allows more streams, the connection stops taking new
   * streams, or a call waiting for room is canceled.
   */
  private final Condition roomForStream = lock.newCondition();

  // Guarded by lock.
  /** Free arrays for stream read buffers. */
  final ReceiveBuffer.Pool chunkPool = new ReceiveBuffer.Pool();
  final StreamRegistry streams = new StreamRegistry();
  final ConnectionFlowControl flowControl;
  final ShutdownState shutdownState = new ShutdownState();
  final PingSender pings;
  /** Whether the server allows extended CONNECT (RFC 8441), once its SETTINGS arrived. */
  final ExtendedConnect extendedConnect = new ExtendedConnect(lock);
  private boolean settingsAcknowledged;

  /**
   * The stream whose waiting caller the reader handed a head to last; while that caller has not
   * taken it ({@link Http2Stream#headPickupPending}), a call without a body leaves its HEADERS'
   * flush to it. Guarded by lock.
   */
  private Http2Stream lastHeadDelivered;

  /** The streams whose queued HEADERS are being written; guarded by the writer lock. */
  private final List<Http2Stream> headersBatch = new ArrayList<>();

  /** Control frames left for the writer's holder; guarded by lock. */
  private final QueuedControlFrames controlFrames = new QueuedControlFrames();
  /** The control frames being written; guarded by the writer lock. */
  private final QueuedControlFrames controlBatch = new QueuedControlFrames();
  /**
   * Closes the connection if a queued RST_STREAM is still queued {@value #WRITER_WAIT_MILLIS} ms
   * after a reset found the writer held; made on the first such reset. Guarded by lock.
   */
  private WatchedOperation resetWatch;
  /** Whether {@link #resetWatch} runs, and for which stream's reset; guarded by lock. */
  private boolean resetWatched;
  private int watchedResetStreamId;

  private final Listener listener;

  private Http2Connection(Transport transport, ConnectionOptions options, Listener listener,
      Http2Config config) {
    this.transport = transport;
    this.host = transport.route().address().host();
    this.authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
        + transport.route().address().port();
    this.protocolLabel = transport.handshake() != null || transport.socket() instanceof SSLSocket
        ? "h2" : "h2c";
    this.peer = authority + " (" + protocolLabel + ")";
    this.listener = listener;
    this.config = config;
    this.writer = new FrameWriter(transport.sink());
    this.flowControl = new ConnectionFlowControl(config.connectionWindowSize());
    this.pings = new PingSender(this, options.pingIntervalMillis(), config.degradedPongTimeoutNanos());
  }

  /**
   * Sends the connection preface and our settings, starts the reader thread, and returns the
   * connection. If {@code options} asks for pings, they start once the peer's SETTINGS arrive.
   * Turns on TCP_NODELAY.
   *
   * @throws IOException if the preface could not be written; the socket is then closed
   */
  public static Http2Connection start(Transport transport, ConnectionOptions options,
      Listener listener, Http2Config config) throws IOException {
    // Nagle's algorithm would hold back the small frames that flow control waits on.
    if (transport.socket() != null) {
      transport.socket().setTcpNoDelay(true);
    }
    Http2Connection connection = new Http2Connection(transport, options, listener, config);
    connection.writer.lock().backlog(connection.new QueuedWrites());
    Settings settings = new Settings()
        .set(Settings.ENABLE_PUSH, 0)
        .set(Settings.INITIAL_WINDOW_SIZE, config.streamWindowSize())
        .set(Settings.MAX_HEADER_LIST_SIZE, config.maxHeaderListSize());
    try {
      connection.writer.connectionPreface(settings,
          config.connectionWindowSize() - FrameReader.DEFAULT_WINDOW_SIZE);
    } catch (IOException e) {
      transport.link().close();
      throw Failures.withMessage(e, "HTTP/2 connection to " + connection.peer
          + " failed writing the connection preface: " + Failures.describe(e));
    }
    ReaderLoop readerLoop = new ReaderLoop(connection, config.maxHeaderListSize(),
        options.readTimeoutMillis());
    Thread reader = new Thread(readerLoop, "Courier h2 reader " + connection.host);
    reader.setDaemon(true);
    reader.start();
    return connection;
  }

  @Override
  public Protocol protocol() {
    return transport.protocol();
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public boolean isMultiplexed() {
    return true;
  }

  @Override
  public int maxConcurrentExchanges() {
    lock.lock();
    try {
      return maxConcurrentExchangesLocked();
    } finally {
      lock.unlock();
    }
  }

  int maxConcurrentExchangesLocked() {
    return shutdownState.takesNewStreams()
        ? (int) Math.min(streams.peerMaxConcurrentStreams(), Integer.MAX_VALUE)
        : 0;
  }

  /**
   * Returns false once the connection takes no new streams, and while a PING sent after a read
   * timeout has gone unanswered for longer than the degraded-pong timeout (1 s by default). With
   * {@code extensiveChecks}, also false if the socket was closed or shut down.
   */
  @Override
  public boolean isHealthy(boolean extensiveChecks) {
    lock.lock();
    try {
      if (!shutdownState.takesNewStreams()) {
        return false;
      }
      if (pings.isDegraded()) {
        return false;
      }
    } finally {
      lock.unlock();
    }
    if (extensiveChecks) {
      return transport.link().isOpen();
    }
    return true;
  }

  @Override
  public ExchangeCodec newCodec(ExchangeOptions options) throws IOException {
    lock.lock();
    try {
      if (!shutdownState.takesNewStreams()) {
        throw shutdownState.newStreamRefused(peer);
      }
    } finally {
      lock.unlock();
    }
    return new Http2ExchangeCodec(this, options);
  }

  @Override
  public void noNewExchanges() {
    lock.lock();
    try {
      shutdownState.noNewStreams();
      roomForStream.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Sends GOAWAY(NO_ERROR) if the writer is free, closes the socket, and fails open streams. */
  @Override
  public void close() {
    shutdownNow(new IOException("HTTP/2 connection to " + peer + " was closed"), ErrorCodes.NO_ERROR,
        null, false);
  }

  /**
   * Opens a stream and queues {@code request}'s HEADERS. Stream ids are allocated and queued
   * under the connection's lock, and the queue is written in order under the writer lock, so ids
   * reach the peer in increasing order (RFC 9113 §5.1.1).
   *
   * <p>With {@code endStream} (a request without a body) this never waits for the writer: if
   * another thread holds it, that thread writes the HEADERS and flushes before it lets go (see
   * {@link WriterLock}), and the call goes on to wait for its response. If the reader has just
   * handed a response head to a waiting caller that has not taken it yet, the HEADERS are left
   * for that caller to write as it takes its head, together with any others left to it, in one
   * write. Without {@code endStream} the HEADERS are written (not flushed) before this returns,
   * so that the body can follow.
   *
   * <p>If the connection already carries as many streams as the peer's
   * SETTINGS_MAX_CONCURRENT_STREAMS allows, waits for one of them to end, up to the exchange's
   * write timeout (without limit if it is 0). This happens to calls that took the connection
   * before the peer's SETTINGS said how many streams it takes, such as many first calls to an
   * origin sharing its first connection: they wait for room here rather than fail and open
   * connections of their own.
   *
   * @param connectProtocol null for an ordinary request; otherwise the HEADERS are an extended
   *     CONNECT (RFC 8441) for that protocol
   * @param canceled returns true once the exchange is canceled; see {@link #wakeStreamWaiters()}
   * @throws ConnectionShutdownException if the connection takes no new streams, or the peer's
   *     MAX_CONCURRENT_STREAMS is still reached after the write timeout; the request was not sent
   *     and may be retried
   * @throws java.io.InterruptedIOException if interrupted while waiting for room
   * @throws IOException naming the peer if writing HEADERS that must not wait failed
   */
  Http2Stream newStream(Request request, String connectProtocol, boolean endStream,
      ExchangeOptions exchangeOptions, BooleanSupplier canceled) throws IOException {
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(exchangeOptions.writeTimeoutMillis());
    long deadlineNanos = System.nanoTime() + timeoutNanos;
    Http2Stream stream;
    boolean idsExhausted = false;
    boolean leftToPickup = false;
    lock.lock();
    try {
      while (true) {
        if (!shutdownState.takesNewStreams()) {
          throw shutdownState.newStreamRefused(peer);
        }
        if (canceled.getAsBoolean()) {
          throw new IOException("exchange with " + peer + " was canceled");
        }
        if (!streams.isFull()) {
          break;
        }
        long remainingNanos = timeoutNanos == 0 ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
          throw new ConnectionShutdownException("HTTP/2 connection to " + peer + " already carries "
              + streams.size() + " streams, the server's SETTINGS_MAX_CONCURRENT_STREAMS, and none"
              + " ended within the write timeout of " + exchangeOptions.writeTimeoutMillis() + " ms");
        }
        awaitRoomForStream(remainingNanos);
      }
      int id = streams.allocateId();
      if (streams.idsExhausted()) {
        shutdownState.noNewStreams();
        idsExhausted = true;
      }
      stream = new Http2Stream(id, this, request, connectProtocol, endStream,
          flowControl.peerInitialWindowSize(), config.streamWindowSize(),
          exchangeOptions.readTimeoutMillis(), exchangeOptions.writeTimeoutMillis());
      streams.add(stream);
      streams.queueHeaders(stream);
      Http2Stream pickup = lastHeadDelivered;
      if (endStream && pickup != null && pickup.headPickupPending) {
        // That caller is runnable and will take its head soon: it sends these HEADERS with any
        // others left to it in one write, instead of one write per call.
        pickup.flushOnPickup = true;
        leftToPickup = true;
      }
    } finally {
      lock.unlock();
    }
    if (idsExhausted) {
      listener.capacityChanged(this);
    }
    if (endStream) {
      if (!leftToPickup) {
        writer.lock().releaseOrLeaveToHolder();
      }
    } else {
      // The body follows the HEADERS: wait until they are written, by this thread or the holder.
      writer.lock().lock();
      writer.lock().unlock();
      stream.throwIfFailed();
    }
    return stream;
  }

  /**
   * Writes the HEADERS of every stream queued for them, in id order, and flushes if any of them
   * ended its stream: no other thread will flush those. Called by {@link WriterLock} with the
   * writer lock held, just before it is released. A failure fails the connection, and with it
   * every stream, each with an exception naming the peer.
   */
  private void writeQueuedHeaders() {
    if (!streams.hasQueuedHeaders()) {
      return; // HEADERS queued after this look make the lock's holder look again as it lets go.
    }
    List<Http2Stream> batch = headersBatch;
    lock.lock();
    try {
      streams.takeQueuedHeaders(batch);
    } finally {
      lock.unlock();
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      boolean flush = false;
      for (int i = 0, size = batch.size(); i < size; i++) {
        Http2Stream stream = batch.get(i);
        writer.headers(stream.id, stream.endStreamWithHeaders, stream.takeQueuedRequest(),
            stream.connectProtocol);
        flush |= stream.endStreamWithHeaders;
      }
      if (flush) {
        writer.flush();
      }
    } catch (IOException e) {
      writeFailed(e);
    } catch (RuntimeException e) {
      writeFailed(new IOException("HPACK encoding failed: " + e, e));
    } finally {
      batch.clear();
    }
  }

  /**
   * Writes the control frames queued by {@link #sendReset}, {@link #sendWindowUpdates}, {@link
   * #sendPing}, {@link #sendPingAck} and {@link #queueSettingsAck}, and flushes. Called by {@link
   * WriterLock} with the writer lock held, just before it is released. A batch holding a
   * RST_STREAM is bounded as a courtesy write is ({@link #boundCourtesyWrite()}): the holder of a
   * writer stuck on a peer that stopped reading must let go. A failure fails the connection.
   */
  private void writeQueuedControlFrames() {
    if (!controlFrames.hasQueued()) {
      return; // Frames queued after this look make the lock's holder look again as it lets go.
    }
    QueuedControlFrames batch = controlBatch;
    lock.lock();
    try {
      controlFrames.moveTo(batch);
      endResetWatch();
    } finally {
      lock.unlock();
    }
    if (!batch.hasQueued()) {
      return;
    }
    Timeout timeout = batch.hasReset() ? boundCourtesyWrite() : null;
    try {
      batch.writeTo(writer);
      writer.flush();
    } catch (IOException e) {
      writeFailed(e);
    } finally {
      batch.clear();
      if (timeout != null) {
        timeout.clearDeadline();
      }
    }
  }

  /**
   * Lets the writer lock's holder write the HEADERS queued by {@link #newStream} and the control
   * frames queued by resets, reads and pings.
   */
  private final class QueuedWrites implements WriterLock.Backlog {
    @Override
    public boolean hasQueued() {
      return streams.hasQueuedHeaders() || controlFrames.hasQueued();
    }

    @Override
    public void writeQueued() {
      // Control frames first: a SETTINGS acknowledgement precedes HEADERS that the settings let
      // through (extended CONNECT, room for more streams), as RFC 9113 §6.5.3 asks it to be sent
      // at once. A RST_STREAM is never queued for a stream whose HEADERS are still queued.
      writeQueuedControlFrames();
      writeQueuedHeaders();
    }
  }

  Listener listener() {
    return listener;
  }

  /** Waits up to {@code nanos} on {@link #roomForStream}; the lock is held and the writer lock not. */
  private void awaitRoomForStream(long nanos) throws InterruptedIOException {
    try {
      if (nanos == Long.MAX_VALUE) {
        roomForStream.await();
      } else {
        roomForStream.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for room for a stream on the HTTP/2 connection to " + peer);
    }
  }

  /** Wakes calls waiting for room for a stream, so that one canceled meanwhile notices. */
  void wakeStreamWaiters() {
    lock.lock();
    try {
      roomForStream.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Sends every buffered frame to the peer. */
  void flush() throws IOException {
    writer.lock().lock();
    try {
      writer.flush();
    } catch (IOException e) {
      throw writeFailed(e);
    } finally {
      writer.lock().unlock();
    }
  }

  /**
   * Fails the connection after a write failed: the socket is broken, or HPACK state may be out of
   * step with the peer. Closing the socket also stops the reader, which may be blocked on a read
   * that would otherwise never end.
   *
   * @return an exception of {@code cause}'s type naming the peer, for the writing thread to throw
   */
  IOException writeFailed(IOException cause) {
    IOException failure = Failures.withMessage(cause, "HTTP/2 connection to " + peer + " failed writing: "
        + Failures.describe(cause));
    shutdownNow(failure, -1, null, false);
    return failure;
  }

  /**
   * Takes no new streams after the peer broke the protocol on one stream (a malformed response,
   * a flow-control violation): whatever confused it may confuse the next exchange too. Streams in
   * flight carry on; the pool closes the connection once they end.
   */
  void streamProtocolError(int streamId) {
    boolean changed;
    lock.lock();
    try {
      changed = shutdownState.takesNewStreams();
      shutdownState.noNewStreams("the server broke the protocol on stream " + streamId);
      roomForStream.signalAll();
    } finally {
      lock.unlock();
    }
    if (changed) {
      listener.capacityChanged(this);
    }
  }

  /** Returns the peer, protocol and stream for messages, such as {@code 127.0.0.1:8443 (h2, stream 3)}. */
  String peerOnStream(int streamId) {
    return authority + " (" + protocolLabel + ", stream " + streamId + ")";
  }

  // ---- Bookkeeping shared with streams and the reader; all with the lock held.

  /** Removes {@code stream}; returns true if it was open. Arms close-when-drained after GOAWAY. */
  boolean removeStream(Http2Stream stream) {
    boolean removed = streams.remove(stream);
    if (removed) {
      // Every waiter rechecks, so none is left waiting while there is room (one may be canceled).
      roomForStream.signalAll();
      if (streams.isEmpty()) {
        shutdownState.lastStreamEnded();
      }
    }
    return removed;
  }

  /** Records that the reader handed a head to {@code stream}'s waiting caller. */
  void headDelivered(Http2Stream stream) {
    lastHeadDelivered = stream;
  }

  /** Counts {@code byteCount} bytes as consumed; returns the connection WINDOW_UPDATE due now, or 0. */
  long consumed(long byteCount) {
    return flowControl.consumed(byteCount, shutdownState.isClosed());
  }

  void markSettingsAcknowledged() {
    settingsAcknowledged = true;
  }

  /** Applies the peer's limit; returns true if {@link #maxConcurrentExchanges()} changed. */
  boolean peerMaxConcurrentStreams(long value) {
    int before = maxConcurrentExchangesLocked();
    streams.peerMaxConcurrentStreams(value);
    roomForStream.signalAll();
    return before != maxConcurrentExchangesLocked();
  }

  /**
   * Records GOAWAY: no new streams, and streams the peer never processed fail as retryable.
   *
   * @return the streams above {@code lastStreamId}, already removed
   */
  List<Http2Stream> goAwayReceived(int lastStreamId, long errorCode) {
    List<Http2Stream> unprocessed = streams.removeAbove(lastStreamId);
    shutdownState.goAwayReceived(errorCode, streams.isEmpty());
    roomForStream.signalAll();
    return unprocessed;
  }

  // ---- I/O helpers, called without the lock.

  /**
   * Sends RST_STREAM (if {@code streamId} is not 0) and a connection WINDOW_UPDATE (if due)
   * without waiting for the writer: they are queued, and written now if the writer is free, else
   * by its holder as it lets go ({@link WriterLock}). A writer held longer than {@value
   * #WRITER_WAIT_MILLIS} ms after that is blocked on a peer that stopped reading, perhaps writing
   * the very stream being reset, which then could not end before the peer reads again: the
   * connection is then closed, which ends the blocked write (and fails every stream). The frames'
   * own socket write is bounded as long again whatever the write timeout (see {@link
   * #boundCourtesyWrite()}); only that write, made when the writer is free but the socket full,
   * keeps the resetting thread waiting, up to {@value #WRITER_WAIT_MILLIS} ms.
   */
  void sendReset(int streamId, long errorCode, long connectionIncrement) {
    if (streamId != 0 || connectionIncrement > 0) {
      if (queueControlFrames(streamId, errorCode, 0, 0, connectionIncrement)
          && !writer.lock().releaseOrLeaveToHolder() && streamId != 0) {
        watchQueuedReset(streamId);
      }
    }
    closeIfDrained();
  }

  /**
   * Sends WINDOW_UPDATE frames returning credit the application consumed, without waiting for the
   * writer: written now if it is free, else by its holder as it lets go.
   */
  void sendWindowUpdates(int streamId, long streamIncrement, long connectionIncrement) {
    if (queueControlFrames(0, 0, streamId, streamIncrement, connectionIncrement)) {
      writer.lock().releaseOrLeaveToHolder();
    }
  }

  /**
   * Sends a PING carrying {@code payload} without waiting for the writer: a caller whose read
   * timed out, checking the connection, must not wait behind a writer stuck on a peer that stopped
   * reading. A PING so held back goes unanswered, and the connection counts as degraded (or, for
   * a keep-alive PING, fails) as when the peer does not answer.
   */
  void sendPing(long payload) {
    lock.lock();
    try {
      if (shutdownState.isClosed()) {
        return;
      }
      controlFrames.ping(false, payload);
    } finally {
      lock.unlock();
    }
    writer.lock().releaseOrLeaveToHolder();
  }

  /**
   * Answers the peer's PING carrying {@code payload} without waiting for the writer: the reader
   * thread must not stop reading behind a writer stuck on a peer that stopped reading.
   *
   * @throws ConnectionErrorException ENHANCE_YOUR_CALM if {@value #MAX_QUEUED_ACKNOWLEDGEMENTS}
   *     acknowledgements are queued already
   */
  void sendPingAck(long payload) throws ConnectionErrorException {
    lock.lock();
    try {
      if (!acknowledgementQueueable()) {
        return;
      }
      controlFrames.ping(true, payload);
    } finally {
      lock.unlock();
    }
    writer.lock().releaseOrLeaveToHolder();
  }

  /**
   * Queues the acknowledgement of the peer's {@code peerSettings}, as {@link #sendPingAck} does a
   * PING's, ahead of any HEADERS queued after it; the settings that change how we write take
   * effect as it is written, before any later frame. The lock is held, so that a thread woken by
   * what the settings changed queues its HEADERS after this; the caller lets the writer write it
   * ({@link WriterLock#releaseOrLeaveToHolder()}) once it let go of the lock.
   *
   * @throws ConnectionErrorException ENHANCE_YOUR_CALM if {@value #MAX_QUEUED_ACKNOWLEDGEMENTS}
   *     acknowledgements are queued already
   */
  void queueSettingsAck(Settings peerSettings) throws ConnectionErrorException {
    if (acknowledgementQueueable()) {
      controlFrames.settingsAck(peerSettings);
    }
  }

  /**
   * Returns false if the connection is closed, when nothing is sent. A peer that keeps sending
   * frames to acknowledge while not reading the acknowledgements is flooding the connection. The
   * lock is held.
   */
  private boolean acknowledgementQueueable() throws ConnectionErrorException {
    if (shutdownState.isClosed()) {
      return false;
    }
    if (controlFrames.acknowledgementCount() >= MAX_QUEUED_ACKNOWLEDGEMENTS) {
      throw new ConnectionErrorException(ErrorCodes.ENHANCE_YOUR_CALM, "the peer sent "
          + MAX_QUEUED_ACKNOWLEDGEMENTS + " PINGs or SETTINGS more than could be acknowledged");
    }
    return true;
  }

  /**
   * Queues a RST_STREAM for {@code resetStreamId} (none if 0) and WINDOW_UPDATEs; returns false
   * if the connection is closed, when nothing is sent.
   */
  private boolean queueControlFrames(int resetStreamId, long errorCode, int updateStreamId,
      long streamIncrement, long connectionIncrement) {
    lock.lock();
    try {
      if (shutdownState.isClosed()) {
        return false;
      }
      if (resetStreamId != 0) {
        controlFrames.reset(resetStreamId, errorCode);
      }
      if (updateStreamId != 0) {
        controlFrames.windowUpdate(updateStreamId, streamIncrement);
      }
      controlFrames.windowUpdate(0, connectionIncrement);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the connection unless the holder of the writer writes the queued RST_STREAM of {@code
   * streamId} within {@value #WRITER_WAIT_MILLIS} ms. Nothing to do if it was written already, or
   * if an earlier reset still queued is watched.
   */
  private void watchQueuedReset(int streamId) {
    lock.lock();
    try {
      if (resetWatched || !controlFrames.hasReset() || shutdownState.isClosed()) {
        return;
      }
      if (resetWatch == null) {
        StuckWriterClose close = new StuckWriterClose();
        resetWatch = WatchedOperation.closing(close, close, "HTTP/2 connection to " + peer
            + ": a write stayed blocked for " + WRITER_WAIT_MILLIS + " ms after a reset");
      }
      resetWatched = true;
      watchedResetStreamId = streamId;
      resetWatch.beginWithin(TimeUnit.MILLISECONDS.toNanos(WRITER_WAIT_MILLIS));
    } finally {
      lock.unlock();
    }
  }

  /** Stops watching for a queued RST_STREAM; the lock is held. */
  private void endResetWatch() {
    if (resetWatched) {
      resetWatched = false;
      resetWatch.end();
    }
  }

  /**
   * Closes the connection whose writer stayed held with a RST_STREAM queued; run by the I/O
   * watchdog. A named class: it is both the watch's target and its closed check.
   */
  private final class StuckWriterClose implements Closeable, BooleanSupplier {
    @Override
    public void close() {
      int streamId;
      lock.lock();
      try {
        streamId = watchedResetStreamId;
      } finally {
        lock.unlock();
      }
      shutdownNow(new IOException("HTTP/2 connection to " + peer + " was closed: a write stayed"
          + " blocked for " + WRITER_WAIT_MILLIS + " ms as stream " + streamId + " was reset"),
          -1, null, false);
    }

    @Override
    public boolean getAsBoolean() {
      return !transport.link().isOpen();
    }
  }

  /** Closes the connection if GOAWAY was received and its last stream just ended. */
  void closeIfDrained() {
    if (shutdownState.closeWhenDrained()) {
      shutdownNow(new IOException("HTTP/2 connection to " + peer + " was closed after GOAWAY"),
          ErrorCodes.NO_ERROR, null, false);
    }
  }

  /**
   * Stops the connection: records {@code cause} (the first one wins), fails every stream with it,
   * sends GOAWAY with {@code goAwayCode} (-1 for none), and closes the socket. The GOAWAY is
   * skipped when another thread holds the writer, after waiting up to 1 s if {@code waitForWriter},
   * and its socket write is bounded to as long (see {@link #boundCourtesyWrite()}).
   */
  void shutdownNow(IOException cause, long goAwayCode, String goAwayDebug, boolean waitForWriter) {
    List<Http2Stream> failed;
    boolean sendGoAway;
    lock.lock();
    try {
      if (!shutdownState.close(cause)) {
        return;
      }
      failed = streams.removeAll();
      controlFrames.clear();
      endResetWatch();
      roomForStream.signalAll();
      for (Http2Stream stream : failed) {
        stream.connectionFailed(cause);
      }
      sendGoAway = shutdownState.claimGoAway(goAwayCode);
    } finally {
      lock.unlock();
    }
    // Never wait long behind a writer stuck on a full socket: the GOAWAY is a courtesy.
    if (sendGoAway && (waitForWriter ? lockWriter() : writer.lock().tryLock())) {
      Timeout timeout = boundCourtesyWrite();
      try {
        writer.goAway(0, goAwayCode, goAwayDebug == null ? ByteString.EMPTY : ByteString.encodeUtf8(goAwayDebug));
      } catch (IOException ignored) {
        // The peer may be gone already; the socket is closed next either way.
      } finally {
        timeout.clearDeadline();
        writer.lock().unlock();
      }
    }
    transport.link().close();
    pings.stopKeepAlive();
  }

  /** Called once by the reader thread as it exits. */
  void readerFinished(IOException cause) {
    shutdownNow(cause, -1, null, false);
    lock.lock();
    try {
      extendedConnect.connectionEnded();
    } finally {
      lock.unlock();
    }
    listener.capacityChanged(this);
  }

  /**
   * Puts a deadline {@value #WRITER_WAIT_MILLIS} ms away on the socket writes of a courtesy frame
   * (RST_STREAM, GOAWAY), whatever the write timeout, even none: a peer that stopped reading may
   * have taken the last write whole and left the socket full with no write in flight, and a cancel
   * or a close must not wait for it. An overdue write closes the socket. Writer lock held; the
   * caller clears the deadline before letting go of it.
   */
  private Timeout boundCourtesyWrite() {
    Timeout timeout = transport.sink().timeout();
    timeout.deadline(WRITER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    return timeout;
  }

  /**
   * Waits a little for the writer; a writer stuck on a peer that stopped reading must not hold us
   * forever. Returns false if it is still held after {@value #WRITER_WAIT_MILLIS} ms, or if the
   * thread is interrupted (its interrupt status then set again).
   */
  private boolean lockWriter() {
    try {
      return writer.lock().tryLock(WRITER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---- Test hooks.

  /** Returns the body bytes received and not yet read by the application, across all streams. */
  long bufferedBytes() {
    lock.lock();
    try {
      return flowControl.bufferedBytes();
    } finally {
      lock.unlock();
    }
  }

  /** Returns the most body bytes ever buffered at once. */
  long maxBufferedBytes() {
    lock.lock();
    try {
      return flowControl.maxBufferedBytes();
    } finally {
      lock.unlock();
    }
  }

  /** Returns true once the peer acknowledged our SETTINGS. */
  boolean settingsAcknowledged() {
    lock.lock();
    try {
      return settingsAcknowledged;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the number of streams open now. */
  int openStreamCount() {
    lock.lock();
    try {
      return streams.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "Http2Connection{" + authority + ", " + transport.protocol() + "}";
  }
}
