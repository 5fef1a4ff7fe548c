package dev.courier.http2.internal;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.util.AsciiString;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A growable heap buffer that Netty's HPACK encoder writes header blocks into and its decoder
 * reads them from, one per coder.
 *
 * <p>It writes the ISO-8859-1 string literals the encoder hands it itself, as Netty would (a char
 * above 0xFF becomes {@code '?'}), rather than through {@code ByteBufUtil}: the first use of
 * {@code ByteBufUtil} initialises Netty's default pooled allocator and its thread-local caches,
 * tens of milliseconds of CPU in a cold JVM that HPACK coding does not need. Only the
 * {@code Unpooled} allocator, which Netty's encoder and decoder load anyway, is used.
 */
final class HpackScratch extends UnpooledHeapByteBuf {
  HpackScratch(int initialCapacity) {
    super(UnpooledByteBufAllocator.DEFAULT, initialCapacity, Integer.MAX_VALUE);
  }

  @Override
  public int writeCharSequence(CharSequence sequence, Charset charset) {
    if (!charset.equals(StandardCharsets.ISO_8859_1) && !charset.equals(StandardCharsets.US_ASCII)) {
      return super.writeCharSequence(sequence, charset);
    }
    int length = sequence.length();
    ensureWritable(length);
    byte[] array = array();
    int offset = arrayOffset() + writerIndex();
    for (int i = 0; i < length; i++) {
      array[offset + i] = AsciiString.c2b(sequence.charAt(i));
    }
    writerIndex(writerIndex() + length);
    return length;
  }
}
