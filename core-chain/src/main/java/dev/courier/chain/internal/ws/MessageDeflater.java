package dev.courier.chain.internal.ws;

import java.util.zip.Deflater;
import okio.Buffer;
import okio.ByteString;

/**
 * Compresses the messages Courier sends under permessage-deflate (RFC 7692 §7.2.1): each message
 * is deflated and flushed to a byte boundary, and the {@code 00 00 ff ff} the flush ends with is
 * removed. The compression context carries over from message to message unless the server asked
 * for {@code client_no_context_takeover}. Used under the writer's lock only; {@link #close()}
 * frees the native memory.
 */
final class MessageDeflater {
  private static final ByteString EMPTY_BLOCK_TAIL = ByteString.decodeHex("0000ffff");

  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final boolean noContextTakeover;
  private final byte[] chunk = new byte[8192];

  MessageDeflater(boolean noContextTakeover) {
    this.noContextTakeover = noContextTakeover;
  }

  /** Returns {@code message} compressed, without the flush's trailing empty block. */
  byte[] deflate(byte[] message) {
    deflater.setInput(message);
    Buffer compressed = new Buffer();
    while (true) {
      int written = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      compressed.write(chunk, 0, written);
      // A sync flush is complete once it leaves room in the output (Deflater#deflate).
      if (written < chunk.length) {
        break;
      }
    }
    if (noContextTakeover) {
      deflater.reset();
    }
    byte[] result = compressed.readByteArray();
    int length = result.length;
    if (length >= 4 && ByteString.of(result, length - 4, 4).equals(EMPTY_BLOCK_TAIL)) {
      return java.util.Arrays.copyOf(result, length - 4);
    }
    return result;
  }

  void close() {
    deflater.end();
  }
}
