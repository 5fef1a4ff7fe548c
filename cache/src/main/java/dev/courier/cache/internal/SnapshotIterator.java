package dev.courier.cache.internal;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Iterates snapshots of a fixed list of keys, skipping entries removed or found unreadable since
 * the list was taken, and ending early if the store closes. Reading through it does not change LRU
 * order. Not thread-safe: one iterating thread at a time.
 */
final class SnapshotIterator implements Iterator<StoreSnapshot> {
  private final DiskStore store;
  private final List<String> keys;
  private int next;
  private StoreSnapshot nextSnapshot;

  SnapshotIterator(DiskStore store, List<String> keys) {
    this.store = store;
    this.keys = keys;
  }

  @Override
  public boolean hasNext() {
    while (nextSnapshot == null && next < keys.size()) {
      try {
        nextSnapshot = store.get(keys.get(next++), false);
      } catch (IOException | IllegalStateException e) {
        // A closed store or an unreadable entry ends or skips iteration.
        if (store.isClosed()) return false;
      }
    }
    return nextSnapshot != null;
  }

  @Override
  public StoreSnapshot next() {
    if (!hasNext()) throw new NoSuchElementException();
    StoreSnapshot result = nextSnapshot;
    nextSnapshot = null;
    return result;
  }
}
