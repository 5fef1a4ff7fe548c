package dev.courier.http2.internal;

import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.Request;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Encodes request headers and trailers with Netty's HPACK encoder, one connection's dynamic table. Callers
 * hold the connection's writer lock, so blocks are encoded in the order they are sent.
 */
final class HpackWriter {
  /** The largest dynamic table we keep, whatever the peer allows (its default, RFC 7541 §4.2). */
  private static final int MAX_TABLE_SIZE = 4096;
  private static final int RETAINED_SCRATCH_BYTES = 64 * 1024;
  private static final AsciiString AUTHORIZATION = AsciiString.cached("authorization");
  private static final AsciiString PROXY_AUTHORIZATION = AsciiString.cached("proxy-authorization");
  private static final AsciiString COOKIE = AsciiString.cached("cookie");
  private static final AsciiString PROTOCOL = AsciiString.cached(":protocol");

  /** Keeps credentials out of the dynamic table, and short cookies, which are easy to guess (RFC 7541 §7.1.3). */
  private static final Http2HeadersEncoder.SensitivityDetector SENSITIVE = new Sensitive();

  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(SENSITIVE, true);
  private final FieldList fields = new FieldList();
  private ByteBuf scratch = new HpackScratch(1024);
  private long tableSize = MAX_TABLE_SIZE;
  /** The last URL's authority; requests on one connection nearly always share it. */
  private HttpUrl lastUrl;
  private String lastAuthority;

  /**
   * Encodes {@code request}'s head as pseudo-headers and fields (RFC 9113 §8.3.1).
   *
   * @return the header block, valid until the next call
   */
  ByteBuf encode(int streamId, Request request) throws ConnectionErrorException {
    return encode(streamId, request, null);
  }

  /**
   * Encodes {@code request}'s head; with a {@code connectProtocol} as an extended CONNECT for that
   * protocol (RFC 8441 §4): {@code :method CONNECT}, {@code :protocol}, and the {@code :scheme},
   * {@code :path} and {@code :authority} of the request's URL, whatever its method.
   *
   * @return the header block, valid until the next call
   */
  ByteBuf encode(int streamId, Request request, String connectProtocol)
      throws ConnectionErrorException {
    HttpUrl url = request.url();
    if (lastUrl == null || !url.host().equals(lastUrl.host()) || url.port() != lastUrl.port()
        || !url.scheme().equals(lastUrl.scheme())) {
      lastUrl = url;
      lastAuthority = RequestHeaders.authority(url);
    }
    RequestHeaders.toFields(request, connectProtocol, lastAuthority, fields);
    return encodeFields(streamId);
  }

  /**
   * Encodes {@code trailers} as a trailer block: lowercase names, no pseudo-headers, and the
   * connection-specific fields HTTP/2 forbids left out, as for request headers. The caller has
   * refused fields that may not be trailers at all.
   *
   * @return the header block, valid until the next call
   */
  ByteBuf encodeTrailers(int streamId, Headers trailers) throws ConnectionErrorException {
    for (int i = 0, size = trailers.size(); i < size; i++) {
      String name = trailers.name(i).toLowerCase(Locale.ROOT);
      if (!RequestHeaders.isConnectionSpecific(name)) {
        fields.add(name, trailers.value(i));
      }
    }
    return encodeFields(streamId);
  }

  private ByteBuf encodeFields(int streamId) throws ConnectionErrorException {
    if (scratch.capacity() > RETAINED_SCRATCH_BYTES) {
      scratch = new HpackScratch(1024);
    }
    scratch.clear();
    try {
      encoder.encodeHeaders(streamId, fields, scratch);
    } catch (Http2Exception e) {
      throw new ConnectionErrorException(e.error().code(), "HPACK encoding failed: " + e.getMessage());
    } finally {
      fields.clear();
    }
    return scratch;
  }

  /** Applies the peer's SETTINGS_HEADER_TABLE_SIZE, capped at 4096 bytes. */
  void peerHeaderTableSize(long peerTableSize) throws ConnectionErrorException {
    long size = Math.min(peerTableSize, MAX_TABLE_SIZE);
    if (size == tableSize) {
      return;
    }
    try {
      encoder.maxHeaderTableSize(size);
      tableSize = size;
    } catch (Http2Exception e) {
      throw new ConnectionErrorException(e.error().code(), e.getMessage());
    }
  }

  /** Turns a {@link Request} into HTTP/2 request fields. */
  static final class RequestHeaders {
    private static final AsciiString METHOD = Http2Headers.PseudoHeaderName.METHOD.value();
    private static final AsciiString SCHEME = Http2Headers.PseudoHeaderName.SCHEME.value();
    private static final AsciiString AUTHORITY = Http2Headers.PseudoHeaderName.AUTHORITY.value();
    private static final AsciiString PATH = Http2Headers.PseudoHeaderName.PATH.value();
    /** Field names as requests commonly spell them, to their lowercase forms. */
    private static final Map<String, String> LOWERCASE_NAMES = lowercaseNames("Accept",
        "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control",
        "Connection", "Content-Encoding", "Content-Length", "Content-Type", "Cookie", "Host",
        "If-Match", "If-Modified-Since", "If-None-Match", "If-Range", "If-Unmodified-Since",
        "Keep-Alive", "Origin", "Pragma", "Proxy-Authorization", "Proxy-Connection", "Range",
        "Referer", "TE", "Transfer-Encoding", "Upgrade", "User-Agent");

