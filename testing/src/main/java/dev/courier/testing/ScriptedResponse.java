package dev.courier.testing;

import dev.courier.testing.internal.ReasonPhrases;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Describes what {@link TestServer} sends back for one request: status, headers, body and how
 * the bytes are framed, paced or broken.
 *
 * <p>Build one with {@link #builder()}; the default is {@code 200 OK} with no body and {@code
 * Content-Length: 0}. Instances are immutable and safe to share between threads; the same
 * instance may be enqueued several times.
 *
 * <p>For HTTP/1.1 the server composes the response bytes itself (status line, headers in the
 * order given, body), so a script can produce responses that a strict server library would
 * refuse. For HTTP/2 the same script is mapped onto HEADERS and DATA frames: header names are
 * lower-cased and connection-specific headers ({@code Connection}, {@code Keep-Alive}, {@code
 * Proxy-Connection}, {@code Transfer-Encoding}, {@code Upgrade}) are dropped.
 */
public final class ScriptedResponse {
  private static final int PLACEHOLDER_BODY_SIZE = 64;

  private final int status;
  private final String reason;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final int maxChunkSize;
  private final boolean closeDelimited;
  private final List<Map.Entry<String, String>> trailers;
  private final long throttleBytesPerPeriod;
  private final long throttlePeriodNanos;
  private final long headersDelayNanos;
  private final long bodyDelayNanos;
  private final List<Informational> informational;
  private final Fault fault;
  private final byte[] raw;
  private final boolean closeConnectionAfter;
  private final boolean expectContinue;
  private final long resetStreamErrorCode;
  private final boolean goAwayAfter;
  private final int goAwayLastStreamIdDelta;
  private final long goAwayErrorCode;
  private final boolean webSocket;
  private final boolean webSocketDeflate;

  private ScriptedResponse(Builder builder) {
    this.status = builder.status;
    this.reason = builder.reason != null ? builder.reason : ReasonPhrases.forStatus(builder.status);
    this.headers = List.copyOf(builder.headers);
    this.body = builder.body.clone();
    this.maxChunkSize = builder.maxChunkSize;
    this.closeDelimited = builder.closeDelimited;
    this.trailers = List.copyOf(builder.trailers);
    this.throttleBytesPerPeriod = builder.throttleBytesPerPeriod;
    this.throttlePeriodNanos = builder.throttlePeriodNanos;
    this.headersDelayNanos = builder.headersDelayNanos;
    this.bodyDelayNanos = builder.bodyDelayNanos;
    this.informational = List.copyOf(builder.informational);
    this.fault = builder.fault;
    this.raw = builder.raw != null ? builder.raw.clone() : null;
    this.closeConnectionAfter = builder.closeConnectionAfter;
    this.expectContinue = builder.expectContinue;
    this.resetStreamErrorCode = builder.resetStreamErrorCode;
    this.goAwayAfter = builder.goAwayAfter;
    this.goAwayLastStreamIdDelta = builder.goAwayLastStreamIdDelta;
    this.goAwayErrorCode = builder.goAwayErrorCode;
    this.webSocket = builder.webSocket;
    this.webSocketDeflate = builder.webSocketDeflate;
  }

  /** Returns true if this response upgrades the connection to the WebSocket echo endpoint. */
  public boolean webSocket() {
    return webSocket;
  }

  /** Returns true if the WebSocket echo endpoint accepts an offer of permessage-deflate. */
  public boolean webSocketDeflate() {
    return webSocketDeflate;
  }

  /** Returns a builder for {@code 200 OK} with no body and {@code Content-Length: 0}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised with every setting of this response. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Returns the status code of the final response, for example 200. */
  public int status() {
    return status;
  }

  /** Returns the reason phrase: the scripted one, or the standard phrase for the status. */
  public String reason() {
    return reason;
  }

  /** Returns the header fields in the order they are sent, names as scripted. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** Returns a copy of the body bytes; empty when there is no body. */
  public byte[] body() {
    return body.clone();
  }

