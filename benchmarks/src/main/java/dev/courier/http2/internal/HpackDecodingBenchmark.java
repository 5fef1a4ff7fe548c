package dev.courier.http2.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ByteString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures HPACK decoding of a response header block through Courier's path ({@link HpackReader},
 * as the connection's reader uses it: from an okio buffer to the field strings), and, for
 * reference, Netty's decoder on the same block. The block is what nginx sends for a static file:
 * static-table indexes and Huffman-coded literals that are not indexed, so each decode starts
 * from the same state. It lives in Courier's internal package to reach {@link HpackReader}; it
 * runs from the class path only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HpackDecodingBenchmark {
  private static final String[] RESPONSE = {
      ":status", "200",
      "server", "nginx/1.22.1",
      "date", "Fri, 04 Dec 2026 23:59:59 GMT",
      "content-type", "application/octet-stream",
      "content-length", "1024",
      "last-modified", "Fri, 04 Dec 2026 23:00:00 GMT",
      "etag", "\"6750e0f0-400\"",
      "accept-ranges", "bytes",
  };

  private ByteString block;
  private final Buffer buffer = new Buffer();
  private final HpackReader reader = new HpackReader(1 << 20);
  private DefaultHttp2HeadersDecoder netty;
  private ByteBuf nettyBlock;

  /** Encodes {@link #RESPONSE} as nginx does. */
  @Setup
  public void setUp() {
    block = encodeLikeNginx(RESPONSE);
    netty = new DefaultHttp2HeadersDecoder(false, 1 << 20);
    nettyBlock = Unpooled.wrappedBuffer(block.toByteArray());
  }

  /** Decodes the block with Courier's HPACK decoder, into the strings the response is built from. */
  @Benchmark
  public HpackReader.Fields courier() throws ConnectionErrorException {
    buffer.write(block);
    return reader.decode(1, buffer);
  }

  /** Decodes the block with Netty's HPACK decoder, into its header map. */
  @Benchmark
  public Object netty() throws Exception {
    return netty.decodeHeaders(1, nettyBlock.duplicate());
  }

  /**
   * Returns {@code namesAndValues} as a header block: indexed when the static table has the pair,
   * else a literal without indexing, named by its static index when there is one, its strings
   * Huffman-coded (RFC 7541 §6.1, §6.2.2).
   */
  static ByteString encodeLikeNginx(String... namesAndValues) {
    Buffer out = new Buffer();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      int index = Hpack.staticIndex(namesAndValues[i], namesAndValues[i + 1]);
      if (index > 0) {
        out.writeByte(0x80 | index); // Every static index fits the 7-bit prefix.
        continue;
      }
      int nameIndex = -index;
      if (nameIndex > 0 && nameIndex < 15) {
        out.writeByte(nameIndex);
      } else if (nameIndex >= 15) {
        out.writeByte(0x0f).writeByte(nameIndex - 15);
      } else {
        out.writeByte(0);
        huffman(out, namesAndValues[i]);
      }
      huffman(out, namesAndValues[i + 1]);
    }
    return out.readByteString();
  }

  private static void huffman(Buffer out, String s) {
    byte[] encoded = new byte[Hpack.huffmanLength(s)];
    Hpack.huffmanEncode(s, encoded, 0);
    if (encoded.length >= 127) {
      throw new IllegalArgumentException("string too long for this encoder: " + s);
    }
    out.writeByte(0x80 | encoded.length).write(encoded);
  }
}