    private RequestHeaders() {}

    private static Map<String, String> lowercaseNames(String... names) {
      Map<String, String> result = new HashMap<>();
      for (String name : names) {
        result.put(name, name.toLowerCase(Locale.ROOT));
      }
      return result;
    }

    /**
     * Adds {@code request}'s fields to {@code out}; with a {@code connectProtocol}, as an extended
     * CONNECT (RFC 8441 §4), which unlike a plain CONNECT carries {@code :scheme} and
     * {@code :path}.
     */
    static void toFields(Request request, String connectProtocol, String urlAuthority,
        FieldList out) {
      HttpUrl url = request.url();
      String method = connectProtocol != null ? "CONNECT" : request.method();
      // A plain CONNECT names only the authority (RFC 9113 §8.5).
      boolean connect = method.equals("CONNECT") && connectProtocol == null;
      out.add(METHOD, method);
      if (connectProtocol != null) {
        out.add(PROTOCOL, connectProtocol);
      }
      if (!connect) {
        out.add(SCHEME, url.scheme());
      }
      String host = request.header("Host");
      out.add(AUTHORITY, host != null ? host : urlAuthority);
      if (!connect) {
        String query = url.encodedQuery();
        out.add(PATH, query == null ? url.encodedPath() : url.encodedPath() + '?' + query);
      }
      Headers headers = request.headers();
      List<String> nominated = connectionOptions(headers);
      for (int i = 0, size = headers.size(); i < size; i++) {
        String name = lowercase(headers.name(i));
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

    /**
     * Returns {@code name} in lowercase, as HTTP/2 sends field names; the common names that
     * requests spell capitalized come from a table rather than a new string each time.
     */
    static String lowercase(String name) {
      String lower = LOWERCASE_NAMES.get(name);
      return lower != null ? lower : name.toLowerCase(Locale.ROOT);
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

  /**
   * The fields of one header block, in the order added, for Netty's encoder, which only iterates
   * them. It keeps its arrays and its one entry from block to block instead of allocating per
   * field.
   */
  static final class FieldList extends HpackFields {
    private CharSequence[] namesAndValues = new CharSequence[32];
    private int count;
    private final Cursor cursor = new Cursor();

    @Override
    public Http2Headers add(CharSequence name, CharSequence value) {
      if (count * 2 == namesAndValues.length) {
        namesAndValues = Arrays.copyOf(namesAndValues, namesAndValues.length * 2);
      }
      namesAndValues[count * 2] = name;
      namesAndValues[count * 2 + 1] = value;
      count++;
      return this;
    }

    @Override
    public int size() {
      return count;
    }

    @Override
    public boolean isEmpty() {
      return count == 0;
    }

    /** Returns the value of the first field named {@code name}, or null. */
    @Override
    public CharSequence get(CharSequence name) {
      for (int i = 0; i < count; i++) {
        if (AsciiString.contentEquals(namesAndValues[i * 2], name)) {
          return namesAndValues[i * 2 + 1];
        }
      }
      return null;
    }

    @Override
    public Http2Headers clear() {
      Arrays.fill(namesAndValues, 0, count * 2, null);
      count = 0;
      return this;
    }

    /** Returns the fields in order; one iterator and entry, reused, so one iteration at a time. */
    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iterator() {
      cursor.next = 0;
      return cursor;
    }

    private final class Cursor implements Iterator<Map.Entry<CharSequence, CharSequence>>,
        Map.Entry<CharSequence, CharSequence> {
      int next;
      private int current;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public Map.Entry<CharSequence, CharSequence> next() {
        if (next >= count) {
          throw new NoSuchElementException();
        }
        current = next++;
        return this;
      }

      @Override
      public CharSequence getKey() {
        return namesAndValues[current * 2];
      }

      @Override
      public CharSequence getValue() {
        return namesAndValues[current * 2 + 1];
      }

      @Override
      public CharSequence setValue(CharSequence value) {
        throw new UnsupportedOperationException();
      }
    }
  }

  /**
   * Finds credentials and short cookies; a named class rather than a lambda, whose class a cold JVM
   * would spin when the first connection's coder is made.
   */
  private static final class Sensitive implements Http2HeadersEncoder.SensitivityDetector {
    @Override
    public boolean isSensitive(CharSequence name, CharSequence value) {
      return AUTHORIZATION.contentEquals(name)
          || PROXY_AUTHORIZATION.contentEquals(name)
          || (COOKIE.contentEquals(name) && value.length() < 20);
    }
  }
}
