package dev.courier.cache.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;
import okio.Buffer;
import okio.Source;
import okio.Timeout;

/**
 * Reads one published version of a store entry: its metadata, already read and checked, and its
 * body, streamed from a file opened when the snapshot was taken. A later commit or removal of the
 * same key does not change what the snapshot reads.
 *
 * <p>The body is checked against the length and CRC-32 recorded when it was written; a mismatch
 * surfaces as an {@link IOException} when its end is read, and the entry is removed. Close every
 * snapshot. Not thread-safe: one reader at a time.
 */
public final class StoreSnapshot implements Closeable {
  private final DiskStore store;
  private final StoredEntry entry;
  private final byte[] metadata;
  private final FileChannel body;
  private boolean bodyOpened;

  StoreSnapshot(DiskStore store, StoredEntry entry, byte[] metadata, FileChannel body) {
    this.store = store;
    this.entry = entry;
    this.metadata = metadata;
    this.body = body;
  }

  /** Returns the entry's key. */
  public String key() {
    return entry.key();
  }

  /** Returns the version of the entry this snapshot reads. */
  public StoredEntry entry() {
    return entry;
  }

  /** Returns the metadata bytes; their length and checksum have been verified. */
  public byte[] metadata() {
    return metadata.clone();
  }

  /** Returns the length of the body in bytes. */
  public long bodyLength() {
    return entry.bodyLength();
  }

  /**
   * Returns a source over the body; closing it closes this snapshot.
   *
   * @throws IllegalStateException if the body source was already returned
   */
  public Source bodySource() {
    if (bodyOpened) {
      throw new IllegalStateException("body source already opened for entry " + entry.key());
    }
    bodyOpened = true;
    return new VerifyingSource();
  }

  /**
   * Returns an editor for a new version of this entry, or null if another edit is in progress or
   * the entry changed since this snapshot was taken.
   */
  public StoreEditor edit() throws IOException {
    return store.edit(entry.key(), entry);
  }

  /** Closes the body file. */
  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException ignored) {
      // Read-only file; nothing to lose.
    }
  }

  /** Reads the body and checks its length and checksum at the end. */
  private final class VerifyingSource implements Source {
    private final CRC32 crc = new CRC32();
    private final byte[] chunk = new byte[8192];
    private long bytesRead;
    private boolean verified;

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      if (byteCount < 0) throw new IllegalArgumentException("byteCount < 0: " + byteCount);
      if (byteCount == 0) return 0;
      int n = body.read(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, byteCount)));
      if (n == -1) {
        verify();
        return -1;
      }
      crc.update(chunk, 0, n);
      bytesRead += n;
      if (bytesRead > entry.bodyLength()) {
        throw damaged();
      }
      sink.write(chunk, 0, n);
      return n;
    }

    private void verify() throws IOException {
      if (verified) return;
      if (bytesRead != entry.bodyLength() || crc.getValue() != entry.bodyCrc()) {
        throw damaged();
      }
      verified = true;
    }

    private IOException damaged() {
      store.removeDamaged(entry);
      return new IOException("cache entry " + entry.key() + " in " + store.directory()
          + " is damaged: its body does not match the recorded length and checksum");
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {
      StoreSnapshot.this.close();
    }
  }
}
