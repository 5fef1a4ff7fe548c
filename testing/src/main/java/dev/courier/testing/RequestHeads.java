package dev.courier.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads HTTP/1.x request heads from a raw stream for hand-written peers: byte by byte, so that
 * nothing after the head (a body, the next request, tunnelled bytes) is consumed.
 */
public final class RequestHeads {
  private RequestHeads() {}

  /**
   * Reads a request head up to and including the blank line that ends it, as ISO-8859-1 text.
   *
   * @throws IOException if the stream ends first; the message shows what came
   */
  public static String read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    if (!readInto(in, head)) {
      throw new IOException("request head ended early: " + head.toString(StandardCharsets.ISO_8859_1));
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Does as {@link #read}, but returns null if the stream ends first, as when a client closes an
   * idle connection.
   */
  public static String readOrNull(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    return readInto(in, head) ? head.toString(StandardCharsets.ISO_8859_1) : null;
  }

  /** Copies bytes into {@code head} up to CRLF CRLF; returns false if the stream ends first. */
  private static boolean readInto(InputStream in, ByteArrayOutputStream head) throws IOException {
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b == -1) {
        return false;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return true;
  }
}
