package dev.courier.sse;

import java.net.ProtocolException;

/**
 * Signals that a server sent an event, or a line, longer than the limit set with {@link
 * EventSources.Factory.Builder#maxEventBytes(long)}. The event source fails instead of
 * reconnecting, because the server would most likely send the same event again.
 */
public final class EventTooLargeException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with {@code message}, which should name the server's host and port. */
  public EventTooLargeException(String message) {
    super(message);
  }
}
