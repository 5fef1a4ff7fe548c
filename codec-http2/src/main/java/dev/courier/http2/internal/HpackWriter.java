package dev.courier.http2.internal;

import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import okio.Buffer;

/**
 * Encodes request headers and trailers (RFC 7541), one connection's dynamic table. Callers hold
 * the connection's writer lock, so blocks are encoded in the order they are sent. Every field but
 * credentials goes into the dynamic table; strings are Huffman-coded when that is shorter.
 */
final class HpackWriter {
  /** The largest dynamic table we keep, whatever the peer allows (its default, RFC 7541 §4.2). */
  private static final int MAX_TABLE_SIZE = 4096;

  private final HpackTable table = new HpackTable(MAX_TABLE_SIZE);
  private final FieldList fields = new FieldList();
  private final Buffer block = new Buffer();
  private byte[] scratch = new byte[256];
  /** The smallest table size set since the last block, or -1 if it did not change (RFC 7541 §4.2). */
  private long smallestPendingSize = -1;
  /** The last URL's authority; requests on one connection nearly always share it. */
  private HttpUrl lastUrl;
  private String lastAuthority;

  /**
   * Encodes {@code request}'s head as pseudo-headers and fields (RFC 9113 §8.3.1).
   *
   * @return the header block, valid until the next call
   */
  Buffer encode(int streamId, Request request) {
    HttpUrl url = request.url();
    if (lastUrl == null || !url.host().equals(lastUrl.host()) || url.port() != lastUrl.port()
        || !url.scheme().equals(lastUrl.scheme())) {
      lastUrl = url;
      lastAuthority = RequestHeaders.authority(url);
    }
    RequestHeaders.toFields(request, lastAuthority, fields);
    return encodeFields();
  }

  /**
   * Encodes {@code trailers} as a trailer block: lowercase names, no pseudo-headers, and the
   * connection-specific fields HTTP/2 forbids left out, as for request headers. The caller has
   * refused fields that may not be trailers at all.
   *
   * @return the header block, valid until the next call
   */
  Buffer encodeTrailers(int streamId, Headers trailers) {
    for (int i = 0, size = trailers.size(); i < size; i++) {
      String name = trailers.name(i).toLowerCase(Locale.ROOT);
      if (!RequestHeaders.isConnectionSpecific(name)) {
        fields.add(name, trailers.value(i));
      }
    }
    return encodeFields();
  }

  private Buffer encodeFields() {
    block.clear();
    if (smallestPendingSize != -1) {
      if (smallestPendingSize < table.maxSize()) {
        writeInt(0x20, 5, (int) smallestPendingSize);
      }
      writeInt(0x20, 5, (int) table.maxSize());
      smallestPendingSize = -1;
    }
    for (int i = 0, size = fields.size(); i < size; i++) {
      writeField(fields.name(i), fields.value(i));
    }
    fields.clear();
    return block;
  }

  private void writeField(String name, String value) {
    int staticIndex = Hpack.staticIndex(name, value);
    if (staticIndex > 0) {
      writeInt(0x80, 7, staticIndex); // Indexed (§6.1).
      return;
    }
    int nameIndex = -staticIndex;
    if (isSensitive(name, value)) {
      if (nameIndex == 0) {
        nameIndex = dynamicNameIndex(name);
      }
      writeLiteral(0x10, 4, nameIndex, name, value); // Never indexed (§6.2.3).
      return;
    }
    for (int i = 1, count = table.count(); i <= count; i++) {
      if (table.name(i).equals(name)) {
        if (table.value(i).equals(value)) {
          writeInt(0x80, 7, Hpack.STATIC_TABLE_LENGTH + i);
          return;
        }
        if (nameIndex == 0) {
          nameIndex = Hpack.STATIC_TABLE_LENGTH + i;
        }
      }
    }
    writeLiteral(0x40, 6, nameIndex, name, value); // With incremental indexing (§6.2.1).
    table.add(name, value);
  }

  private int dynamicNameIndex(String name) {
    for (int i = 1, count = table.count(); i <= count; i++) {
      if (table.name(i).equals(name)) {
        return Hpack.STATIC_TABLE_LENGTH + i;
      }
    }
    return 0;
  }

  /**
   * Returns true for fields kept out of the dynamic table: credentials, and short cookies, which
   * are easy to guess (RFC 7541 §7.1.3).
   */
  private static boolean isSensitive(String name, String value) {
    return name.equals("authorization") || name.equals("proxy-authorization")
        || (name.equals("cookie") && value.length() < 20);
  }

  private void writeLiteral(int pattern, int prefixBits, int nameIndex, String name, String value) {
    writeInt(pattern, prefixBits, nameIndex);
    if (nameIndex == 0) {
      writeString(name);
    }
    writeString(value);
  }

