package dev.courier.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;
import okio.Sink;
import okio.Timeout;

/**
 * Writes a new version of one store entry into temporary files; {@link #commit} publishes it
 * atomically, {@link #abort} leaves nothing behind. Until it is committed no reader sees any of
 * it. A store allows one editor per key at a time.
 *
 * <p>If no body is written, the new version keeps the body of the version it was opened from
 * (an update of headers only), or has an empty body if there was none. Not thread-safe: one
 * writer at a time.
 */
public final class StoreEditor {
  private final DiskStore store;
  private final String key;
  private final long generation;
  private final StoredEntry base;
  private final CRC32 bodyCrc = new CRC32();
  private FileChannel bodyChannel;
  private BufferedSink bodySink;
  private long bodyLength;
  private boolean done;
  /** Set under the store's lock when the entry is removed or the store closed during the edit. */
  boolean detached;

  StoreEditor(DiskStore store, String key, long generation, StoredEntry base) {
    this.store = store;
    this.key = key;
    this.generation = generation;
    this.base = base;
  }

  /** Returns the key being edited. */
  public String key() {
    return key;
  }

  /**
   * Returns the sink that writes the new body. Writing more than the store's maximum size fails
   * with an {@link IOException}; the edit should then be aborted.
   *
   * @throws IllegalStateException if called twice or after the edit completed
   */
  public BufferedSink newBodySink() throws IOException {
    if (done) throw new IllegalStateException("edit of " + key + " already completed");
    if (bodySink != null) throw new IllegalStateException("body sink already opened for " + key);
    bodyChannel = FileChannel.open(bodyTempFile(), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    bodySink = Okio.buffer(new BodyFileSink());
    return bodySink;
  }

  /**
   * Publishes {@code metadata} and the body written so far as the entry's new version: the files
   * are flushed to disk, renamed to their final names, and recorded in the journal.
   *
   * @throws IOException if writing failed or the entry was removed, or the store closed, during
   *     the edit; the edit is then aborted
   * @throws IllegalStateException if the edit already completed
   */
  public void commit(byte[] metadata) throws IOException {
    if (done) throw new IllegalStateException("edit of " + key + " already completed");
    boolean hasBody = bodySink != null || base == null;
    try {
      if (bodySink == null && base == null) {
        bodyChannel = FileChannel.open(bodyTempFile(), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
      }
      if (bodySink != null) {
        bodySink.flush();
      }
      if (bodyChannel != null) {
        bodyChannel.force(false);
        bodyChannel.close();
      }
      CRC32 metadataCrc = new CRC32();
      metadataCrc.update(metadata, 0, metadata.length);
      try (FileChannel channel = FileChannel.open(metadataTempFile(), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        Journal.writeFully(channel, ByteBuffer.wrap(metadata));
        channel.force(false);
      }
      done = true;
      store.completeEdit(this, metadata.length, metadataCrc.getValue(), hasBody, bodyLength,
          bodyCrc.getValue());
    } catch (IOException | RuntimeException e) {
      done = true;
      discard();
      throw e;
    }
  }

  /** Discards the edit and its temporary files. Does nothing if the edit already completed. */
  public void abort() {
    if (done) return;
    done = true;
    discard();
  }

  private void discard() {
    if (bodyChannel != null) {
      try {
        bodyChannel.close();
      } catch (IOException ignored) {
        // The file is deleted next.
      }
    }
    store.editAborted(this);
  }

  long generation() {
    return generation;
  }

  StoredEntry base() {
    return base;
  }

  Path metadataTempFile() {
    return store.directory().resolve(StoredEntry.metadataFileName(key, generation) + ".tmp");
  }

  Path bodyTempFile() {
    return store.directory().resolve(StoredEntry.bodyFileName(key, generation) + ".tmp");
  }

  void deleteTempFiles() {
    try {
      Files.deleteIfExists(metadataTempFile());
      Files.deleteIfExists(bodyTempFile());
    } catch (IOException ignored) {
      // Left-over temporary files are deleted when the store is next opened.
    }
  }

  /** Writes body bytes to the temporary file, counting them and updating the checksum. */
  private final class BodyFileSink implements Sink {
    private final byte[] chunk = new byte[8192];

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      if (done) throw new IOException("edit of " + key + " already completed");
      if (bodyLength + byteCount > store.maxSizeBytes()) {
        throw new IOException("cache entry " + key + " exceeds the store's max size of "
            + store.maxSizeBytes() + " bytes");
      }
      long remaining = byteCount;
      while (remaining > 0) {
        int n = source.read(chunk, 0, (int) Math.min(chunk.length, remaining));
        bodyCrc.update(chunk, 0, n);
        Journal.writeFully(bodyChannel, ByteBuffer.wrap(chunk, 0, n));
        remaining -= n;
        bodyLength += n;
      }
    }

    @Override
    public void flush() {}

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {
      // The channel is forced and closed by commit, or closed by abort.
    }
  }
}
