package dev.courier.http2.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Arrays;
import okio.Buffer;

/**
 * Decodes header blocks with Netty's HPACK decoder, one connection's dynamic table. Only the
 * connection's reader thread uses it; the fields it returns are valid until the next decode.
 */
final class HpackReader {
  /** Scratch buffers larger than this are dropped after use rather than kept for the connection. */
  private static final int RETAINED_SCRATCH_BYTES = 64 * 1024;

  private final FieldCollector fields = new FieldCollector();
  private final Decoder decoder;
  private ByteBuf scratch = new HpackScratch(1024);

  HpackReader(long maxHeaderListSize) {
    this.decoder = new Decoder(maxHeaderListSize, fields);
  }

  /**
   * Decodes the complete header block in {@code block}, consuming it.
   *
   * @return the decoded fields, marked {@link Fields#exceedsLimit()} if they add up to more than
   *     the header list limit (the dynamic table is still updated, so the connection stays usable)
   * @throws ConnectionErrorException with COMPRESSION_ERROR if the block is not valid HPACK
   */
  Fields decode(int streamId, Buffer block) throws ConnectionErrorException {
    int byteCount = (int) block.size();
    scratch.clear();
    scratch.ensureWritable(byteCount);
    byte[] array = scratch.array();
    int offset = scratch.arrayOffset();
    for (int read = 0; read < byteCount; ) {
      read += block.read(array, offset + read, byteCount - read);
    }
    scratch.writerIndex(byteCount);
    fields.reset();
    try {
      decoder.decodeHeaders(streamId, scratch);
      return fields;
    } catch (Http2Exception e) {
      if (Http2Exception.isStreamError(e)) {
        // The decoder validates nothing else, so a stream error means the list was too large.
        fields.exceedsLimit = true;
        return fields;
      }
      throw new ConnectionErrorException(e.error().code(),
          "HPACK decoding failed: " + e.getMessage());
    } finally {
      if (scratch.capacity() > RETAINED_SCRATCH_BYTES) {
        scratch = new HpackScratch(1024);
      }
    }
  }

  /** Names and values of one decoded header block, in the order received. */
  interface Fields {
    int size();

    String name(int index);

    String value(int index);

    /** Returns true if the block exceeded the header list limit; then no fields are kept. */
    boolean exceedsLimit();
  }

  /** Makes the decoder deliver fields into our reusable collector instead of a new map. */
  private static final class Decoder extends DefaultHttp2HeadersDecoder {
    private final FieldCollector fields;

    Decoder(long maxHeaderListSize, FieldCollector fields) {
      // Validation is ours (ResponseHeaders) so that messages are clear and rules match RFC 9113.
      super(false, maxHeaderListSize);
      this.fields = fields;
    }

    @Override
    protected Http2Headers newHeaders() {
      return fields;
    }
  }

  /**
   * Collects decoded fields as strings: {@link #add} is what the decoder calls for each field.
   *
   * <p>Fields from the HPACK tables arrive as the same {@link AsciiString} each time, which
   * converts to a String once. Literal fields (a server's date, content-length, etag, and often
   * their names) arrive as new ones. A server sends much the same head in the same order in
   * every response, so the strings of the last block are kept by position: a name or value equal
   * to the one at its position last time becomes that String instead of a new one.
   */
  private static final class FieldCollector extends HpackFields implements Fields {
    /** Names and values remembered by position: those of the first 16 fields. */
    private static final int REMEMBERED = 32;
    /** Longer strings are not remembered, so the memory stays small on every pooled connection. */
    private static final int MAX_REMEMBERED_LENGTH = 48;

    private final String[] recent = new String[REMEMBERED];
    private String[] namesAndValues = new String[32];
    private int count;
    boolean exceedsLimit;

    void reset() {
      Arrays.fill(namesAndValues, 0, count * 2, null);
      count = 0;
      exceedsLimit = false;
    }

    @Override
    public Http2Headers add(CharSequence name, CharSequence value) {
      if (count * 2 == namesAndValues.length) {
        namesAndValues = Arrays.copyOf(namesAndValues, namesAndValues.length * 2);
      }
      namesAndValues[count * 2] = string(name, count * 2);
      namesAndValues[count * 2 + 1] = string(value, count * 2 + 1);
      count++;
      return this;
    }

    /**
     * Returns {@code chars} as a String: the one at {@code position} in the last block if it is
     * equal, else a new one, remembered there.
     */
    private String string(CharSequence chars, int position) {
      if (position >= REMEMBERED || chars.length() > MAX_REMEMBERED_LENGTH
          || !(chars instanceof AsciiString)) {
        return chars.toString();
      }
      String last = recent[position];
      if (last != null && ((AsciiString) chars).contentEquals(last)) {
        return last;
      }
      String string = chars.toString();
      recent[position] = string;
      return string;
    }

    @Override
    public int size() {
      return count;
    }

    @Override
    public boolean isEmpty() {
      return count == 0;
    }

    @Override
    public String name(int index) {
      return namesAndValues[index * 2];
    }

    @Override
    public String value(int index) {
      return namesAndValues[index * 2 + 1];
    }

    @Override
    public boolean exceedsLimit() {
      return exceedsLimit;
    }
  }
}
