package dev.courier.http2.internal;

import dev.courier.ConnectionShutdownException;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import okio.ByteString;

/**
 * Speaks HTTP/2 (RFC 9113) over one transport: many streams at once, flow control both ways,
 * pings, and an orderly shutdown on GOAWAY. One reader thread ({@link ReaderLoop}) reads every
 * frame; application threads write HEADERS and DATA through the shared {@link FrameWriter}.
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
  final Http2Config config;
  final FrameWriter writer;
  final ReentrantLock lock = new ReentrantLock();
  /** Free arrays for stream read buffers; guarded by lock. */
  final ReceiveBuffer.Pool chunkPool = new ReceiveBuffer.Pool();
  private final ConnectionOptions options;
  private final Listener listener;

  // Guarded by lock.
  private final Map<Integer, Http2Stream> streams = new HashMap<>();
  private int nextStreamId = 1;
  private boolean shutdown;
  private boolean closed;
  private boolean goAwaySent;
  private IOException failure;
  private boolean goAwayReceived;
  private long goAwayErrorCode;
  private long peerMaxConcurrentStreams = Integer.MAX_VALUE;
  int peerInitialWindowSize = FrameReader.DEFAULT_WINDOW_SIZE;
  long sendWindow = FrameReader.DEFAULT_WINDOW_SIZE;
  long receiveWindowRemaining;
  private long unacknowledgedBytes;
  long bufferedBytes;
  private long maxBufferedBytes;
  private boolean settingsAcknowledged;
  private final PingTracker pings;

  private volatile boolean closeWhenDrained;
  private KeepAlivePinger pinger;

  private Http2Connection(Transport transport, ConnectionOptions options, Listener listener,
      Http2Config config) {
    this.transport = transport;
    this.host = transport.route().address().host();
    this.options = options;
    this.listener = listener;
    this.config = config;
    this.writer = new FrameWriter(transport.sink());
    this.receiveWindowRemaining = config.connectionWindowSize();
    this.pings = new PingTracker(config.degradedPongTimeoutNanos());
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
    transport.socket().setTcpNoDelay(true);
    Http2Connection connection = new Http2Connection(transport, options, listener, config);
    Settings settings = new Settings()
        .set(Settings.ENABLE_PUSH, 0)
        .set(Settings.INITIAL_WINDOW_SIZE, config.streamWindowSize())
        .set(Settings.MAX_HEADER_LIST_SIZE, config.maxHeaderListSize());
    try {
      connection.writer.connectionPreface(settings,
          config.connectionWindowSize() - FrameReader.DEFAULT_WINDOW_SIZE);
    } catch (IOException e) {
      closeQuietly(transport.socket());
      throw e;
    }
    ReaderLoop readerLoop = new ReaderLoop(connection, config.maxHeaderListSize(),
        options.readTimeoutMillis());
    Thread reader = new Thread(readerLoop, "Courier h2 reader " + connection.host);
    reader.setDaemon(true);
    reader.start();
    return connection;
  }

  /** Starts keep-alive pings, if enabled, once the peer's preface arrived. Reader thread only. */
  void startPinger() {
    if (options.pingIntervalMillis() == 0) {
      return;
    }
    lock.lock();
    try {
      if (!closed) {
        pinger = new KeepAlivePinger(this, options.pingIntervalMillis());
      }
    } finally {
      lock.unlock();
    }
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
    return shutdown || closed ? 0 : (int) Math.min(peerMaxConcurrentStreams, Integer.MAX_VALUE);
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
      if (shutdown || closed) {
        return false;
      }
      if (pings.isDegraded(config.nanoClock().getAsLong())) {
        return false;
      }
    } finally {
      lock.unlock();
    }
    if (extensiveChecks) {
      Socket socket = transport.socket();
      return !socket.isClosed() && !socket.isInputShutdown() && !socket.isOutputShutdown();
    }
    return true;
  }

  @Override
  public ExchangeCodec newCodec(ExchangeOptions options) throws IOException {
    lock.lock();
    try {
      if (shutdown || closed) {
        throw shutdownException();
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
      shutdown = true;
    } finally {
      lock.unlock();
    }
  }

  /** Sends GOAWAY(NO_ERROR) if the writer is free, closes the socket, and fails open streams. */
  @Override
  public void close() {
    shutdownNow(new IOException("HTTP/2 connection to " + host + " was closed"), ErrorCodes.NO_ERROR, null,
        false);
  }

  /**
   * Opens a stream and writes {@code request}'s HEADERS; stream ids are allocated and HEADERS
   * written under the writer lock so that ids reach the peer in increasing order.
   *
   * @throws ConnectionShutdownException if the connection takes no new streams or the peer's
   *     MAX_CONCURRENT_STREAMS is reached; the request was not sent and may be retried
   */
  Http2Stream newStream(Request request, boolean endStream, ExchangeOptions exchangeOptions)
      throws IOException {
    Http2Stream stream;
    boolean idsExhausted = false;
    writer.lock().lock();
    try {
      lock.lock();
      try {
        if (shutdown || closed) {
          throw shutdownException();
        }
        if (streams.size() >= peerMaxConcurrentStreams) {
          throw new ConnectionShutdownException("HTTP/2 connection to " + host + " already carries "
              + streams.size() + " streams, the server's SETTINGS_MAX_CONCURRENT_STREAMS");
        }
        int id = nextStreamId;
        nextStreamId += 2;
        if (nextStreamId < 0) {
          shutdown = true; // Stream ids are exhausted: 2^31-1 is the last (RFC 9113 §5.1.1).
          idsExhausted = true;
        }
        stream = new Http2Stream(id, this, peerInitialWindowSize, config.streamWindowSize(),
            exchangeOptions.readTimeoutMillis(), exchangeOptions.writeTimeoutMillis());
        if (endStream) {
          stream.endStreamSentWithHeaders();
        }
        streams.put(id, stream);
      } finally {
        lock.unlock();
      }
      try {
        writer.headers(stream.id, endStream, request);
      } catch (IOException e) {
        writeFailed(e);
        throw e;
      }
    } finally {
      writer.lock().unlock();
    }
    if (idsExhausted) {
      listener.capacityChanged(this);
    }
    return stream;
  }

  Listener listener() {
    return listener;
  }

  void flush() throws IOException {
    try {
      writer.flush();
    } catch (IOException e) {
      writeFailed(e);
      throw e;
    }
  }

  /**
   * Fails the connection after a write failed: the socket is broken, or HPACK state may be out of
   * step with the peer. Closing the socket also stops the reader, which may be blocked on a read
   * that would otherwise never end.
   */
  void writeFailed(IOException cause) {
    shutdownNow(new IOException("HTTP/2 connection to " + host + " failed writing: " + cause.getMessage(), cause),
        -1, null, false);
  }

  // ---- Bookkeeping shared with streams and the reader; all with the lock held.

  Http2Stream stream(int id) {
    return streams.get(id);
  }

  /** Returns true for ids no stream of ours ever had: even (server-initiated) or not yet used. */
  boolean isIdle(int streamId) {
    return (streamId & 1) == 0 || streamId >= nextStreamId;
  }

  /** Returns the open streams; a live view, to be iterated with the lock held. */
  Collection<Http2Stream> openStreams() {
    return streams.values();
  }

  /** Removes {@code stream}; returns true if it was open. Arms close-when-drained after GOAWAY. */
  boolean removeStream(Http2Stream stream) {
    boolean removed = streams.remove(stream.id) != null;
    if (removed && goAwayReceived && streams.isEmpty() && !closed) {
      closeWhenDrained = true;
    }
    return removed;
  }

  /** Counts {@code byteCount} bytes as consumed; returns the connection WINDOW_UPDATE due now, or 0. */
  long consumed(long byteCount) {
    unacknowledgedBytes += byteCount;
    if (closed || unacknowledgedBytes < config.connectionWindowSize() / 2) {
      return 0;
    }
    long increment = unacknowledgedBytes;
    unacknowledgedBytes = 0;
    receiveWindowRemaining += increment;
    return increment;
  }

  void bufferedBytesAdded(long byteCount) {
    bufferedBytes += byteCount;
    maxBufferedBytes = Math.max(maxBufferedBytes, bufferedBytes);
  }

  void markSettingsAcknowledged() {
    settingsAcknowledged = true;
  }

  /** Applies the peer's limit; returns true if {@link #maxConcurrentExchanges()} changed. */
  boolean peerMaxConcurrentStreams(long value) {
    int before = maxConcurrentExchangesLocked();
    peerMaxConcurrentStreams = value;
    return before != maxConcurrentExchangesLocked();
  }

  /**
   * Records GOAWAY: no new streams, and streams the peer never processed fail as retryable.
   *
   * @return the streams above {@code lastStreamId}, already removed
   */
  List<Http2Stream> goAwayReceived(int lastStreamId, long errorCode) {
    goAwayReceived = true;
    goAwayErrorCode = errorCode;
    shutdown = true;
    List<Http2Stream> unprocessed = new ArrayList<>();
    for (Http2Stream stream : streams.values()) {
      if (stream.id > lastStreamId) {
        unprocessed.add(stream);
      }
    }
    for (Http2Stream stream : unprocessed) {
      streams.remove(stream.id);
    }
    if (streams.isEmpty()) {
      closeWhenDrained = true;
    }
    return unprocessed;
  }

  boolean goAwayReceived() {
    return goAwayReceived;
  }

  long goAwayErrorCode() {
    return goAwayErrorCode;
  }

  void pongReceived(long payload) {
    pings.pongReceived(payload);
  }

  // ---- I/O helpers, called without the lock.

  /** Writes RST_STREAM (if {@code streamId} is not 0) and a connection WINDOW_UPDATE (if due). */
  void sendReset(int streamId, long errorCode, long connectionIncrement) {
    if (streamId != 0 || connectionIncrement > 0) {
      try {
        if (streamId != 0) {
          writer.rstStream(streamId, errorCode);
        }
        if (connectionIncrement > 0) {
          writer.windowUpdate(0, connectionIncrement);
        }
        writer.flush();
      } catch (IOException e) {
        writeFailed(e);
      }
    }
    closeIfDrained();
  }

  /** Writes WINDOW_UPDATE frames returning credit the application consumed. */
  void sendWindowUpdates(int streamId, long streamIncrement, long connectionIncrement) {
    try {
      writer.lock().lock();
      try {
        if (streamIncrement > 0) {
          writer.windowUpdate(streamId, streamIncrement);
        }
        if (connectionIncrement > 0) {
          writer.windowUpdate(0, connectionIncrement);
        }
        writer.flush();
      } finally {
        writer.lock().unlock();
      }
    } catch (IOException e) {
      writeFailed(e);
    }
  }

  /** Closes the connection if GOAWAY was received and its last stream just ended. */
  void closeIfDrained() {
    if (closeWhenDrained) {
      shutdownNow(new IOException("HTTP/2 connection to " + host + " was closed after GOAWAY"),
          ErrorCodes.NO_ERROR, null, false);
    }
  }

  /**
   * Sends a PING after a stream's read timed out; if no PONG arrives within the degraded-pong
   * timeout, {@link #isHealthy} turns false so the pool stops handing the connection out.
   */
  void sendDegradedPing() {
    long payload;
    lock.lock();
    try {
      payload = closed ? -1 : pings.startDegradedPing(config.nanoClock().getAsLong());
    } finally {
      lock.unlock();
    }
    if (payload == -1) {
      return;
    }
    try {
      writer.ping(false, payload);
    } catch (IOException e) {
      writeFailed(e);
    }
  }

  /** Sends a keep-alive PING; if the previous one is still unanswered, fails the connection. */
  void keepAlivePing() {
    long payload;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      payload = pings.startKeepAlivePing();
    } finally {
      lock.unlock();
    }
    if (payload == -1) {
      shutdownNow(new IOException("HTTP/2 connection to " + host + " failed: no PING response within "
          + options.pingIntervalMillis() + " ms"), -1, null, false);
      return;
    }
    try {
      writer.ping(false, payload);
    } catch (IOException e) {
      writeFailed(e);
    }
  }

  /**
   * Stops the connection: records {@code cause} (the first one wins), fails every stream with it,
   * sends GOAWAY with {@code goAwayCode} (-1 for none), and closes the socket. The GOAWAY is
   * skipped when another thread holds the writer, after waiting up to 1 s if {@code waitForWriter}.
   */
  void shutdownNow(IOException cause, long goAwayCode, String goAwayDebug, boolean waitForWriter) {
    List<Http2Stream> failed;
    boolean sendGoAway;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      shutdown = true;
      closeWhenDrained = false;
      failure = cause;
      failed = new ArrayList<>(streams.values());
      streams.clear();
      for (Http2Stream stream : failed) {
        stream.fail(cause);
      }
      sendGoAway = goAwayCode != -1 && !goAwaySent;
      goAwaySent |= sendGoAway;
    } finally {
      lock.unlock();
    }
    // Never wait long behind a writer stuck on a full socket: the GOAWAY is a courtesy.
    if (sendGoAway && (waitForWriter ? lockWriter() : writer.lock().tryLock())) {
      try {
        writer.goAway(0, goAwayCode, goAwayDebug == null ? ByteString.EMPTY : ByteString.encodeUtf8(goAwayDebug));
      } catch (IOException ignored) {
        // The peer may be gone already; the socket is closed next either way.
      } finally {
        writer.lock().unlock();
      }
    }
    closeQuietly(transport.socket());
    KeepAlivePinger pinger;
    lock.lock();
    try {
      pinger = this.pinger;
    } finally {
      lock.unlock();
    }
    if (pinger != null) {
      pinger.stop();
    }
  }

  /** Called once by the reader thread as it exits. */
  void readerFinished(IOException cause) {
    shutdownNow(cause, -1, null, false);
    listener.capacityChanged(this);
  }

  /** Waits a little for the writer; a writer stuck on a peer that stopped reading must not hold us forever. */
  private boolean lockWriter() {
    try {
      return writer.lock().tryLock(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private ConnectionShutdownException shutdownException() {
    if (goAwayReceived) {
      return new ConnectionShutdownException("HTTP/2 connection to " + host + " received GOAWAY ("
          + ErrorCodes.describe(goAwayErrorCode) + ") and takes no new streams");
    }
    if (failure != null) {
      return new ConnectionShutdownException("HTTP/2 connection to " + host
          + " takes no new streams: " + failure.getMessage());
    }
    return new ConnectionShutdownException("HTTP/2 connection to " + host + " takes no new streams");
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing else to do.
    }
  }

  // ---- Test hooks.

  /** Returns the body bytes received and not yet read by the application, across all streams. */
  long bufferedBytes() {
    lock.lock();
    try {
      return bufferedBytes;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the most body bytes ever buffered at once. */
  long maxBufferedBytes() {
    lock.lock();
    try {
      return maxBufferedBytes;
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
    return "Http2Connection{" + host + ", " + transport.protocol() + "}";
  }
}
