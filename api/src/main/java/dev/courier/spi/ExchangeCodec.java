package dev.courier.spi;

import dev.courier.Headers;
import dev.courier.Request;
import dev.courier.Response;
import java.io.IOException;
import okio.Sink;
import okio.Source;

/**
 * Carries one request/response exchange over a {@link ProtocolConnection}: encodes the request
 * and decodes the response for one protocol.
 *
 * <p>The chain calls these methods in order from one thread: {@link #writeRequestHeaders},
 * optionally {@link #createRequestBody} (whose sink it writes and closes), {@link #finishRequest},
 * then {@link #readResponseHeaders} (repeatedly, while informational responses arrive),
 * {@link #openResponseBodySource}, and after the body's end, {@link #trailers}; or, when the
 * response switched protocols, {@link #upgradedStreams} in place of the body. Only
 * {@link #cancel()} may be called from another thread, at any time.
 */
public interface ExchangeCodec {
  /** Returns the connection this exchange runs on. */
  ProtocolConnection connection();

  /**
   * Writes the request line (or pseudo-headers) and headers. The bytes may stay buffered until
   * {@link #flushRequest()} or {@link #finishRequest()}.
   */
  void writeRequestHeaders(Request request) throws IOException;

  /**
   * Writes {@code request}'s head as an extended CONNECT (RFC 8441) that asks to carry
   * {@code protocol} (such as {@code "websocket"}) over this exchange's own stream, in place of
   * {@link #writeRequestHeaders}: {@code :method CONNECT}, {@code :protocol}, and the
   * {@code :scheme}, {@code :path} and {@code :authority} of the request's URL, whatever the
   * request's method, then its fields. A 2xx response opens the tunnel, whose bytes
   * {@link #upgradedStreams} hands over; the connection keeps carrying other exchanges.
   *
   * <p>Codecs of protocols without extended CONNECT keep this default, which writes nothing and
   * returns false; HTTP/2 returns false when the server's SETTINGS did not enable it (waiting for
   * them up to the read timeout on a new connection). After false the exchange may be released
   * unused and the connection stays clean.
   *
   * @return true if the request was written, false if this connection cannot carry it
   */
  default boolean writeExtendedConnectHeaders(Request request, String protocol)
      throws IOException {
    return false;
  }

  /**
   * Returns a sink for the request body. Closing the sink ends the body and sends the body's
   * {@link dev.courier.RequestBody#trailers() trailers}, if any (for HTTP/1, the final chunk and
   * the trailer section; for HTTP/2, END_STREAM on the last DATA frame or on a trailing HEADERS
   * frame) but does not flush the connection.
   *
   * @param contentLength the body's length, or -1 if unknown (HTTP/1 then uses chunked encoding)
   * @throws java.net.ProtocolException if more or fewer than {@code contentLength} bytes are
   *     written, or, on close, if the trailers hold a field forbidden in trailers or cannot be sent
   *     with this framing
   */
  Sink createRequestBody(Request request, long contentLength) throws IOException;

  /** Flushes the request to the network, such as before waiting for {@code 100 Continue}. */
  void flushRequest() throws IOException;

  /** Flushes the request and marks it complete; the body (if any) must be closed first. */
  void finishRequest() throws IOException;

  /**
   * Reads the next response head: status and headers, with protocol, code, message and headers
   * set on the builder. Informational (1xx) responses are returned too; the chain skips them.
   *
   * @param expectContinue true if the request carries {@code Expect: 100-continue}; a
   *     {@code 100 Continue} response is then reported as null, telling the caller to send the body
   * @return the response head, or null for {@code 100 Continue} when {@code expectContinue}
   * @throws java.net.ProtocolException if the head is malformed or exceeds the header limit
   */
  Response.Builder readResponseHeaders(boolean expectContinue) throws IOException;

  /**
   * Returns the length of {@code response}'s body as framed by this protocol: 0 for bodies that
   * cannot exist (HEAD, 204, 304), -1 if unknown.
   */
  long reportedContentLength(Response response) throws IOException;

  /**
   * Returns a source for the response body. It reports end-of-stream at the end of the body, and
   * releases the exchange's hold on the connection when closed. Closing it before the end discards
   * what is left if that is quick, else makes the connection take no new exchanges.
   */
  Source openResponseBodySource(Response response) throws IOException;

  /**
   * Returns the trailers that followed the body; empty if there were none.
   *
   * @throws IllegalStateException if the response body has not been read to the end
   */
  Headers trailers() throws IOException;

  /**
   * Cancels the exchange: for HTTP/1 closes the connection's socket, for HTTP/2 resets the stream.
   * Any thread blocked in this exchange fails promptly with an {@link IOException}. Idempotent.
   */
  void cancel();

  /**
   * Takes over the exchange's byte streams after {@code response} agreed to switch protocols (for
   * HTTP/1.1 a {@code 101 Switching Protocols} to a request carrying {@code Upgrade}; for HTTP/2 a
   * 2xx to an {@linkplain #writeExtendedConnectHeaders extended CONNECT}), in place of
   * {@link #openResponseBodySource}. After an HTTP/1.1 upgrade the connection carries no more
   * exchanges; an HTTP/2 connection carries on with its other streams. Closing the returned
   * streams ends the exchange. Codecs that cannot hand over their streams keep this default,
   * which throws.
   *
   * @throws java.net.ProtocolException if {@code response} did not switch protocols, or this codec
   *     cannot hand over its streams
   * @throws IllegalStateException if the response body was opened already
   */
  default UpgradedStreams upgradedStreams(Response response) throws IOException {
    throw new java.net.ProtocolException(getClass().getSimpleName()
        + " cannot hand over its streams for a protocol upgrade");
  }
}