  /** Returns the number of body bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** Returns whether the HTTP/1.1 body is sent with {@code Transfer-Encoding: chunked}. */
  public boolean chunked() {
    return maxChunkSize > 0;
  }

  /** Returns the largest chunk for a chunked body, or 0 when the body is not chunked. */
  public int maxChunkSize() {
    return maxChunkSize;
  }

  /** Returns whether the HTTP/1.1 body ends when the server closes the connection. */
  public boolean closeDelimited() {
    return closeDelimited;
  }

  /** Returns the trailer fields, sent after a chunked HTTP/1.1 body or as HTTP/2 trailers. */
  public List<Map.Entry<String, String>> trailers() {
    return trailers;
  }

  /** Returns the number of body bytes sent per throttle period, or 0 when not throttled. */
  public long throttleBytesPerPeriod() {
    return throttleBytesPerPeriod;
  }

  /** Returns the pause between two throttled writes, in nanoseconds. */
  public long throttlePeriodNanos() {
    return throttlePeriodNanos;
  }

  /** Returns how long the server waits before sending the final status line, in nanoseconds. */
  public long headersDelayNanos() {
    return headersDelayNanos;
  }

  /** Returns how long the server waits between the headers and the body, in nanoseconds. */
  public long bodyDelayNanos() {
    return bodyDelayNanos;
  }

  /** Returns the 1xx responses sent before the final response, in order. */
  public List<Informational> informational() {
    return informational;
  }

  /** Returns the scripted fault, or null when the response is sent normally. */
  public Fault fault() {
    return fault;
  }

  /** Returns a copy of the raw HTTP/1.1 response bytes, or null when the response is composed. */
  public byte[] raw() {
    return raw != null ? raw.clone() : null;
  }

  /** Returns whether the HTTP/1.1 connection is closed after this response. */
  public boolean closeConnectionAfter() {
    return closeConnectionAfter;
  }

  /**
   * Returns whether a request carrying {@code Expect: 100-continue} is answered with {@code 100
   * Continue} before its body is read. Defaults to true.
   */
  public boolean expectContinue() {
    return expectContinue;
  }

  /** Returns whether an HTTP/2 request is answered with RST_STREAM instead of a response. */
  public boolean resetsStream() {
    return resetStreamErrorCode >= 0;
  }

  /** Returns the RST_STREAM error code, or -1 when the stream is not reset. */
  public long resetStreamErrorCode() {
    return resetStreamErrorCode;
  }

  /** Returns whether an HTTP/2 GOAWAY frame follows this response. */
  public boolean goAwayAfter() {
    return goAwayAfter;
  }

  /**
   * Returns how many stream ids beyond the highest one received the GOAWAY frame still admits;
   * the frame's last-stream-id is that highest id plus twice this value.
   */
  public int goAwayLastStreamIdDelta() {
    return goAwayLastStreamIdDelta;
  }

  /** Returns the GOAWAY error code, 0 (NO_ERROR) by default. */
  public long goAwayErrorCode() {
    return goAwayErrorCode;
  }

  @Override
  public String toString() {
    StringBuilder result = new StringBuilder("ScriptedResponse{");
    if (raw != null) {
      result.append("raw ").append(raw.length).append(" bytes");
    } else {
      result.append(status).append(' ').append(reason).append(", ").append(body.length).append(" body bytes");
    }
    if (fault != null) {
      result.append(", fault=").append(fault);
    }
    if (resetsStream()) {
      result.append(", resetStream=").append(resetStreamErrorCode);
    }
    return result.append('}').toString();
  }

  /**
   * Describes one interim (1xx) response, such as {@code 100 Continue} or {@code 103 Early
   * Hints}, sent before the final response. Immutable.
   */
  public static final class Informational {
    private final int status;
    private final List<Map.Entry<String, String>> headers;

