package dev.courier.http2.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import okio.Buffer;

/**
 * Decodes header blocks (RFC 7541), one connection's dynamic table. Only the connection's reader
 * thread uses it; the fields it returns are valid until the next decode. Names and values are
 * decoded byte for byte (ISO-8859-1); validating them is {@link ResponseHeaders}'s work.
 */
final class HpackReader {
  /** The dynamic table size we allow the peer: we never announce another (RFC 7541 §4.2, RFC 9113 §6.5.2). */
  static final int MAX_TABLE_SIZE = 4096;
  /** Scratch buffers larger than this are dropped after use rather than kept for the connection. */
  private static final int RETAINED_SCRATCH_BYTES = 64 * 1024;

  private final FieldCollector fields = new FieldCollector();
  private final HpackTable table = new HpackTable(MAX_TABLE_SIZE);
  private final long maxHeaderListSize;
  private byte[] block = new byte[1024];
  /** Holds a Huffman string's decoded bytes. */
  private byte[] decoded = new byte[1024];
  private int position;
  private int limit;

  HpackReader(long maxHeaderListSize) {
    this.maxHeaderListSize = maxHeaderListSize;
  }

  /**
   * Decodes the complete header block in {@code source}, consuming it.
   *
   * @return the decoded fields, marked {@link Fields#exceedsLimit()} if they add up to more than
   *     the header list limit (the dynamic table is still updated, so the connection stays usable)
   * @throws ConnectionErrorException with COMPRESSION_ERROR if the block is not valid HPACK
   */
  Fields decode(int streamId, Buffer source) throws ConnectionErrorException {
    int byteCount = (int) source.size();
    if (block.length < byteCount) {
      block = new byte[Math.max(byteCount, block.length * 2)];
    }
    for (int read = 0; read < byteCount; ) {
      read += source.read(block, read, byteCount - read);
    }
    position = 0;
    limit = byteCount;
    fields.reset();
    try {
      decodeFields();
      return fields;
    } finally {
      if (block.length > RETAINED_SCRATCH_BYTES) {
        block = new byte[1024];
      }
      if (decoded.length > RETAINED_SCRATCH_BYTES) {
        decoded = new byte[1024];
      }
    }
  }

  private void decodeFields() throws ConnectionErrorException {
    long listSize = 0;
    boolean sawField = false;
    while (position < limit) {
      int first = block[position] & 0xff;
      String name;
      String value;
      if ((first & 0x80) != 0) { // Indexed field (§6.1).
        int index = readInt(7);
        if (index == 0) {
          throw error("index 0");
        }
        name = name(index);
        value = value(index);
      } else if ((first & 0x40) != 0) { // Literal with incremental indexing (§6.2.1).
        int index = readInt(6);
        name = index == 0 ? readString() : name(index);
        value = readString();
        table.add(name, value);
      } else if ((first & 0x20) != 0) { // Dynamic table size update (§6.3).
        if (sawField) {
          throw error("a dynamic table size update after a field");
        }
        int size = readInt(5);
        if (size > MAX_TABLE_SIZE) {
          throw error("dynamic table size " + size + " exceeds " + MAX_TABLE_SIZE);
        }
        table.maxSize(size);
        continue;
      } else { // Literal without indexing or never indexed (§6.2.2, §6.2.3).
        int index = readInt(4);
        name = index == 0 ? readString() : name(index);
        value = readString();
      }
      sawField = true;
      listSize += (long) name.length() + value.length() + Hpack.ENTRY_OVERHEAD;
      if (listSize > maxHeaderListSize) {
        fields.markExceedsLimit(); // Decoding goes on, to keep the dynamic table in step.
      } else {
        fields.add(name, value);
      }
    }
  }

  private String name(int index) throws ConnectionErrorException {
    if (index <= Hpack.STATIC_TABLE_LENGTH) {
      return Hpack.STATIC_TABLE[2 * (index - 1)];
    }
    int dynamic = index - Hpack.STATIC_TABLE_LENGTH;
    if (dynamic > table.count()) {
      throw error("index " + index + " is beyond the tables");
    }
    return table.name(dynamic);
  }

  private String value(int index) {
    return index <= Hpack.STATIC_TABLE_LENGTH
        ? Hpack.STATIC_TABLE[2 * index - 1]
        : table.value(index - Hpack.STATIC_TABLE_LENGTH);
  }

  /** Reads an integer with a {@code prefixBits}-bit prefix (RFC 7541 §5.1). */
  private int readInt(int prefixBits) throws ConnectionErrorException {
    int mask = (1 << prefixBits) - 1;
    int value = block[position++] & mask;
    if (value < mask) {
      return value;
    }
    for (int shift = 0; ; shift += 7) {
      if (position == limit) {
        throw error("truncated integer");
      }
      int b = block[position++] & 0xff;
      if (shift == 28 && (b & 0x78) != 0 || shift > 28) {
        throw error("integer overflow");
      }
      value += (b & 0x7f) << shift;
      if (value < 0) {
        throw error("integer overflow");
      }
      if ((b & 0x80) == 0) {
        return value;
      }
    }
  }

  /** Reads a string literal, Huffman-coded or not (RFC 7541 §5.2). */
  private String readString() throws ConnectionErrorException {
    if (position == limit) {
      throw error("truncated string");
    }
    boolean huffman = (block[position] & 0x80) != 0;
    int length = readInt(7);
    if (length > limit - position) {
      throw error("string of " + length + " bytes overruns the block");
    }
    int start = position;
    position += length;
    if (!huffman) {
      return new String(block, start, length, StandardCharsets.ISO_8859_1);
    }
    int capacity = length * 8 / 5 + 1;
    if (decoded.length < capacity) {
      decoded = new byte[Math.max(capacity, decoded.length * 2)];
    }
    int count = Hpack.huffmanDecode(block, start, length, decoded);
    if (count < 0) {
      throw error("invalid Huffman string");
    }
    return new String(decoded, 0, count, StandardCharsets.ISO_8859_1);
  }

  private static ConnectionErrorException error(String what) {
    return new ConnectionErrorException(ErrorCodes.COMPRESSION_ERROR, "HPACK decoding failed: " + what);
  }

  /** Names and values of one decoded header block, in the order received. */
  interface Fields {
    int size();

    String name(int index);

    String value(int index);

    /** Returns true if the block exceeded the header list limit; then no fields are kept. */
    boolean exceedsLimit();
  }

  /** Collects one block's fields as strings, reused from block to block. */
  private static final class FieldCollector implements Fields {
    private String[] namesAndValues = new String[32];
    private int count;
    private boolean exceedsLimit;

    void reset() {
      Arrays.fill(namesAndValues, 0, count * 2, null);
      count = 0;
      exceedsLimit = false;
    }

    void add(String name, String value) {
      if (exceedsLimit) {
        return;
      }
      if (count * 2 == namesAndValues.length) {
        namesAndValues = Arrays.copyOf(namesAndValues, namesAndValues.length * 2);
      }
      namesAndValues[count * 2] = name;
      namesAndValues[count * 2 + 1] = value;
      count++;
    }

    void markExceedsLimit() {
      Arrays.fill(namesAndValues, 0, count * 2, null);
      count = 0;
      exceedsLimit = true;
    }

    @Override
    public int size() {
      return count;
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
