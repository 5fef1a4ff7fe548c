package dev.courier.testing;

import dev.courier.testing.internal.ReceivedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes one request as {@link TestServer} received it: request line, headers in received
 * order, body, trailers, and which connection and TLS session carried it.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class RecordedRequest {
  private final String method;
  private final String target;
  private final String version;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final Map<String, String> trailers;
  private final String authority;
  private final int connectionIndex;
  private final int sequenceNumber;
  private final int streamId;
  private final String tlsVersion;
  private final String sniHostName;

  RecordedRequest(ReceivedRequest received) {
    this.method = received.method();
    this.target = received.target();
    this.version = received.version();
    this.headers = List.copyOf(received.headers());
    this.body = received.body();
    Map<String, String> trailerMap = new LinkedHashMap<>();
    for (Map.Entry<String, String> trailer : received.trailers()) {
      trailerMap.merge(trailer.getKey(), trailer.getValue(), (first, second) -> first + ", " + second);
    }
    this.trailers = Collections.unmodifiableMap(trailerMap);
    this.authority = received.authority();
    this.connectionIndex = received.connection().index();
    this.sequenceNumber = received.sequenceNumber();
    this.streamId = received.streamId();
    this.tlsVersion = received.connection().tlsVersion();
    this.sniHostName = received.connection().sniHostName();
  }

  /** Returns the request method, for example {@code "GET"}. */
  public String method() {
    return method;
  }

  /**
   * Returns the request target as sent: {@code "/a?b=c"} in origin form, or an absolute URI or
   * authority when the client sent one. On HTTP/2 this is {@code :path}.
   */
  public String target() {
    return target;
  }

  /**
   * Returns the path part of the target, without query; for an absolute-form target the path
   * of that URI ({@code "/"} when empty); for any other form the target itself.
   */
  public String path() {
    if (target.startsWith("/")) {
      int end = target.indexOf('?');
      return end == -1 ? target : target.substring(0, end);
    }
    if (target.contains("://")) {
      try {
        String rawPath = URI.create(target).getRawPath();
        return rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
      } catch (IllegalArgumentException e) {
        return target;
      }
    }
    return target;
  }

  /** Returns the protocol version: {@code "HTTP/1.1"}, {@code "HTTP/1.0"} or {@code "HTTP/2"}. */
  public String version() {
    return version;
  }

  /**
   * Returns the header fields in received order, names as received (lower case on HTTP/2).
   * HTTP/2 pseudo-headers are not included; see {@link #method()}, {@link #target()} and {@link
   * #authority()}.
   */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** Returns the first value of the header named {@code name}, ignoring case, or null. */
  public String header(String name) {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return null;
  }

  /** Returns every value of the header named {@code name}, ignoring case, in received order. */
  public List<String> headerValues(String name) {
    List<String> result = new ArrayList<>();
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        result.add(header.getValue());
      }
    }
    return Collections.unmodifiableList(result);
  }

  /** Returns a copy of the body bytes, after removing any chunked framing; empty when none. */
  public byte[] body() {
    return body.clone();
  }

  /** Returns the number of body bytes received. */
  public int bodySize() {
    return body.length;
  }

  /** Returns the body decoded as UTF-8. */
  public String bodyUtf8() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Returns the 0-based index of the TCP connection the request arrived on. */
  public int connectionIndex() {
    return connectionIndex;
  }

  /** Returns the 0-based index of this request among those received on its connection. */
  public int sequenceNumber() {
    return sequenceNumber;
  }

  /** Returns the HTTP/2 stream id that carried the request, or 0 for HTTP/1. */
  public int streamId() {
    return streamId;
  }

  /**
   * Returns the {@code Host} header (HTTP/1) or {@code :authority} (HTTP/2, falling back to
   * {@code host}), or null when the request had neither.
   */
  public String authority() {
    return authority;
  }

  /** Returns the negotiated TLS version, such as {@code "TLSv1.3"}, or null for cleartext. */
  public String tlsVersion() {
    return tlsVersion;
  }

  /** Returns the host name the client sent in TLS SNI, or null when cleartext or not sent. */
  public String sniHostName() {
    return sniHostName;
  }

  /**
   * Returns the trailer fields of a chunked HTTP/1.1 body or HTTP/2 trailers, names as
   * received, in received order; values of a repeated name are joined with {@code ", "}.
   * Empty when the request had no trailers.
   */
  public Map<String, String> trailers() {
    return trailers;
  }

  @Override
  public String toString() {
    return method + " " + target + " " + version;
  }
}
