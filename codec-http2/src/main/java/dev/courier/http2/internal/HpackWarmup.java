package dev.courier.http2.internal;

import dev.courier.Request;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicBoolean;
import okio.Buffer;

/**
 * Loads and initialises what the first HTTP/2 connection's HPACK coding needs from Netty (platform
 * probing, logger lookup, the buffer allocator, the static table and Huffman codes: some hundreds
 * of classes and 100 ms or more in a cold JVM) on a daemon thread, once per JVM, so that the work
 * overlaps DNS, TCP and TLS of the connection being opened instead of following them. The thread
 * ends when done; if it cannot start or fails, the first connection does the work itself.
 */
public final class HpackWarmup implements Runnable {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /**
   * A request header block with Huffman-coded strings, from RFC 7541 Appendix C.4.1:
   * {@code :method GET, :scheme http, :path /, :authority www.example.com}.
   */
  private static final byte[] HUFFMAN_BLOCK = {
      (byte) 0x82, (byte) 0x86, (byte) 0x84, 0x41, (byte) 0x8c, (byte) 0xf1, (byte) 0xe3,
      (byte) 0xc2, (byte) 0xe5, (byte) 0xf2, 0x3a, 0x6b, (byte) 0xa0, (byte) 0xab, (byte) 0x90,
      (byte) 0xf4, (byte) 0xff,
  };

  private HpackWarmup() {}

  /** Starts the warm-up thread unless one was started before in this JVM; returns at once. */
  public static void start() {
    if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
      return;
    }
    try {
      Thread thread = new Thread(new HpackWarmup(), "Courier h2 warm-up");
      thread.setDaemon(true);
      thread.start();
    } catch (RuntimeException | Error e) {
      // Out of threads or memory, or not permitted: the first connection warms up on its own.
    }
  }

  /** Warms up; ignores any failure. */
  @Override
  public void run() {
    try {
      warm();
    } catch (Exception | LinkageError e) {
      // Whatever failed here fails again, and is reported, where a connection uses it.
    }
  }

  /**
   * Encodes a request and decodes a Huffman-coded block as a connection does, and returns the
   * number of fields decoded from each, for tests.
   */
  static int[] warm() throws ConnectionErrorException {
    HpackWriter writer = new HpackWriter();
    ByteBuf encoded = writer.encode(1, new Request.Builder().url("https://localhost/").build());
    byte[] requestBlock = new byte[encoded.readableBytes()];
    encoded.getBytes(encoded.readerIndex(), requestBlock);

    HpackReader reader = new HpackReader(Http2Config.DEFAULT.maxHeaderListSize());
    int requestFields = reader.decode(1, new Buffer().write(requestBlock)).size();
    int huffmanFields = reader.decode(3, new Buffer().write(HUFFMAN_BLOCK)).size();
    return new int[] {requestFields, huffmanFields};
  }
}
