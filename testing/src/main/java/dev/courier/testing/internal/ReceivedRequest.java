package dev.courier.testing.internal;

import java.util.List;
import java.util.Map;

/**
 * Holds everything read from the wire for one request, before it becomes a public {@code
 * RecordedRequest}.
 *
 * @param method the request method
 * @param target the request target as sent (HTTP/1.1) or {@code :path} (HTTP/2)
 * @param version {@code "HTTP/1.1"}, {@code "HTTP/1.0"} or {@code "HTTP/2"}
 * @param headers regular header fields in received order
 * @param body the body bytes, empty when there is none
 * @param trailers trailer fields in received order, empty when there are none
 * @param authority the {@code Host} header or {@code :authority}, null when absent
 * @param connection the connection the request arrived on
 * @param sequenceNumber the 0-based index of the request on its connection
 * @param streamId the HTTP/2 stream id, 0 on HTTP/1
 */
public record ReceivedRequest(
    String method,
    String target,
    String version,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    List<Map.Entry<String, String>> trailers,
    String authority,
    ConnectionInfo connection,
    int sequenceNumber,
    int streamId) {}
