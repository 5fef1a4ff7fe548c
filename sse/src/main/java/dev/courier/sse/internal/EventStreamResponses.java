package dev.courier.sse.internal;

import dev.courier.MediaType;
import dev.courier.Response;
import java.net.ProtocolException;

/** Decides whether a response opens an event stream, as the WHATWG "announce the connection" step does. */
final class EventStreamResponses {
  private EventStreamResponses() {}

  /**
   * Returns null if {@code response} is {@code 200} with a {@code text/event-stream} body,
   * otherwise the exception that fails the event source.
   */
  static ProtocolException refusal(Response response, String peer) {
    if (response.code() == 204) {
      return new ProtocolException(peer + " answered 204 No Content over " + response.protocol()
          + ": the server asks the event source to stop");
    }
    if (response.code() != 200) {
      return new ProtocolException("expected 200 with a text/event-stream body from " + peer + " but got "
          + response.code() + " " + response.message() + " over " + response.protocol());
    }
    String contentType = response.header("Content-Type");
    MediaType mediaType = contentType != null ? MediaType.parse(contentType) : null;
    if (mediaType == null || !mediaType.type().equals("text") || !mediaType.subtype().equals("event-stream")) {
      return new ProtocolException("expected Content-Type text/event-stream from " + peer + " but got "
          + (contentType != null ? contentType : "none") + " over " + response.protocol());
    }
    return null;
  }
}
