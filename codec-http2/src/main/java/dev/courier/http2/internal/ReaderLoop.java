package dev.courier.http2.internal;

import static dev.courier.http2.internal.ErrorCodes.FLOW_CONTROL_ERROR;
import static dev.courier.http2.internal.ErrorCodes.PROTOCOL_ERROR;

import dev.courier.ConnectionShutdownException;
import dev.courier.Headers;
import dev.courier.StreamResetException;
import dev.courier.http2.Http2ConnectionException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import okio.Timeout;

/**
 * Runs on the connection's reader thread: reads every frame and applies it to the connection and
 * its streams. A connection error sends GOAWAY and fails every stream with an
 * {@link Http2ConnectionException}; a stream error resets just that stream.
 */
final class ReaderLoop implements Runnable, FrameReader.Handler {
  private final Http2Connection connection;
  private final BufferedSource source;
  /** Holds back waking the readers of streams that received DATA; see {@link DeferredWakes}. */
  private final DeferredWakes wakes;
  private final FrameReader reader;
  /** Reads large DATA payloads past the reader's buffer; null if it is not used on this transport. */
  private final DirectDataReader direct;
  private final int firstFrameTimeoutMillis;
  /** Names the peer and the stream of the HEADERS being read, for messages. Reader thread only. */
  private final PeerOnStream headersPeer = new PeerOnStream();
  /** True once the peer's first frame, its SETTINGS, arrived. Reader thread only. */
  private boolean prefaceReceived;

  ReaderLoop(Http2Connection connection, long maxHeaderListSize, int firstFrameTimeoutMillis) {
    this.connection = connection;
    this.wakes = new DeferredWakes(connection.transport.source(), connection.transport.link(), connection.lock);
    this.source = Okio.buffer(wakes);
    this.direct = DirectDataReader.create(connection.transport, source, wakes);
    this.reader = new FrameReader(source, maxHeaderListSize);
    this.firstFrameTimeoutMillis = firstFrameTimeoutMillis;
  }

  @Override
  public void run() {
    IOException cause;
    try {
      readFrames();
      cause = closedByPeer();
    } catch (ConnectionErrorException e) {
      cause = new Http2ConnectionException(e.errorCode, "HTTP/2 connection to " + connection.peer
          + " failed with " + ErrorCodes.describe(e.errorCode) + ": " + e.getMessage(), e);
      connection.shutdownNow(cause, e.errorCode, e.getMessage(), true);
    } catch (IOException e) {
      cause = readFailed(e);
    } catch (RuntimeException | Error e) {
      IOException internal = new Http2ConnectionException(ErrorCodes.INTERNAL_ERROR,
          "HTTP/2 connection to " + connection.peer + " failed: " + e, e);
      connection.shutdownNow(internal, ErrorCodes.INTERNAL_ERROR, null, true);
      connection.readerFinished(internal);
      throw e;
    }
    connection.readerFinished(cause);
  }

  private void readFrames() throws IOException {
    // The peer's SETTINGS must come promptly; afterwards an idle connection may stay quiet forever.
    Timeout timeout = source.timeout();
    timeout.timeout(firstFrameTimeoutMillis, TimeUnit.MILLISECONDS);
    boolean more = reader.nextFrame(this);
    timeout.timeout(0, TimeUnit.MILLISECONDS);
    prefaceReceived = more;
    if (more) {
      connection.pings.startKeepAlive();
    }
    while (more) {
      try {
        more = reader.nextFrame(this);
      } catch (StreamErrorException e) {
        wakes.wakeAll(); // Before the reset is written.
        streamError(e.streamId, e.errorCode, e.getMessage());
      }
    }
  }