    Informational(int status, List<Map.Entry<String, String>> headers) {
      this.status = status;
      this.headers = List.copyOf(headers);
    }

    /** Returns the 1xx status code. */
    public int status() {
      return status;
    }

    /** Returns the reason phrase used on HTTP/1.1. */
    public String reason() {
      return ReasonPhrases.forStatus(status);
    }

    /** Returns the header fields of this interim response, in order. */
    public List<Map.Entry<String, String>> headers() {
      return headers;
    }
  }

  /**
   * Collects the settings of a {@link ScriptedResponse}. Setters return this builder; a builder
   * is not thread-safe and may be reused after {@link #build()}.
   */
  public static final class Builder {
    private int status = 200;
    private String reason;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private byte[] body = new byte[0];
    private int maxChunkSize;
    private boolean closeDelimited;
    private final List<Map.Entry<String, String>> trailers = new ArrayList<>();
    private long throttleBytesPerPeriod;
    private long throttlePeriodNanos;
    private long headersDelayNanos;
    private long bodyDelayNanos;
    private final List<Informational> informational = new ArrayList<>();
    private Fault fault;
    private byte[] raw;
    private boolean closeConnectionAfter;
    private boolean expectContinue = true;
    private long resetStreamErrorCode = -1;
    private boolean goAwayAfter;
    private int goAwayLastStreamIdDelta;
    private long goAwayErrorCode;
    private boolean webSocket;
    private boolean webSocketDeflate;

    Builder() {
      headers.add(entry("Content-Length", "0"));
    }

    Builder(ScriptedResponse response) {
      status = response.status;
      reason = response.reason;
      headers.addAll(response.headers);
      body = response.body.clone();
      maxChunkSize = response.maxChunkSize;
      closeDelimited = response.closeDelimited;
      trailers.addAll(response.trailers);
      throttleBytesPerPeriod = response.throttleBytesPerPeriod;
      throttlePeriodNanos = response.throttlePeriodNanos;
      headersDelayNanos = response.headersDelayNanos;
      bodyDelayNanos = response.bodyDelayNanos;
      informational.addAll(response.informational);
      fault = response.fault;
      raw = response.raw != null ? response.raw.clone() : null;
      closeConnectionAfter = response.closeConnectionAfter;
      expectContinue = response.expectContinue;
      resetStreamErrorCode = response.resetStreamErrorCode;
      goAwayAfter = response.goAwayAfter;
      goAwayLastStreamIdDelta = response.goAwayLastStreamIdDelta;
      goAwayErrorCode = response.goAwayErrorCode;
      webSocket = response.webSocket;
      webSocketDeflate = response.webSocketDeflate;
    }

    /**
     * Sets the status code, with the standard reason phrase. Defaults to 200.
     *
     * @throws IllegalArgumentException if {@code code} is not a three-digit number
     */
    public Builder status(int code) {
      checkStatus(code);
      this.status = code;
      this.reason = null;
      return this;
    }

    /**
     * Sets the status code and the HTTP/1.1 reason phrase, which may be empty.
     *
     * @throws IllegalArgumentException if {@code code} is not a three-digit number
     */
    public Builder status(int code, String reason) {
      checkStatus(code);
      this.status = code;
      this.reason = Objects.requireNonNull(reason, "reason");
      return this;
    }

    /**
     * Adds a header field after those already added; a name may repeat. On HTTP/1.1 name and
     * value are written verbatim (UTF-8), so they may be malformed on purpose.
     */
    public Builder header(String name, String value) {
      headers.add(entry(name, value));
      return this;
    }

    /** Removes every header field named {@code name} (case-insensitive) and adds one. */
    public Builder setHeader(String name, String value) {
      removeHeader(name);
      return header(name, value);
    }

    /** Removes every header field named {@code name}, ignoring case; includes the default ones. */
    public Builder removeHeader(String name) {
      Objects.requireNonNull(name, "name");
      headers.removeIf(header -> header.getKey().equalsIgnoreCase(name));
      return this;
    }

