/**
 * Implements HTTP/2 for {@link dev.courier.http2.Http2ConnectionProvider}: the connection and
 * its reader thread, streams and flow control, frame reading and writing, and the HPACK boundary
 * with Netty. Public only so the provider can reach it; not promised to users.
 *
 * <p>Locking: each connection has a writer lock (socket writes, HPACK encoding, stream-id order)
 * and a state lock (streams, windows, settings). The writer lock is always taken first, and no
 * thread waits on a condition or blocks on the network while holding the state lock.
 */
package dev.courier.http2.internal;
