package dev.courier.http2.internal;

import dev.courier.spi.UpgradedStreams;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;

/**
 * Carries another protocol's bytes in the DATA frames of one stream opened with an extended
 * CONNECT (RFC 8441): reads the stream's DATA, writes DATA on it. The connection and its other
 * streams are untouched by anything done here.
 */
final class StreamTunnel implements UpgradedStreams {
  private final Http2Stream stream;
  private final BufferedSource source;
  private final BufferedSink sink;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean canceled;

  StreamTunnel(Http2Stream stream) {
    this.stream = stream;
    Http2Stream.StreamSource streamSource = stream.source();
    // The protocol above keeps its own read timeout (pings, close timeouts).
    streamSource.timeout().timeout(0L, TimeUnit.MILLISECONDS);
    this.source = Okio.buffer(streamSource);
    this.sink = Okio.buffer(stream.newSink(-1L, null));
  }

  @Override
  public BufferedSource source() {
    return source;
  }

  @Override
  public BufferedSink sink() {
    return sink;
  }

  /** Resets the stream with CANCEL, failing blocked readers and writers at once. */
  @Override
  public void cancel() {
    canceled = true;
    stream.reset(ErrorCodes.CANCEL, null);
  }

  /**
   * Ends our side with END_STREAM and sends it, then closes the source, which resets the stream
   * with CANCEL if the server has not ended its side. After {@link #cancel()} only the source is
   * closed: a writer may still be failing out of the sink, which is not to be touched then.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (!canceled) {
      try {
        sink.close();
        stream.connection.flush();
      } catch (IOException | IllegalStateException ignored) {
        // The stream was reset or the connection failed; closing the source below still ends it.
      }
    }
    try {
      source.close();
    } catch (IOException ignored) {
      // The stream source's close does not throw; the buffer's signature does.
    }
  }
}
