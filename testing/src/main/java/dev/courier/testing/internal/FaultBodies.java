package dev.courier.testing.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Holds the body bytes a fault-injection server sends before breaking a response. */
final class FaultBodies {
  /** The body length a broken response promises; half of it is sent. */
  static final int PROMISED_LENGTH = 64;

  /** The first half of the promised body: 32 bytes of {@code 'x'}. */
  static final byte[] HALF_BODY = filled(PROMISED_LENGTH / 2);

  private FaultBodies() {}

  /** Returns one complete 32-byte chunk, then the size line and first 16 bytes of a second. */
  static byte[] chunkedPrefix() {
    String chunk = "20\r\n" + "x".repeat(32) + "\r\n" + "20\r\n" + "x".repeat(16);
    return chunk.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] filled(int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) 'x');
    return bytes;
  }
}
