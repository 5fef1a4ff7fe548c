package dev.courier.http2.internal;

/**
 * One side's HPACK dynamic table (RFC 7541 §2.3.2, §4): entries newest first, evicted oldest first
 * to stay within the table's maximum size. Not thread-safe; its connection's reader or writer owns it.
 */
final class HpackTable {
  private String[] names = new String[16];
  private String[] values = new String[16];
  /** The slot of the oldest entry; entries run from there, wrapping, to the newest. */
  private int oldest;
  private int count;
  private long size;
  private long maxSize;

  HpackTable(long maxSize) {
    this.maxSize = maxSize;
  }

  int count() {
    return count;
  }

  long maxSize() {
    return maxSize;
  }

  /** Returns the name of entry {@code index}, 1 being the newest (HPACK index minus the static length). */
  String name(int index) {
    return names[slot(index)];
  }

  /** Returns the value of entry {@code index}, 1 being the newest. */
  String value(int index) {
    return values[slot(index)];
  }

  private int slot(int index) {
    return (oldest + count - index) & (names.length - 1);
  }

  /** Adds an entry as the newest, evicting the oldest as needed; an entry larger than the table empties it. */
  void add(String name, String value) {
    long entrySize = (long) name.length() + value.length() + Hpack.ENTRY_OVERHEAD;
    if (entrySize > maxSize) {
      clear();
      return;
    }
    evictTo(maxSize - entrySize);
    if (count == names.length) {
      grow();
    }
    int slot = (oldest + count) & (names.length - 1);
    names[slot] = name;
    values[slot] = value;
    count++;
    size += entrySize;
  }

  /** Sets the maximum size, evicting the oldest entries until the table fits. */
  void maxSize(long maxSize) {
    this.maxSize = maxSize;
    evictTo(maxSize);
  }

  private void evictTo(long target) {
    while (size > target && count > 0) {
      size -= (long) names[oldest].length() + values[oldest].length() + Hpack.ENTRY_OVERHEAD;
      names[oldest] = null;
      values[oldest] = null;
      oldest = (oldest + 1) & (names.length - 1);
      count--;
    }
  }

  private void clear() {
    while (count > 0) {
      evictTo(0);
    }
  }

  private void grow() {
    String[] newNames = new String[names.length * 2];
    String[] newValues = new String[names.length * 2];
    for (int i = 0; i < count; i++) {
      newNames[i] = names[(oldest + i) & (names.length - 1)];
      newValues[i] = values[(oldest + i) & (names.length - 1)];
    }
    names = newNames;
    values = newValues;
    oldest = 0;
  }
}
