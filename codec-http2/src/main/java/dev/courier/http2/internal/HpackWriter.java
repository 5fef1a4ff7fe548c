package dev.courier.http2.internal;

import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

  /** Keeps credentials out of the dynamic table, and short cookies, which are easy to guess (RFC 7541 §7.1.3). */
  private static final Http2HeadersEncoder.SensitivityDetector SENSITIVE = (name, value) ->
      AUTHORIZATION.contentEquals(name)
          || PROXY_AUTHORIZATION.contentEquals(name)
          || (COOKIE.contentEquals(name) && value.length() < 20);

  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(SENSITIVE, true);
  private final DefaultHttp2Headers fields = new DefaultHttp2Headers(false);
  private ByteBuf scratch = Unpooled.buffer(1024);
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
    HttpUrl url = request.url();
    if (lastUrl == null || !url.host().equals(lastUrl.host()) || url.port() != lastUrl.port()
        || !url.scheme().equals(lastUrl.scheme())) {
      lastUrl = url;
      lastAuthority = RequestHeaders.authority(url);
    }
    RequestHeaders.toFields(request, lastAuthority, fields);
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
      scratch = Unpooled.buffer(1024);
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
    private RequestHeaders() {}

    static void toFields(Request request, String urlAuthority, DefaultHttp2Headers out) {
      HttpUrl url = request.url();
      String method = request.method();
      boolean connect = method.equals("CONNECT");
      out.method(method);
      if (!connect) {
        out.scheme(url.scheme());
      }
      String host = request.header("Host");
      out.authority(host != null ? host : urlAuthority);
      if (!connect) {
        String query = url.encodedQuery();
        out.path(query == null ? url.encodedPath() : url.encodedPath() + '?' + query);
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
