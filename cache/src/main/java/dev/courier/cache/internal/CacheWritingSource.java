package dev.courier.cache.internal;

import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import okio.Source;
import okio.Timeout;

/**
 * Passes a network body through to the caller while copying it into a store edit. The edit is
 * committed once the whole body was read: when the source is exhausted, or as soon as {@code
 * expectedLength} bytes were read if the length is known. Closing early, a read failure or a
 * length mismatch aborts the edit, leaving nothing behind.
 *
 * <p>Failures of the cache never fail the caller's read: the copy is abandoned and the body keeps
 * streaming. Not thread-safe, like any body source.
 */
final class CacheWritingSource implements Source {
  /** Reports the fate of each edit, for the cache's statistics. */
  interface Listener {
    void committed();

    void aborted();
  }

  private final Source upstream;
  private final StoreEditor editor;
  private final BufferedSink cacheBody;
  private final byte[] metadata;
  private final long expectedLength;
  private final Listener listener;
  private long bytesRead;
  private boolean done;

  CacheWritingSource(Source upstream, StoreEditor editor, BufferedSink cacheBody, byte[] metadata,
      long expectedLength, Listener listener) {
    this.upstream = upstream;
    this.editor = editor;
    this.cacheBody = cacheBody;
    this.metadata = metadata;
    this.expectedLength = expectedLength;
    this.listener = listener;
  }

  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    long read;
    try {
      read = upstream.read(sink, byteCount);
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
    if (read == -1) {
      if (expectedLength == -1 || bytesRead == expectedLength) {
        commit();
      } else {
        abort(); // The body ended early; the network layer reports that to the caller.
      }
      return -1;
    }
    bytesRead += read;
    if (!done) {
      try {
        sink.copyTo(cacheBody.getBuffer(), sink.size() - read, read);
        cacheBody.emitCompleteSegments();
      } catch (IOException | RuntimeException e) {
        abort();
      }
    }
    if (expectedLength != -1 && bytesRead >= expectedLength) {
      if (bytesRead == expectedLength) {
        commit();
      } else {
        abort();
      }
    }
    return read;
  }

  private void commit() {
    if (done) return;
    done = true;
    try {
      editor.commit(metadata);
      listener.committed();
    } catch (IOException | RuntimeException e) {
      // commit() aborted the edit; the caller still has the body.
      listener.aborted();
    }
  }

  private void abort() {
    if (done) return;
    done = true;
    editor.abort();
    listener.aborted();
  }

  @Override
  public Timeout timeout() {
    return upstream.timeout();
  }

  @Override
  public void close() throws IOException {
    abort(); // Does nothing if the body was read completely and committed.
    upstream.close();
  }
}
