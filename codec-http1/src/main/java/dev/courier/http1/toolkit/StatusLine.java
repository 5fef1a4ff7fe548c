package dev.courier.http1.toolkit;

import dev.courier.Protocol;

/**
 * Holds a parsed HTTP/1 status line such as {@code HTTP/1.1 200 OK}. Immutable.
 *
 * @param protocol {@link Protocol#HTTP_1_1} or {@link Protocol#HTTP_1_0}
 * @param code the three-digit status code
 * @param message the reason phrase; empty if the server sent none
 */
public record StatusLine(Protocol protocol, int code, String message) {
  /** Returns true for interim (1xx) responses other than {@code 101 Switching Protocols}. */
  public boolean isInterim() {
    return code >= 100 && code < 200 && code != 101;
  }
}
