package dev.courier.cache.internal;

import dev.courier.CacheControl;
import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.ResponseBody;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.ReentrantLock;
import okio.BufferedSink;
import okio.Okio;

/**
 * Stores HTTP responses in a {@link DiskStore}, one entry per URL, keyed by the SHA-256 of the
 * URL: looks them up for a request (checking URL and {@code Vary}), writes network responses as
 * their bodies are read, updates headers after a 304, and invalidates URLs. Opens the disk store
 * on first use. Keeps the cache's counters. Thread-safe.
 */
public final class ResponseStore implements Closeable, Flushable {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Path directory;
  private final long maxSizeBytes;
  private final ReentrantLock openLock = new ReentrantLock();
  private volatile DiskStore store;
  private volatile boolean closed;

  private final CacheStatistics statistics = new CacheStatistics();
  private final CacheWritingSource.Listener writeListener = new CacheWritingSource.Listener() {
    @Override
    public void committed() {
      statistics.recordWriteSuccess();
    }

    @Override
    public void aborted() {
      statistics.recordWriteAbort();
    }
  };

  /** Creates a store over {@code directory}; nothing is read until first use. */
  public ResponseStore(Path directory, long maxSizeBytes) {
    if (maxSizeBytes <= 0) {
      throw new IllegalArgumentException("maxSizeBytes <= 0: " + maxSizeBytes);
    }
    this.directory = directory;
    this.maxSizeBytes = maxSizeBytes;
  }

