package dev.courier.http1.toolkit;

import dev.courier.Headers;
import dev.courier.RequestBody;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Sink;
import okio.Source;

/**
 * Names how an HTTP/1.x message body is delimited (RFC 9112 §6), and makes the source or sink that
 * reads or writes a body so delimited.
 */
public enum BodyFraming {
  /** There is no body: a request without one, or a response to HEAD, a 1xx, 204 or 304. */
  NONE,
  /** The body is exactly {@code Content-Length} bytes. */
  FIXED_LENGTH,
  /** The body is in chunked transfer coding, possibly followed by trailer fields. */
  CHUNKED,
  /**
   * The body ends when the peer closes the connection: a response with neither a length nor
   * chunked coding, or with a transfer coding other than chunked last. The connection cannot
   * carry another exchange.
   */
  UNTIL_CLOSE;

  /**
   * Returns the framing of a response's body by RFC 9112 §6.3: {@link #NONE} for HEAD, 1xx, 204
   * and 304 whatever the fields say; {@link #CHUNKED} when the last transfer coding is chunked (it
   * wins over {@code Content-Length}); {@link #UNTIL_CLOSE} for any other transfer coding;
   * {@link #FIXED_LENGTH} with a {@code Content-Length} (parse it with
   * {@link Framing#contentLength}); else {@link #UNTIL_CLOSE}. Allocates nothing.
   */
  public static BodyFraming ofResponse(String requestMethod, int code, Headers headers) {
    if (!Framing.responseMayHaveBody(requestMethod, code)) {
      return NONE;
    }
    if (Framing.hasTransferEncoding(headers)) {
      return Framing.isChunked(headers) ? CHUNKED : UNTIL_CLOSE;
    }
    return headers.get("Content-Length") != null ? FIXED_LENGTH : UNTIL_CLOSE;
  }

  /**
   * Returns a source that reads a response body so framed from {@code source}, and tells
   * {@code listener} when the body ends or fails.
   *
   * @param headReader the connection's head reader: it names the peer and reads a chunked body's
   *     trailers under its limits
   * @param contentLength the body's length for {@link #FIXED_LENGTH}; ignored otherwise
   * @throws IllegalArgumentException if {@code contentLength} is negative for {@link #FIXED_LENGTH}
   */
  public ResponseBodySource newSource(BufferedSource source, HeadReader headReader,
      ExchangeStreamListener listener, long contentLength) {
    return newSource(source, null, headReader, listener, contentLength);
  }

  /**
   * Returns a source as {@link #newSource(BufferedSource, HeadReader, ExchangeStreamListener,
   * long)} does, whose reads into an array may bypass {@code source}'s buffer, once it is empty,
   * by reading {@code unbufferedSource} (the source {@code source} buffers, such as {@link
   * dev.courier.spi.Transport#unbufferedSource()}), never past the body's end.
   *
   * @param unbufferedSource what {@code source} buffers, or null to read only through {@code
   *     source}
   * @throws IllegalArgumentException if {@code contentLength} is negative for {@link #FIXED_LENGTH}
   */
  public ResponseBodySource newSource(BufferedSource source, Source unbufferedSource,
      HeadReader headReader, ExchangeStreamListener listener, long contentLength) {
    String peer = headReader.peer();
    switch (this) {
      case NONE:
        return new FixedLengthSource(source, unbufferedSource, peer, listener, 0L);
      case FIXED_LENGTH:
        return new FixedLengthSource(source, unbufferedSource, peer, listener, contentLength);
      case CHUNKED:
        return new ChunkedSource(source, unbufferedSource, peer, listener, headReader);
      default:
        return new UntilEofSource(source, unbufferedSource, peer, listener);
    }
  }

  /**
   * Returns a sink that writes a request body so framed onto {@code sink}: chunked, or exactly
   * {@code contentLength} bytes.
   *
   * @param peer names the server in error messages, such as {@code example.com:443}
   * @param body the body being written, asked for its trailers when the sink closes; may be null
   * @throws IllegalStateException for {@link #NONE} and {@link #UNTIL_CLOSE}, which a request
   *     body cannot have (a client cannot close its side to end a body and still read a response)
   */
  public RequestBodySink newSink(BufferedSink sink, String peer, ExchangeStreamListener listener,
      RequestBody body, long contentLength) {
    return newSink(sink, null, peer, listener, body, contentLength);
  }

  /**
   * Returns a sink as {@link #newSink(BufferedSink, String, ExchangeStreamListener, RequestBody,
   * long)} does, whose large array writes go straight to {@code unbufferedSink} (the sink {@code
   * sink} buffers, such as {@link dev.courier.spi.Transport#unbufferedSink()}) once {@code sink}
   * is emitted, never past the body's declared length.
   *
   * @param unbufferedSink what {@code sink} buffers, or null to write only through {@code sink}
   * @throws IllegalStateException for {@link #NONE} and {@link #UNTIL_CLOSE}
   */
  public RequestBodySink newSink(BufferedSink sink, Sink unbufferedSink, String peer,
      ExchangeStreamListener listener, RequestBody body, long contentLength) {
    switch (this) {
      case FIXED_LENGTH:
        return new FixedLengthSink(sink, unbufferedSink, peer, listener, body, contentLength);
      case CHUNKED:
        return new ChunkedSink(sink, unbufferedSink, peer, listener, body);
      default:
        throw new IllegalStateException("A request body cannot be framed as " + this
            + "; request to " + peer);
    }
  }
}