  /** Writes {@code value} with a {@code prefixBits}-bit prefix after the bits of {@code pattern} (§5.1). */
  private void writeInt(int pattern, int prefixBits, int value) {
    int mask = (1 << prefixBits) - 1;
    if (value < mask) {
      block.writeByte(pattern | value);
      return;
    }
    block.writeByte(pattern | mask);
    value -= mask;
    while (value >= 0x80) {
      block.writeByte((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    block.writeByte(value);
  }

  /** Writes a string literal, Huffman-coded if that is shorter (§5.2); chars are sent as their low byte. */
  private void writeString(String s) {
    int length = s.length();
    int huffmanLength = Hpack.huffmanLength(s);
    int encodedLength = Math.min(length, huffmanLength);
    if (scratch.length < encodedLength) {
      scratch = new byte[Math.max(encodedLength, scratch.length * 2)];
    }
    if (huffmanLength < length) {
      writeInt(0x80, 7, huffmanLength);
      Hpack.huffmanEncode(s, scratch, 0);
    } else {
      writeInt(0, 7, length);
      for (int i = 0; i < length; i++) {
        scratch[i] = (byte) s.charAt(i);
      }
    }
    block.write(scratch, 0, encodedLength);
  }

  /** Applies the peer's SETTINGS_HEADER_TABLE_SIZE, capped at 4096 bytes; the next block signals it. */
  void peerHeaderTableSize(long peerTableSize) {
    long size = Math.min(peerTableSize, MAX_TABLE_SIZE);
    if (size == table.maxSize()) {
      return;
    }
    table.maxSize(size);
    smallestPendingSize = smallestPendingSize == -1 ? size : Math.min(smallestPendingSize, size);
  }

  /** One block's fields before encoding, names already lowercase; reused from block to block. */
  static final class FieldList {
    private String[] namesAndValues = new String[32];
    private int count;

    /** Adds a field after those added so far. */
    void add(String name, String value) {
      if (count * 2 == namesAndValues.length) {
        namesAndValues = Arrays.copyOf(namesAndValues, namesAndValues.length * 2);
      }
      namesAndValues[count * 2] = name;
      namesAndValues[count * 2 + 1] = value;
      count++;
    }

    int size() {
      return count;
    }

    String name(int index) {
      return namesAndValues[index * 2];
    }

    String value(int index) {
      return namesAndValues[index * 2 + 1];
    }

    void clear() {
      Arrays.fill(namesAndValues, 0, count * 2, null);
      count = 0;
    }
  }

  /** Turns a {@link Request} into HTTP/2 request fields. */
  static final class RequestHeaders {
    private RequestHeaders() {}

    static void toFields(Request request, String urlAuthority, FieldList out) {
      HttpUrl url = request.url();
      String method = request.method();
      boolean connect = method.equals("CONNECT");
      out.add(":method", method);
      if (!connect) {
        out.add(":scheme", url.scheme());
      }
      String host = request.header("Host");
      out.add(":authority", host != null ? host : urlAuthority);
      if (!connect) {
        String query = url.encodedQuery();
        out.add(":path", query == null ? url.encodedPath() : url.encodedPath() + '?' + query);
      }
      Headers headers = request.headers();
      List<String> nominated = connectionOptions(headers);
      for (int i = 0, size = headers.size(); i < size; i++) {
        String name = headers.name(i).toLowerCase(Locale.ROOT);
        String value = headers.value(i);
        if (isConnectionSpecific(name) || (nominated != null && nominated.contains(name))) {
          continue; // The codec owns connection-specific fields; the chain leaves them to it.
        }
        if (name.equals("te") && !value.equalsIgnoreCase("trailers")) {
          continue; // RFC 9113 §8.2.2: TE may only carry "trailers".
        }
        out.add(name, value);
      }
    }

    /**
     * Returns the lowercase options listed in {@code Connection} fields, which name further
     * fields that belong to one HTTP/1.1 connection (RFC 9110 §7.6.1) and so must not be sent
     * over HTTP/2 either; null, without allocating, when there is no {@code Connection} field.
     */
    static List<String> connectionOptions(Headers headers) {
      List<String> result = null;
      for (int i = 0, size = headers.size(); i < size; i++) {
        if (!headers.name(i).equalsIgnoreCase("Connection")) {
          continue;
        }
        if (result == null) {
          result = new ArrayList<>(2);
        }
        for (String option : headers.value(i).split(",")) {
          String trimmed = option.trim();
          if (!trimmed.isEmpty()) {
            result.add(trimmed.toLowerCase(Locale.ROOT));
          }
        }
      }
      return result;
    }

    /** Returns {@code host[:port]} as the Host header or :authority carries it. */
    static String authority(HttpUrl url) {
      String host = url.host();
      if (host.indexOf(':') != -1) {
        host = "[" + host + "]";
      }
      return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ':' + url.port();
    }

    /** Returns true for fields HTTP/2 forbids (RFC 9113 §8.2.2), and Host, which :authority replaces. */
    static boolean isConnectionSpecific(String lowercaseName) {
      switch (lowercaseName) {
        case "connection":
        case "keep-alive":
        case "proxy-connection":
        case "transfer-encoding":
        case "upgrade":
        case "host":
          return true;
        default:
          return false;
      }
    }
  }
}
