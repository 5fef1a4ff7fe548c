package dev.courier.http2.internal;

import dev.courier.testing.Http2FramePeer;
import java.io.IOException;

/**
 * Plays an HTTP/2 server frame by frame over a real loopback socket, so the codec's tests can
 * script exact frames, including ones that break the protocol: the shared {@link Http2FramePeer},
 * named for these tests.
 */
final class Http2TestPeer extends Http2FramePeer {
  Http2TestPeer() throws IOException {}
}
