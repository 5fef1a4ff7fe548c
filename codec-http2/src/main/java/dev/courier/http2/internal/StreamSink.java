package dev.courier.http2.internal;

import dev.courier.Headers;
import dev.courier.RequestBody;
import dev.courier.internal.TrailerFields;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.Sink;
import okio.Timeout;

/**
 * Writes a request body as DATA frames, blocking while the peer's stream or connection window is
 * closed. Closing sends END_STREAM but does not flush: on the last DATA frame, or, when the body
 * has trailers, on a HEADERS frame that carries them (RFC 9113 §8.1). Used by one thread at a time; a duplex body
 * may write from its own thread while the response is read.
 */
final class StreamSink implements Sink {
  /**
   * The most body bytes gathered into one DATA frame, when the peer's SETTINGS_MAX_FRAME_SIZE
   * allows frames that large. Each frame's 9-byte header starts a segment of its own in the
   * connection's buffer, which the socket writes on its own (over TLS, a record of its own), so
   * larger frames mean fewer writes; 64 KiB is as much as okio's segment pool keeps per thread, so
   * the segments of one frame come back to the pool for the next.
   */
  static final long MAX_FRAME_PAYLOAD = 64 * 1024;

  private final Http2Stream stream;
  private final long contentLength;
  private final RequestBody body;
  private final Timeout timeout = new Timeout();
  private final Buffer sendBuffer = new Buffer();
  private long bytesReceived;
  private boolean closed;
  /** True once the peer answered in full and reset with NO_ERROR: the rest is dropped. */
  private boolean discarding;

  StreamSink(Http2Stream stream, long contentLength, RequestBody body, long writeTimeoutNanos) {
    this.stream = stream;
    this.contentLength = contentLength;
    this.body = body;
    timeout.timeout(writeTimeoutNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void write(Buffer source, long byteCount) throws IOException {
    if (closed) {
      throw new IllegalStateException("request body of stream " + stream.id + " is closed");
    }
    bytesReceived += byteCount;
    if (contentLength != -1 && bytesReceived > contentLength) {
      stream.reset(ErrorCodes.CANCEL, null);
      throw new ProtocolException("request body to " + stream.connection.peerOnStream(stream.id) + " exceeds its Content-Length of "
          + contentLength + " bytes: received " + bytesReceived);
    }
    sendBuffer.write(source, byteCount);
    while (sendBuffer.size() >= frameSize()) {
      emitFrame(false);
    }
  }

  @Override
  public void flush() throws IOException {
    if (closed) {
      throw new IllegalStateException("request body of stream " + stream.id + " is closed");
    }
    while (sendBuffer.size() > 0) {
      emitFrame(false);
    }
    stream.connection.flush();
  }

  /**
   * Sends what is buffered and the body's trailers, if any, ending the stream.
   *
   * @throws ProtocolException if fewer bytes than the Content-Length were written, or if the
   *     trailers hold a field that may not be sent in trailers; the stream is then reset so the
   *     peer does not take a truncated body for a whole one
   * @throws IOException if the body fails to supply its trailers; the stream is then reset too
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (contentLength != -1 && bytesReceived != contentLength) {
      stream.reset(ErrorCodes.CANCEL, null);
      throw new ProtocolException("request body to " + stream.connection.peerOnStream(stream.id) + " ended after "
          + bytesReceived + " of its " + contentLength + " bytes (Content-Length)");
    }
    Headers trailers;
    try {
      trailers = body == null ? Headers.EMPTY : body.trailers();
      TrailerFields.checkSendable(trailers, stream.connection.peerOnStream(stream.id));
    } catch (IOException | RuntimeException e) {
      stream.reset(ErrorCodes.CANCEL, null);
      throw e;
    }
    if (trailers.size() != 0) {
      closeWithTrailers(trailers);
      return;
    }
    if (sendBuffer.size() == 0) {
      // An empty DATA frame carries END_STREAM; it needs no window.
      discarding |= !stream.checkSendable();
      if (!discarding) {
        writeData(true, 0);
      }
    }
    while (sendBuffer.size() > 0) {
      emitFrame(true);
    }
    if (!discarding) {
      stream.endStreamWritten();
    }
  }

  @Override
  public Timeout timeout() {
    return timeout;
  }

  /** Sends what is buffered without END_STREAM, then the trailers, which end the stream. */
  private void closeWithTrailers(Headers trailers) throws IOException {
    while (sendBuffer.size() > 0) {
      emitFrame(false);
    }
    // HEADERS is not flow-controlled, but the stream may have been reset meanwhile.
    discarding |= !stream.checkSendable();
    if (discarding) {
      return;
    }
    try {
      stream.connection.writer.trailers(stream.id, trailers);
    } catch (IOException e) {
      throw stream.connection.writeFailed(e);
    }
    stream.endStreamWritten();
  }

  private void emitFrame(boolean lastFrame) throws IOException {
    if (discarding) {
      sendBuffer.clear();
      return;
    }
    long claimed = stream.claimSendWindow(Math.min(sendBuffer.size(), frameSize()), timeout.timeoutNanos());
    if (claimed == -1) {
      discarding = true;
      sendBuffer.clear();
      return;
    }
    writeData(lastFrame && claimed == sendBuffer.size(), (int) claimed);
  }

  /** Returns the payload of a full DATA frame: the peer's limit, at most {@link #MAX_FRAME_PAYLOAD}. */
  private long frameSize() {
    return Math.min(stream.connection.writer.maxDataLength(), MAX_FRAME_PAYLOAD);
  }

  private void writeData(boolean endStream, int byteCount) throws IOException {
    try {
      stream.connection.writer.data(stream.id, endStream, sendBuffer, byteCount);
    } catch (IOException e) {
      throw stream.connection.writeFailed(e);
    }
  }
}
