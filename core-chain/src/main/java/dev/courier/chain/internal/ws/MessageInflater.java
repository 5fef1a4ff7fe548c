package dev.courier.chain.internal.ws;

import dev.courier.WebSocket;
import dev.courier.WebSocketProtocolException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import okio.Buffer;

/**
 * Decompresses the messages a server sends under permessage-deflate (RFC 7692 §7.2.2): appends
 * the {@code 00 00 ff ff} the sender removed and inflates, stopping as soon as the output passes
 * the message limit, so that a small message that inflates to gigabytes (a decompression bomb)
 * costs no more than the limit. The window carries over from message to message, as the server's
 * context does; a message ending with a final block (BFINAL) starts a fresh stream for the next
 * one. Used by the reader thread only; {@link #close()} frees the native memory.
 */
final class MessageInflater {
  private static final byte[] EMPTY_BLOCK_TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

  private final Inflater inflater = new Inflater(true);
  private final byte[] chunk = new byte[8192];
  private final String peer;

  MessageInflater(String peer) {
    this.peer = peer;
  }

  /**
   * Replaces the compressed bytes in {@code message} with the message they inflate to.
   *
   * @throws WebSocketProtocolException with close code 1009 if the message inflates to more than
   *     {@code maxMessageBytes}, or 1007 if it is not valid DEFLATE data
   */
  void inflate(Buffer message, long maxMessageBytes) throws WebSocketProtocolException {
    message.write(EMPTY_BLOCK_TAIL);
    inflater.setInput(message.readByteArray());
    try {
      while (true) {
        int inflated = inflater.inflate(chunk);
        if (inflated > maxMessageBytes - message.size()) {
          throw new WebSocketProtocolException("WebSocket server " + peer + " sent a compressed "
              + "message that inflates to more than " + maxMessageBytes + " bytes (closing with "
              + WebSocket.MESSAGE_TOO_BIG + ")", WebSocket.MESSAGE_TOO_BIG);
        }
        message.write(chunk, 0, inflated);
        if (inflater.finished()) {
          // A final block ends the stream: the next message begins a new one.
          inflater.reset();
          return;
        }
        if (inflated == 0) {
          if (inflater.needsInput()) {
            return;
          }
          throw new DataFormatException("the inflater stalled");
        }
      }
    } catch (DataFormatException e) {
      message.clear();
      WebSocketProtocolException failure = new WebSocketProtocolException("WebSocket server "
          + peer + " sent a compressed message that is not valid DEFLATE data (" + e.getMessage()
          + ") (closing with " + WebSocket.INVALID_PAYLOAD + ")", WebSocket.INVALID_PAYLOAD);
      failure.initCause(e);
      throw failure;
    }
  }

  void close() {
    inflater.end();
  }
}
