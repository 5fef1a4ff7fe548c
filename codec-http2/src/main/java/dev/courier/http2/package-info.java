/**
 * Speaks HTTP/2 (RFC 9113) for Courier. Putting this module on the class path is all it takes:
 * {@link dev.courier.http2.Http2ConnectionProvider} is found with {@link java.util.ServiceLoader},
 * {@code h2} joins the ALPN offer, and one multiplexed connection carries many concurrent calls.
 *
 * <p>HPACK and the frame and error definitions come from netty-codec-http2; the connection, its
 * streams, flow control and all I/O are Courier's own, over the transport's okio streams.
 */
package dev.courier.http2;
