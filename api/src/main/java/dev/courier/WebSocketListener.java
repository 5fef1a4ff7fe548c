package dev.courier;

import okio.ByteString;

/**
 * Receives the events of a {@link WebSocket}. Every method is called on the socket's own thread,
 * one at a time and in the order the events happened; a slow callback delays the next one and
 * the reading of further messages. The defaults do nothing.
 *
 * <p>A socket ends with exactly one of {@link #onClosed} (the close handshake completed) and
 * {@link #onFailure} (anything else); neither is followed by further callbacks.
 */
public abstract class WebSocketListener {
  /** Creates a listener whose callbacks do nothing. */
  protected WebSocketListener() {}

  /**
   * Called when the server accepted the WebSocket; messages may be sent before this, and are
   * queued.
   *
   * @param response the {@code 101 Switching Protocols} response, without a body
   */
  public void onOpen(WebSocket webSocket, Response response) {}

  /** Called for each text message received, reassembled from its fragments. */
  public void onMessage(WebSocket webSocket, String text) {}

  /** Called for each binary message received, reassembled from its fragments. */
  public void onMessage(WebSocket webSocket, ByteString bytes) {}

  /**
   * Called when the peer's close frame arrived: the peer will send no more messages. The socket
   * answers with a close frame of its own (if it did not send one already) once its queue is sent.
   *
   * @param code the peer's close code, or 1005 if its close frame had none
   * @param reason the peer's reason, empty if none
   */
  public void onClosing(WebSocket webSocket, int code, String reason) {}

  /**
   * Called when both sides sent their close frames and the connection was closed: the socket
   * ended normally.
   *
   * @param code the peer's close code, or 1005 if its close frame had none
   * @param reason the peer's reason, empty if none
   */
  public void onClosed(WebSocket webSocket, int code, String reason) {}

  /**
   * Called when the socket failed: the handshake was refused or failed, the connection broke, the
   * peer violated the protocol ({@link WebSocketProtocolException}), it did not answer a ping in
   * time or did not close in time, or {@link WebSocket#cancel()} was called. Messages still queued
   * were not sent.
   *
   * @param response the server's response if the failure happened during the handshake, else null
   */
  public void onFailure(WebSocket webSocket, Throwable failure, Response response) {}
}