    /**
     * Sets the body to the UTF-8 bytes of {@code utf8} and {@code Content-Length} to match.
     *
     * @see #body(byte[])
     */
    public Builder body(String utf8) {
      return body(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sets the body and replaces {@code Content-Length} with its length. This undoes an earlier
     * {@link #chunkedBody} or {@link #noContentLength()}; to send a deliberately wrong length,
     * call {@link #setHeader} afterwards.
     */
    public Builder body(byte[] bytes) {
      this.body = bytes.clone();
      this.maxChunkSize = 0;
      this.closeDelimited = false;
      removeHeader("Transfer-Encoding");
      return setHeader("Content-Length", Integer.toString(bytes.length));
    }

    /**
     * Sets a body sent on HTTP/1.1 as {@code Transfer-Encoding: chunked} in chunks of at most
     * {@code maxChunkSize} bytes, and removes {@code Content-Length}. On HTTP/2 the bytes are
     * sent as DATA frames of at most {@code maxChunkSize} bytes.
     *
     * @throws IllegalArgumentException if {@code maxChunkSize} is less than 1
     */
    public Builder chunkedBody(byte[] bytes, int maxChunkSize) {
      if (maxChunkSize < 1) {
        throw new IllegalArgumentException("maxChunkSize must be at least 1 but was " + maxChunkSize);
      }
      this.body = bytes.clone();
      this.maxChunkSize = maxChunkSize;
      this.closeDelimited = false;
      removeHeader("Content-Length");
      return setHeader("Transfer-Encoding", "chunked");
    }

    /** Sets a chunked body of the UTF-8 bytes of {@code utf8}; see {@link #chunkedBody(byte[], int)}. */
    public Builder chunkedBody(String utf8, int maxChunkSize) {
      return chunkedBody(utf8.getBytes(StandardCharsets.UTF_8), maxChunkSize);
    }

    /**
     * Removes {@code Content-Length} and {@code Transfer-Encoding} so that the HTTP/1.1 body ends
     * when the server closes the connection, which it then does after the body. The body bytes
     * are sent unframed. Has no effect on HTTP/2 beyond dropping {@code content-length}.
     */
    public Builder noContentLength() {
      this.maxChunkSize = 0;
      this.closeDelimited = true;
      removeHeader("Content-Length");
      return removeHeader("Transfer-Encoding");
    }

    /**
     * Replaces the trailer fields with those of {@code fields}, in its iteration order. Trailers
     * are sent after a chunked HTTP/1.1 body and as a final HEADERS frame on HTTP/2; they are
     * not sent for an HTTP/1.1 body that is not chunked.
     */
    public Builder trailers(Map<String, String> fields) {
      trailers.clear();
      fields.forEach((name, value) -> trailers.add(entry(name, value)));
      return this;
    }

    /**
     * Replaces the trailer fields with alternating names and values, for example {@code
     * trailers("grpc-status", "0", "grpc-message", "ok")}.
     *
     * @throws IllegalArgumentException if the number of arguments is odd
     */
    public Builder trailers(String... namesAndValues) {
      List<Map.Entry<String, String>> fields = pairs(namesAndValues);
      trailers.clear();
      trailers.addAll(fields);
      return this;
    }

    /**
     * Sends the body in slices of {@code bytesPerPeriod} bytes, pausing {@code period} before
     * each slice after the first. On HTTP/1.1 the slices are cut from the body as framed on the
     * wire, and for {@link #raw(byte[])} responses every byte is throttled; on HTTP/2 each
     * slice is one DATA frame. Default: not throttled.
     *
     * @throws IllegalArgumentException if {@code bytesPerPeriod} is less than 1 or the period
     *     is negative
     */
    public Builder throttleBody(long bytesPerPeriod, long period, TimeUnit unit) {
      if (bytesPerPeriod < 1) {
        throw new IllegalArgumentException("bytesPerPeriod must be at least 1 but was " + bytesPerPeriod);
      }
      this.throttlePeriodNanos = nonNegativeNanos("throttle period", period, unit);
      this.throttleBytesPerPeriod = bytesPerPeriod;
      return this;
    }

    /**
     * Delays the final status line by {@code delay} after the request has been read. Interim
     * 1xx responses are not delayed. Default: no delay.
     */
    public Builder headersDelay(long delay, TimeUnit unit) {
      this.headersDelayNanos = nonNegativeNanos("headersDelay", delay, unit);
      return this;
    }

    /** Delays the first body byte by {@code delay} after the headers. Default: no delay. */
    public Builder bodyDelay(long delay, TimeUnit unit) {
      this.bodyDelayNanos = nonNegativeNanos("bodyDelay", delay, unit);
      return this;
    }

    /**
     * Adds an interim response, such as {@code 103} with {@code Link} headers, sent before the
     * final response on HTTP/1.1 and HTTP/2. Interim responses go out as soon as the request
     * has been read, in the order added.
     *
     * @param namesAndValues alternating header names and values
     * @throws IllegalArgumentException if {@code code} is not in 100..199 or the number of
     *     header arguments is odd
     */
    public Builder informational(int code, String... namesAndValues) {
      if (code < 100 || code > 199) {
        throw new IllegalArgumentException("informational status must be 1xx but was " + code);
      }
      informational.add(new Informational(code, pairs(namesAndValues)));
      return this;
    }

    /** Makes the server misbehave as {@code fault} describes; null restores normal behaviour. */
    public Builder fault(Fault fault) {
      this.fault = fault;
      return this;
    }

    /**
     * Sends exactly {@code bytes} as the whole HTTP/1.1 response, ignoring status, headers and
     * body; use it for malformed responses. The connection stays open afterwards unless {@link
     * #closeConnectionAfter()} is set. Not supported on HTTP/2, where the stream is reset with
     * INTERNAL_ERROR instead.
     */
    public Builder raw(byte[] bytes) {
      this.raw = bytes.clone();
      return this;
    }

    /** Sends the UTF-8 bytes of {@code utf8} as the whole response; see {@link #raw(byte[])}. */
    public Builder raw(String utf8) {
      return raw(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Upgrades an HTTP/1.1 request to a WebSocket (RFC 6455) served by Netty's frame codec:
     * answers {@code 101 Switching Protocols} with the handshake's headers plus this response's
     * own (other than {@code Content-Length}), then echoes every text and binary message, answers
     * pings with pongs and a close frame with a close frame. A text message {@code
     * "close:CODE:REASON"} makes the server start the close handshake instead; {@code
     * "ping:PAYLOAD"} makes it send a ping, and the client's pong comes back as the text {@code
     * "pong:PAYLOAD"}. Status, body and faults are ignored; HTTP/2 requests are not upgraded.
     */
    public Builder webSocket() {
      this.webSocket = true;
      return this;
    }

    /**
     * Upgrades to the WebSocket echo endpoint of {@link #webSocket()} and accepts the client's
     * offer of permessage-deflate (RFC 7692) with Netty's server handshaker and its defaults
     * (context takeover both ways, 32 KiB windows), compressing every message it sends. Without
     * an offer the socket runs uncompressed.
     */
    public Builder webSocketDeflate() {
      this.webSocket = true;
      this.webSocketDeflate = true;
      return this;
    }

    /** Closes the HTTP/1.1 connection once this response has been written. Default: keep-alive. */
    public Builder closeConnectionAfter() {
      this.closeConnectionAfter = true;
      return this;
    }

    /**
     * Sets whether a request with {@code Expect: 100-continue} gets {@code 100 Continue}. When
     * false, this response is sent as soon as the request head arrives, the request is recorded
     * with an empty body, and on HTTP/1.1 the connection is closed afterwards because the
     * client may still send the body. Default: true.
     */
    public Builder expectContinue(boolean expectContinue) {
      this.expectContinue = expectContinue;
      return this;
    }

    /**
     * Answers an HTTP/2 request with RST_STREAM carrying {@code errorCode} (for example 8,
     * CANCEL) after reading it, instead of a response. Ignored on HTTP/1.1.
     *
     * @throws IllegalArgumentException if {@code errorCode} is negative or above 2^32-1
     */
    public Builder resetStream(long errorCode) {
      checkErrorCode(errorCode);
      this.resetStreamErrorCode = errorCode;
      return this;
    }

    /**
     * Sends an HTTP/2 GOAWAY frame with {@code errorCode} after this response has been sent.
     * Its last-stream-id is the highest stream id received so far plus {@code 2 *
     * lastStreamIdDelta}, so 0 admits no further stream. With error code 0 (NO_ERROR) the
     * connection stays open so the client can finish admitted streams and close it; with any
     * other code the server closes the connection right after the frame. Ignored on HTTP/1.1.
     *
     * @throws IllegalArgumentException if {@code lastStreamIdDelta} is negative or {@code
     *     errorCode} is out of range
     */
    public Builder goAwayAfter(int lastStreamIdDelta, long errorCode) {
      if (lastStreamIdDelta < 0) {
        throw new IllegalArgumentException("lastStreamIdDelta must not be negative but was " + lastStreamIdDelta);
      }
      checkErrorCode(errorCode);
      this.goAwayAfter = true;
      this.goAwayLastStreamIdDelta = lastStreamIdDelta;
      this.goAwayErrorCode = errorCode;
      return this;
    }

    /**
     * Returns the immutable response. A fault that promises body bytes ({@link
     * Fault#CLOSE_AFTER_HEADERS}, {@link Fault#CLOSE_MID_BODY}, {@link Fault#STALL}) on a
     * response without a body gets a 64-byte placeholder body and a matching {@code
     * Content-Length}.
     */
    public ScriptedResponse build() {
      if (body.length == 0 && raw == null && promisesBody(fault)) {
        byte[] placeholder = new byte[PLACEHOLDER_BODY_SIZE];
        Arrays.fill(placeholder, (byte) 'x');
        Builder copy = new Builder(new ScriptedResponse(this));
        if (maxChunkSize > 0) {
          copy.chunkedBody(placeholder, maxChunkSize);
        } else if (closeDelimited) {
          copy.body = placeholder;
        } else {
          copy.body(placeholder);
        }
        return new ScriptedResponse(copy);
      }
      return new ScriptedResponse(this);
    }

    private static boolean promisesBody(Fault fault) {
      return fault == Fault.CLOSE_AFTER_HEADERS || fault == Fault.CLOSE_MID_BODY || fault == Fault.STALL;
    }

    private static void checkStatus(int code) {
      if (code < 100 || code > 999) {
        throw new IllegalArgumentException("status must have three digits but was " + code);
      }
    }

    private static void checkErrorCode(long errorCode) {
      if (errorCode < 0 || errorCode > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("HTTP/2 error code out of range: " + errorCode);
      }
    }

    private static long nonNegativeNanos(String setting, long amount, TimeUnit unit) {
      if (amount < 0) {
        throw new IllegalArgumentException(setting + " must not be negative but was " + amount);
      }
      return unit.toNanos(amount);
    }

    private static List<Map.Entry<String, String>> pairs(String... namesAndValues) {
      if (namesAndValues.length % 2 != 0) {
        throw new IllegalArgumentException(
            "expected alternating names and values but got " + namesAndValues.length + " strings");
      }
      List<Map.Entry<String, String>> result = new ArrayList<>(namesAndValues.length / 2);
      for (int i = 0; i < namesAndValues.length; i += 2) {
        result.add(entry(namesAndValues[i], namesAndValues[i + 1]));
      }
      return Collections.unmodifiableList(result);
    }

    private static Map.Entry<String, String> entry(String name, String value) {
      return new SimpleImmutableEntry<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    }
  }
}
