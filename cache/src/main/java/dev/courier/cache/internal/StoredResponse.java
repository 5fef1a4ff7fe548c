package dev.courier.cache.internal;

import dev.courier.Response;
import java.io.Closeable;

/**
 * Pairs a stored response with the snapshot it streams from. Closing it, or closing the
 * response's body, releases the snapshot.
 */
public final class StoredResponse implements Closeable {
  private final StoreSnapshot snapshot;
  private final EntryMetadata metadata;
  private final Response response;

  StoredResponse(StoreSnapshot snapshot, EntryMetadata metadata, Response response) {
    this.snapshot = snapshot;
    this.metadata = metadata;
    this.response = response;
  }

  /** Returns the stored response; its body reads the stored bytes. */
  public Response response() {
    return response;
  }

  /** Returns the stored metadata. */
  public EntryMetadata metadata() {
    return metadata;
  }

  StoreSnapshot snapshot() {
    return snapshot;
  }

  /** Releases the snapshot; the response's body can no longer be read. */
  @Override
  public void close() {
    snapshot.close();
  }
}