  /** Returns the SHA-256 of {@code url}'s string form, in lowercase hex. */
  public static String key(HttpUrl url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(url.toString().getBytes(StandardCharsets.UTF_8));
      char[] out = new char[digest.length * 2];
      for (int i = 0; i < digest.length; i++) {
        out[i * 2] = HEX[(digest[i] >> 4) & 0xf];
        out[i * 2 + 1] = HEX[digest[i] & 0xf];
      }
      return new String(out);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  /** Returns the counters of this store's cache. */
  public CacheStatistics statistics() {
    return statistics;
  }

  /** Returns the directory. */
  public Path directory() {
    return directory;
  }

  /** Returns the size limit in bytes. */
  public long maxSizeBytes() {
    return maxSizeBytes;
  }

  /**
   * Returns the disk store, opening it on first use.
   *
   * @throws IllegalStateException if this store was closed
   * @throws IOException if the directory cannot be opened
   */
  public DiskStore diskStore() throws IOException {
    DiskStore result = store;
    if (result != null) return result;
    openLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("cache in " + directory + " is closed");
      }
      if (store == null) {
        store = DiskStore.open(directory, maxSizeBytes);
      }
      return store;
    } finally {
      openLock.unlock();
    }
  }

  /** Returns true once {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Returns the stored response for {@code request}'s URL if its {@code Vary} fields match, or
   * null. The caller must close what is returned.
   */
  public StoredResponse get(Request request) throws IOException {
    StoreSnapshot snapshot = diskStore().get(key(request.url()));
    if (snapshot == null) return null;
    EntryMetadata metadata;
    try {
      metadata = EntryMetadata.fromJson(snapshot.metadata());
    } catch (IOException e) {
      snapshot.close();
      diskStore().removeDamaged(snapshot.entry());
      return null;
    }
    if (!metadata.url().equals(request.url().toString())
        || !CacheHeaders.varyMatches(metadata.headers(), metadata.varyHeaders(), request)) {
      snapshot.close();
      return null;
    }
    String contentType = metadata.headers().get("Content-Type");
    ResponseBody body = ResponseBody.create(Okio.buffer(snapshot.bodySource()),
        contentType == null ? null : MediaType.parse(contentType), snapshot.bodyLength());
    return new StoredResponse(snapshot, metadata, metadata.toResponse(request, body));
  }

  /**
   * Starts storing {@code response}, received for {@code request}, and returns it with a body
   * that copies itself into the store as the caller reads it; returns null if it cannot be
   * stored now (another write of the URL is running).
   */
  public Response put(Request request, Response response, long sentRequestAtMillis,
      long receivedResponseAtMillis) throws IOException {
    StoreEditor editor = diskStore().edit(key(request.url()));
    if (editor == null) return null;
    try {
      CacheControl control = CacheControl.parse(response.headers());
      Headers stored = CacheHeaders.storable(response.headers(), control.noCacheFields());
      byte[] metadata = new EntryMetadata(request.url().toString(), request.method(),
          CacheHeaders.varyHeaders(request, response.headers()), response.protocol(),
          response.code(), response.message(), stored, response.handshake(), sentRequestAtMillis,
          receivedResponseAtMillis).toJson();
      ResponseBody networkBody = response.body();
      long contentLength = networkBody.contentLength();
      if (contentLength == 0) {
        editor.commit(metadata);
        statistics.recordWriteSuccess();
        return response;
      }
      BufferedSink cacheBody = editor.newBodySink();
      CacheWritingSource source = new CacheWritingSource(networkBody.source(), editor, cacheBody,
          metadata, contentLength, writeListener);
      ResponseBody teeBody = ResponseBody.create(Okio.buffer(source), networkBody.contentType(),
          contentLength);
      return response.newBuilder().body(teeBody).build();
    } catch (IOException | RuntimeException e) {
      editor.abort();
      statistics.recordWriteAbort();
      throw e;
    }
  }

  /**
   * Replaces the headers of the stored response {@code stored} came from with those of {@code
   * updated}, keeping its body; does nothing if the entry changed or is being written.
   */
  public void update(StoredResponse stored, Response updated) throws IOException {
    StoreEditor editor = stored.snapshot().edit();
    if (editor == null) return;
    try {
      EntryMetadata old = stored.metadata();
      byte[] metadata = new EntryMetadata(old.url(), old.method(), old.varyHeaders(),
          old.protocol(), old.code(), old.message(),
          CacheHeaders.storable(updated.headers(), CacheControl.parse(updated.headers()).noCacheFields()),
          old.handshake(), updated.sentRequestAtMillis(), updated.receivedResponseAtMillis())
          .toJson();
      editor.commit(metadata);
      statistics.recordWriteSuccess();
    } catch (IOException | RuntimeException e) {
      editor.abort();
      statistics.recordWriteAbort();
      throw e;
    }
  }

  /** Removes the stored response for {@code url}; returns true if there was one. */
  public boolean remove(HttpUrl url) throws IOException {
    return diskStore().remove(key(url));
  }

  /**
   * Removes the stored responses that an unsafe request made obsolete (RFC 9111 §4.4): its URL
   * and, on the same origin, the URLs in {@code Location} and {@code Content-Location}. Applies
   * only when {@code response} is a success or redirect.
   */
  public void invalidate(Request request, Response response) throws IOException {
    if (response.code() < 200 || response.code() >= 400) return;
    HttpUrl url = request.url();
    remove(url);
    for (String name : new String[] {"Location", "Content-Location"}) {
      String value = response.header(name);
      if (value == null) continue;
      HttpUrl target = url.resolve(value);
      if (target != null && target.scheme().equals(url.scheme())
          && target.host().equals(url.host()) && target.port() == url.port()) {
        remove(target);
      }
    }
  }

  /**
   * Returns the URLs of stored responses, least recently used first; {@code remove()} removes the
   * current one's entry. Entries added during iteration may be missed.
   */
  public Iterator<String> urls() throws IOException {
    DiskStore disk = diskStore();
    Iterator<StoreSnapshot> snapshots = disk.snapshots();
    return new Iterator<>() {
      private String nextUrl;
      private String currentKey;
      private String nextKey;

      @Override
      public boolean hasNext() {
        while (nextUrl == null && snapshots.hasNext()) {
          try (StoreSnapshot snapshot = snapshots.next()) {
            nextUrl = EntryMetadata.fromJson(snapshot.metadata()).url();
            nextKey = snapshot.key();
          } catch (IOException e) {
            // Unreadable metadata: skip the entry, as a lookup would.
          }
        }
        return nextUrl != null;
      }

      @Override
      public String next() {
        if (!hasNext()) throw new NoSuchElementException();
        String result = nextUrl;
        currentKey = nextKey;
        nextUrl = null;
        return result;
      }

      @Override
      public void remove() {
        if (currentKey == null) throw new IllegalStateException("remove() before next()");
        try {
          disk.remove(currentKey);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        currentKey = null;
      }
    };
  }

  /** Writes pending journal lines to disk; does nothing if the store was never opened. */
  @Override
  public void flush() throws IOException {
    DiskStore current = store;
    if (current != null) current.flush();
  }

  /** Closes the disk store; later lookups fail with {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() throws IOException {
    openLock.lock();
    try {
      closed = true;
      if (store != null) store.close();
    } finally {
      openLock.unlock();
    }
  }

  /** Closes the store and deletes its files. */
  public void delete() throws IOException {
    openLock.lock();
    try {
      closed = true;
      if (store == null) {
        // Never opened: open it only to delete what an earlier process left.
        store = DiskStore.open(directory, maxSizeBytes);
      }
      store.delete();
    } finally {
      openLock.unlock();
    }
  }
}
