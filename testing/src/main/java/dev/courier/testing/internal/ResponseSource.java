package dev.courier.testing.internal;

import dev.courier.testing.ScriptedResponse;

/**
 * Supplies scripted responses to the protocol handlers and records the requests they read.
 * Implementations are called from event-loop threads and must be thread-safe.
 */
public interface ResponseSource {
  /**
   * Removes and returns the next queued response if it asks to close at connect, otherwise
   * returns null and leaves the queue alone. Always null while a dispatcher is set.
   */
  ScriptedResponse pollCloseAtConnect();

  /** Returns the next queued response without removing it; null if none or a dispatcher is set. */
  ScriptedResponse peek();

  /** Records {@code request} (unless the chosen response closes at connect) and returns its response. */
  ScriptedResponse respond(ReceivedRequest request);
}