  /**
   * Returns an exception of {@code e}'s type (an EOF, a reset, a timeout) naming the peer and the
   * protocol, for a read of the connection that failed.
   */
  private IOException readFailed(IOException e) {
    String message;
    if (!prefaceReceived && e instanceof SocketTimeoutException) {
      message = "timeout waiting " + firstFrameTimeoutMillis + " ms for the server's SETTINGS on "
          + "the HTTP/2 connection to " + connection.peer;
    } else if (e instanceof EOFException) {
      message = "HTTP/2 connection to " + connection.peer + " was closed by the peer in the middle of a frame";
    } else {
      message = "HTTP/2 connection to " + connection.peer + " failed reading: " + Failures.describe(e);
    }
    return Failures.withMessage(e, message);
  }

  private IOException closedByPeer() {
    connection.lock.lock();
    try {
      ShutdownState state = connection.shutdownState;
      if (state.goAwayReceived() && state.goAwayErrorCode() != ErrorCodes.NO_ERROR) {
        long code = state.goAwayErrorCode();
        return new Http2ConnectionException(code, "HTTP/2 connection to " + connection.peer
            + " was closed by the peer after GOAWAY " + ErrorCodes.describe(code));
      }
    } finally {
      connection.lock.unlock();
    }
    // An end of stream that exchanges in flight did not expect.
    return new EOFException("HTTP/2 connection to " + connection.peer + " was closed by the peer");
  }

  @Override
  public void data(int streamId, boolean endStream, BufferedSource source, int dataLength,
      int frameLength) throws IOException {
    // Read the payload (at most one frame, 16 KiB) before taking the lock, so that taking it under
    // the lock never waits on the network and each frame takes the lock once: a large one
    // straight into receive chunks, a small or already buffered one into the reader's buffer.
    boolean directRead = direct != null && direct.applies(dataLength);
    if (directRead) {
      direct.read(dataLength);
    } else {
      source.require(dataLength);
    }
    ProtocolException error = null;
    long errorCode = PROTOCOL_ERROR;
    String malformed;
    long streamIncrement = 0;
    long connectionIncrement;
    connection.lock.lock();
    try {
      connection.flowControl.dataReceived(frameLength);
      if (connection.streams.isIdle(streamId)) {
        throw new ConnectionErrorException(PROTOCOL_ERROR, "DATA on idle stream " + streamId);
      }
      Http2Stream stream = connection.streams.get(streamId);
      if (afterEndStream(stream, streamId)) {
        throw new ConnectionErrorException(ErrorCodes.STREAM_CLOSED, "DATA on stream " + streamId
            + " after its END_STREAM");
      }
      if (stream == null || !stream.isReceiving()) {
        // A stream we reset or finished: the peer sent before it knew. Return the credit.
        connectionIncrement = dropPayload(directRead, dataLength, frameLength);
      } else if (!stream.finalHeadReceived()) {
        error = malformed(connection.peerOnStream(streamId), "DATA before the response headers");
        connectionIncrement = dropPayload(directRead, dataLength, frameLength);
      } else if ((malformed = stream.framing.checkContent(dataLength, endStream)) != null) {
        error = malformed(connection.peerOnStream(streamId), malformed);
        connectionIncrement = dropPayload(directRead, dataLength, frameLength);
      } else if (frameLength > stream.receiveWindowRemaining) {
        errorCode = FLOW_CONTROL_ERROR;
        error = new ProtocolException("exchange with " + connection.peerOnStream(streamId)
            + " failed with " + ErrorCodes.describe(errorCode) + ": DATA of " + frameLength
            + " bytes exceeds the stream's receive window of " + stream.receiveWindowRemaining);
        connectionIncrement = dropPayload(directRead, dataLength, frameLength);
      } else {
        boolean deferWake;
        if (directRead) {
          deferWake = stream.receiveData(direct.filled(), direct.filledCount(), dataLength, frameLength, endStream);
          direct.handedOver();
        } else {
          deferWake = stream.receiveData(source, dataLength, frameLength, endStream);
        }
        if (deferWake) {
          wakes.defer(stream);
        }
        connection.flowControl.bufferedBytesAdded(dataLength);
        streamIncrement = stream.takeWindowUpdate();
        connectionIncrement = connection.consumed(frameLength - dataLength);
        if (endStream && stream.endStreamSent()) {
          connection.removeStream(stream);
        }
      }
      if (direct != null && (directRead || endStream)) {
        direct.refill(connection.chunkPool, endStream);
      }
    } finally {
      connection.lock.unlock();
    }
    if (error != null || streamIncrement > 0 || connectionIncrement > 0) {
      wakes.wakeAll(); // Before writing, which may wait for the peer.
    }
    if (error != null) {
      malformedResponse(streamId, errorCode, error);
    }
    if (streamIncrement > 0 || connectionIncrement > 0) {
      connection.sendWindowUpdates(streamId, streamIncrement, connectionIncrement);
    }
    connection.closeIfDrained();
  }

