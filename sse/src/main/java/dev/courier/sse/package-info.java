/**
 * Receives Server-Sent Events: {@link dev.courier.sse.EventSources} opens an {@link
 * dev.courier.sse.EventSource} on a Courier client, parses the {@code text/event-stream} body as
 * the WHATWG HTML standard specifies, reconnects with {@code Last-Event-ID} when the stream ends,
 * and reports to an {@link dev.courier.sse.EventSourceListener}.
 */
package dev.courier.sse;
