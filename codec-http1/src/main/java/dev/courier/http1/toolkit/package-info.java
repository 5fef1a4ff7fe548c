/**
 * Builds HTTP/1.x codecs: the parsing, framing and writing that Courier's own HTTP/1.1 codec is
 * made of, offered as a supported API so that a codec for another member of the HTTP/1 family (an
 * HTTP/1.0 codec, a codec for a device that speaks a dialect) is about a hundred lines.
 *
 * <ul>
 *   <li>{@link dev.courier.http1.toolkit.HeadReader} reads status lines, header sections and
 *       trailer sections straight from a connection's buffer, under
 *       {@link dev.courier.http1.toolkit.Http1Limits}.
 *   <li>{@link dev.courier.http1.toolkit.RequestHeadWriter} writes request lines and fields, and
 *       chooses the request body's framing.
 *   <li>{@link dev.courier.http1.toolkit.BodyFraming} decides how a body is delimited and makes its
 *       source or sink: {@link dev.courier.http1.toolkit.FixedLengthSource},
 *       {@link dev.courier.http1.toolkit.ChunkedSource} (trailers included),
 *       {@link dev.courier.http1.toolkit.UntilEofSource},
 *       {@link dev.courier.http1.toolkit.FixedLengthSink} and
 *       {@link dev.courier.http1.toolkit.ChunkedSink}.
 *   <li>{@link dev.courier.http1.toolkit.Framing} answers the framing questions of RFC 9112 §6
 *       (content length, transfer codings, connection options).
 *   <li>Body streams report their end, or a failure that leaves the connection's framing unknown,
 *       to an {@link dev.courier.http1.toolkit.ExchangeStreamListener} the codec implements.
 * </ul>
 *
 * <p>Every failure caused by the peer is a {@link java.net.ProtocolException} or another
 * {@link java.io.IOException} whose message names the peer as the caller described it (use
 * {@link dev.courier.http1.toolkit.PeerName}). After any such failure the connection's framing is
 * unknown and it must carry no further exchange. Nothing here is thread-safe unless it says so: one
 * exchange at a time drives a connection's reader and streams.
 */
package dev.courier.http1.toolkit;