  /**
   * Drops a payload no stream takes, read into chunks or still in the reader's buffer, and returns
   * the connection WINDOW_UPDATE its frame's credit makes due. Lock held.
   */
  private long dropPayload(boolean directRead, int dataLength, int frameLength) throws IOException {
    if (directRead) {
      direct.discardFilled(connection.chunkPool);
    } else {
      source.skip(dataLength);
    }
    return connection.consumed(frameLength);
  }

  @Override
  public void controlFrame() {
    // Handling it may write (an acknowledgement, a reset) and so wait for the peer.
    wakes.wakeAll();
  }

  @Override
  public void headers(int streamId, boolean endStream, HpackReader.Fields fields) throws IOException {
    Http2Stream stream;
    boolean idle;
    boolean trailers;
    boolean afterEndStream;
    connection.lock.lock();
    try {
      stream = connection.streams.get(streamId);
      idle = connection.streams.isIdle(streamId);
      trailers = stream != null && stream.finalHeadReceived();
      afterEndStream = afterEndStream(stream, streamId);
    } finally {
      connection.lock.unlock();
    }
    if (idle) {
      // Also a stream whose HEADERS still wait to be written: the peer cannot answer it yet.
      throw new ConnectionErrorException(PROTOCOL_ERROR, "HEADERS on idle stream " + streamId);
    }
    if (afterEndStream) {
      throw new ConnectionErrorException(ErrorCodes.STREAM_CLOSED, "HEADERS on stream " + streamId
          + " after its END_STREAM");
    }
    if (stream == null) {
      return; // A stream we already closed; decoding kept HPACK in step.
    }
    // The peer's name is built only if a message needs it.
    headersPeer.streamId = streamId;
    if (fields.exceedsLimit()) {
      // Our own limit, not a protocol violation: the connection stays usable.
      resetStream(streamId, PROTOCOL_ERROR, new ProtocolException("response headers from " + headersPeer.get()
          + " exceed " + connection.config.maxHeaderListSize() + " bytes (SETTINGS_MAX_HEADER_LIST_SIZE)"));
      return;
    }
    ResponseHeaders.Head head = null;
    Headers trailerFields = null;
    try {
      if (trailers) {
        if (!endStream) {
          throw malformed(headersPeer.get(), "trailers without END_STREAM");
        }
        trailerFields = ResponseHeaders.parseTrailers(fields, headersPeer);
      } else {
        head = ResponseHeaders.parseHead(fields, headersPeer);
        if (head.code() == 101) {
          throw malformed(headersPeer.get(), "101 Switching Protocols is not allowed in HTTP/2");
        }
        if (head.code() < 200 && endStream) {
          throw malformed(headersPeer.get(), "informational response " + head.code() + " with END_STREAM");
        }
      }
    } catch (ProtocolException e) {
      malformedResponse(streamId, PROTOCOL_ERROR, e);
      return;
    }
    ProtocolException error = null;
    long errorCode = PROTOCOL_ERROR;
    connection.lock.lock();
    try {
      if (!stream.isReceiving()) {
        return;
      }
      String malformed = null;
      if (head != null && head.code() < 200 && stream.framing.interimLimitReached()) {
        // Not malformed, but a peer that never answers must not hold a call without a call timeout.
        errorCode = ErrorCodes.ENHANCE_YOUR_CALM;
        error = new ProtocolException("too many interim responses from " + headersPeer.get() + ": more than "
            + ResponseFraming.MAX_INTERIM_RESPONSES + " interim (1xx) responses before the final one");
      } else if (head != null && head.code() >= 200) {
        malformed = stream.framing.checkFinalHead(head, endStream);
      } else if (head == null) {
        malformed = stream.framing.checkEnd();
      }
      if (malformed != null) {
        error = malformed(headersPeer.get(), malformed);
      }
      if (error != null) {
        // Reset below, without the lock.
      } else if (head != null) {
        stream.receiveHead(head, endStream);
      } else {
        stream.receiveTrailers(trailerFields);
      }
      if (error == null && endStream && stream.endStreamSent()) {
        connection.removeStream(stream);
      }
    } finally {
      connection.lock.unlock();
    }
    if (error != null) {
      malformedResponse(streamId, errorCode, error);
    }
    connection.closeIfDrained();
  }

