package dev.courier.http2.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps stream ids to values (a connection's streams) without boxing: open addressing with linear
 * probing over an array of ids beside an array of values. Id 0 (the connection itself, never a
 * stream's) marks an empty slot. Client ids are odd and increasing, so {@code id >>> 1} spreads
 * them over consecutive slots. The table doubles when half full and never shrinks. Not
 * thread-safe.
 */
final class StreamTable<V> {
  private static final int INITIAL_CAPACITY = 16;

  private int[] ids = new int[INITIAL_CAPACITY];
  private Object[] values = new Object[INITIAL_CAPACITY];
  private int size;

  int size() {
    return size;
  }

  /** Returns the value for {@code id}, or null. */
  @SuppressWarnings("unchecked")
  V get(int id) {
    if (id == 0) {
      return null;
    }
    int mask = ids.length - 1;
    for (int i = slot(id, mask); ids[i] != 0; i = (i + 1) & mask) {
      if (ids[i] == id) {
        return (V) values[i];
      }
    }
    return null;
  }

  /**
   * Puts {@code value} under {@code id}, replacing any value there.
   *
   * @throws IllegalArgumentException if {@code id} is 0
   */
  void put(int id, V value) {
    if (id == 0) {
      throw new IllegalArgumentException("stream id 0");
    }
    if ((size + 1) * 2 > ids.length) {
      grow();
    }
    int mask = ids.length - 1;
    int i = slot(id, mask);
    while (ids[i] != 0 && ids[i] != id) {
      i = (i + 1) & mask;
    }
    if (ids[i] == 0) {
      size++;
    }
    ids[i] = id;
    values[i] = value;
  }

  /** Removes and returns the value for {@code id}, or returns null if there is none. */
  @SuppressWarnings("unchecked")
  V remove(int id) {
    if (id == 0) {
      return null;
    }
    int mask = ids.length - 1;
    int i = slot(id, mask);
    while (ids[i] != id) {
      if (ids[i] == 0) {
        return null;
      }
      i = (i + 1) & mask;
    }
    V removed = (V) values[i];
    // Shift back the entries after the hole that would no longer be found past it.
    for (int j = (i + 1) & mask; ids[j] != 0; j = (j + 1) & mask) {
      int home = slot(ids[j], mask);
      boolean reachableWithoutHole = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!reachableWithoutHole) {
        ids[i] = ids[j];
        values[i] = values[j];
        i = j;
      }
    }
    ids[i] = 0;
    values[i] = null;
    size--;
    return removed;
  }

  /** Returns a copy of the values held, in no particular order. */
  @SuppressWarnings("unchecked")
  List<V> values() {
    List<V> result = new ArrayList<>(size);
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] != 0) {
        result.add((V) values[i]);
      }
    }
    return result;
  }

  void clear() {
    Arrays.fill(ids, 0);
    Arrays.fill(values, null);
    size = 0;
  }

  private void grow() {
    int[] oldIds = ids;
    Object[] oldValues = values;
    ids = new int[oldIds.length * 2];
    values = new Object[oldIds.length * 2];
    int mask = ids.length - 1;
    for (int k = 0; k < oldIds.length; k++) {
      if (oldIds[k] != 0) {
        int i = slot(oldIds[k], mask);
        while (ids[i] != 0) {
          i = (i + 1) & mask;
        }
        ids[i] = oldIds[k];
        values[i] = oldValues[k];
      }
    }
  }

  private static int slot(int id, int mask) {
    return (id >>> 1) & mask;
  }
}
