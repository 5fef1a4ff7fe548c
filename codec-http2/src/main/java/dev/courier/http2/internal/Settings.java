package dev.courier.http2.internal;

import io.netty.handler.codec.http2.Http2CodecUtil;

/**
 * Holds the parameters of one SETTINGS frame (RFC 9113 §6.5.2): which identifiers were present and
 * their values. Identifiers we do not know are dropped, as the RFC requires. Not thread-safe.
 */
final class Settings {
  static final int HEADER_TABLE_SIZE = Http2CodecUtil.SETTINGS_HEADER_TABLE_SIZE;
  static final int ENABLE_PUSH = Http2CodecUtil.SETTINGS_ENABLE_PUSH;
  static final int MAX_CONCURRENT_STREAMS = Http2CodecUtil.SETTINGS_MAX_CONCURRENT_STREAMS;
  static final int INITIAL_WINDOW_SIZE = Http2CodecUtil.SETTINGS_INITIAL_WINDOW_SIZE;
  static final int MAX_FRAME_SIZE = Http2CodecUtil.SETTINGS_MAX_FRAME_SIZE;
  static final int MAX_HEADER_LIST_SIZE = Http2CodecUtil.SETTINGS_MAX_HEADER_LIST_SIZE;
  /** RFC 8441 §3: 1 lets the client open tunnels with the extended CONNECT method. */
  static final int ENABLE_CONNECT_PROTOCOL = Http2CodecUtil.SETTINGS_ENABLE_CONNECT_PROTOCOL;
  private static final int COUNT = 10;

  private int present;
  private final long[] values = new long[COUNT];

  /** Records {@code value} for {@code id}; unknown identifiers are ignored. */
  Settings set(int id, long value) {
    if (id > 0 && id < COUNT) {
      present |= 1 << id;
      values[id] = value;
    }
    return this;
  }

  boolean isSet(int id) {
    return id > 0 && id < COUNT && (present & (1 << id)) != 0;
  }

  long get(int id) {
    return values[id];
  }

  /** Returns how many identifiers are present. */
  int size() {
    return Integer.bitCount(present);
  }

  /** Returns the identifier of the {@code index}th present setting, in identifier order. */
  int idAt(int index) {
    int seen = 0;
    for (int id = 1; id < COUNT; id++) {
      if (isSet(id) && seen++ == index) {
        return id;
      }
    }
    throw new IndexOutOfBoundsException("index " + index + " of " + size());
  }
}