  @Override
  public void rstStream(int streamId, long errorCode) throws IOException {
    Http2Stream stream;
    boolean idle;
    connection.lock.lock();
    try {
      idle = connection.streams.isIdle(streamId);
      stream = idle ? null : connection.streams.get(streamId);
      if (stream != null) {
        // REFUSED_STREAM means the peer did no work on it, so the request can be retried.
        stream.fail(errorCode == ErrorCodes.REFUSED_STREAM
            ? new ConnectionShutdownException("stream refused by " + connection.peerOnStream(streamId)
                + ": REFUSED_STREAM, the request was not processed")
            : new StreamResetException(errorCode, ErrorCodes.name(errorCode), connection.peerOnStream(streamId)));
        connection.removeStream(stream);
      }
    } finally {
      connection.lock.unlock();
    }
    if (idle) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "RST_STREAM on idle stream " + streamId);
    }
    connection.closeIfDrained();
  }

  @Override
  public void settings(Settings settings) throws IOException {
    boolean capacityChanged = false;
    connection.lock.lock();
    try {
      if (settings.isSet(Settings.INITIAL_WINDOW_SIZE)) {
        // RFC 9113 §6.9.2: the change applies to the send window of every open stream.
        int newSize = (int) settings.get(Settings.INITIAL_WINDOW_SIZE);
        long delta = connection.flowControl.peerInitialWindowSizeChanged(newSize);
        for (Http2Stream stream : connection.streams.all()) {
          stream.sendWindow += delta;
          if (stream.sendWindow > FrameReader.MAX_WINDOW_SIZE) {
            throw new ConnectionErrorException(FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE "
                + newSize + " overflows the send window of stream " + stream.id);
          }
          stream.signalAll();
        }
      }
      if (settings.isSet(Settings.MAX_CONCURRENT_STREAMS)) {
        capacityChanged = connection.peerMaxConcurrentStreams(settings.get(Settings.MAX_CONCURRENT_STREAMS));
      }
      connection.extendedConnect.settingsReceived(settings);
      // Queued before the threads these settings woke can queue HEADERS. The frame size and HPACK
      // table size apply as the acknowledgement is written, which never waits for a writer.
      connection.queueSettingsAck(settings);
    } finally {
      connection.lock.unlock();
    }
    connection.writer.lock().releaseOrLeaveToHolder();
    if (capacityChanged) {
      connection.listener().capacityChanged(connection);
    }
  }

  @Override
  public void settingsAck() {
    connection.lock.lock();
    try {
      connection.markSettingsAcknowledged();
    } finally {
      connection.lock.unlock();
    }
  }

  @Override
  public void ping(boolean ack, long payload) throws IOException {
    if (!ack) {
      connection.sendPingAck(payload);
      return;
    }
    connection.lock.lock();
    try {
      connection.pings.pongReceived(payload);
    } finally {
      connection.lock.unlock();
    }
  }

  @Override
  public void goAway(int lastStreamId, long errorCode, ByteString debugData) {
    List<Http2Stream> unprocessed;
    connection.lock.lock();
    try {
      unprocessed = connection.goAwayReceived(lastStreamId, errorCode);
      String debug = debugData.size() == 0 ? "" : ": " + debugData.utf8();
      for (Http2Stream stream : unprocessed) {
        stream.fail(new ConnectionShutdownException("request to " + connection.peerOnStream(stream.id)
            + " was not processed: GOAWAY with last stream " + lastStreamId + ", "
            + ErrorCodes.describe(errorCode) + debug));
      }
    } finally {
      connection.lock.unlock();
    }
    connection.listener().capacityChanged(connection);
    connection.closeIfDrained();
  }

  @Override
  public void windowUpdate(int streamId, long increment) throws IOException {
    connection.lock.lock();
    try {
      if (streamId == 0) {
        connection.flowControl.windowUpdate(increment);
        for (Http2Stream stream : connection.streams.all()) {
          stream.signalAll();
        }
        return;
      }
      if (connection.streams.isIdle(streamId)) {
        throw new ConnectionErrorException(PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + streamId);
      }
      Http2Stream stream = connection.streams.get(streamId);
      if (stream == null) {
        return;
      }
      stream.sendWindow += increment;
      if (stream.sendWindow > FrameReader.MAX_WINDOW_SIZE) {
        throw new StreamErrorException(streamId, FLOW_CONTROL_ERROR,
            "WINDOW_UPDATE overflows the send window of stream " + streamId);
      }
      stream.signalAll();
    } finally {
      connection.lock.unlock();
    }
  }

  /**
   * Resets stream {@code streamId} after the peer broke a stream-level rule, failing its exchange
   * with a {@link ProtocolException} and taking no new streams on this connection.
   */
  private void streamError(int streamId, long errorCode, String detail) {
    malformedResponse(streamId, errorCode, new ProtocolException("exchange with "
        + connection.peerOnStream(streamId) + " failed with " + ErrorCodes.describe(errorCode) + ": " + detail));
  }

  /** Resets stream {@code streamId} with {@code errorCode} and takes no new streams here. */
  private void malformedResponse(int streamId, long errorCode, ProtocolException cause) {
    // Retire the connection first, so that it is never handed out once the caller has seen the error.
    connection.streamProtocolError(streamId);
    resetStream(streamId, errorCode, cause);
  }

  private static ProtocolException malformed(String peer, String detail) {
    return new ProtocolException("malformed HTTP/2 response from " + peer + ": " + detail);
  }

  /**
   * Returns true if the peer already ended stream {@code streamId} (open as {@code stream}, or
   * null): DATA or HEADERS after END_STREAM are bytes beyond the end of a response, a connection
   * error (RFC 9113 §5.1). A stream we reset ourselves may still get frames the peer sent before
   * it knew; those are not counted here. Lock held.
   */
  private boolean afterEndStream(Http2Stream stream, int streamId) {
    return stream != null ? stream.endStreamReceived() : connection.streams.endedByPeer(streamId);
  }

  /** Resets stream {@code streamId} after a stream error, failing its exchange with {@code cause}. */
  private void resetStream(int streamId, long errorCode, IOException cause) {
    Http2Stream stream;
    connection.lock.lock();
    try {
      stream = connection.streams.get(streamId);
    } finally {
      connection.lock.unlock();
    }
    // Without a stream there is nothing to reset: it is closed already, or the error was ours to ignore.
    if (stream != null) {
      stream.reset(errorCode, cause);
    }
  }

  /** Builds the peer's name for a message about one stream, only when a message needs it. */
  private final class PeerOnStream implements Supplier<String> {
    int streamId;

    @Override
    public String get() {
      return connection.peerOnStream(streamId);
    }
  }
}
