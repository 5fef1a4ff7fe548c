package dev.courier.http2.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
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
 * as the connection's reader uses it: from an okio buffer, through Netty's decoder, to the field
 * strings), and, for reference, Netty's decoder alone on the same block, into its own header map.
 * The block is encoded by Netty's encoder as nginx encodes a static file's response: static-table
 * indexes and Huffman-coded literals that are not indexed, so each decode starts from the same
 * state. It lives in Courier's internal package to reach {@link HpackReader}; it
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

  /** Decodes the block through Courier's {@link HpackReader}, into the strings the response is built from. */
  @Benchmark
  public HpackReader.Fields courier() throws ConnectionErrorException {
    buffer.write(block);
    return reader.decode(1, buffer);
  }

  /** Decodes the block with Netty's decoder alone, into its {@code AsciiString} header map. */
  @Benchmark
  public Object netty() throws Exception {
    return netty.decodeHeaders(1, nettyBlock.duplicate());
  }

  /**
   * Returns {@code namesAndValues} as a header block encoded by Netty's HPACK encoder as nginx
   * encodes responses: with the dynamic table off, so a field is indexed when the static table
   * has the pair, else a literal without indexing, named by its static index when there is one,
   * every string Huffman-coded when that is shorter (RFC 7541 §6.1, §6.2.2). Such a block decodes
   * alike every time, whatever the decoder saw before.
   */
  static ByteString encodeLikeNginx(String... namesAndValues) {
    // Huffman-code every string that gets shorter; Netty's default codes only those of 512 bytes or more.
    DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(
        Http2HeadersEncoder.NEVER_SENSITIVE, true, 16, 0);
    DefaultHttp2Headers headers = new DefaultHttp2Headers(false);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    ByteBuf out = Unpooled.buffer();
    try {
      encoder.maxHeaderTableSize(0);
      // The first block starts with the table size update; the second is the fields alone.
      encoder.encodeHeaders(1, headers, out);
      out.clear();
      encoder.encodeHeaders(3, headers, out);
    } catch (Http2Exception e) {
      throw new IllegalStateException(e);
    }
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return ByteString.of(bytes);
  }
}
