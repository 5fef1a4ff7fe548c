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
 * context does. A message ending with a final block (BFINAL, RFC 7692 §7.2.3.3) ends the DEFLATE
 * stream: the next message begins a new one, whose back-references may still reach into the last
 * 32 KiB of output unless the server said {@code server_no_context_takeover}, so that much output
 * is kept and handed to the new stream as its dictionary. Used by the reader thread only; {@link
 * #close()} frees the native memory.
 */
final class MessageInflater {
  private static final byte[] EMPTY_BLOCK_TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};
  /** The largest DEFLATE window: how far back a reference may reach. */
  private static final long WINDOW_BYTES = 32 * 1024;

  private final Inflater inflater = new Inflater(true);
  private final byte[] chunk = new byte[8192];
  private final String peer;
  /** The last output, for a stream that follows a final block; null if the server keeps no context. */
  private final Buffer window;

  MessageInflater(String peer, boolean serverContextTakeover) {
    this.peer = peer;
    this.window = serverContextTakeover ? new Buffer() : null;
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
          keepWindow(message);
          // A final block ends the stream: the next message begins a new one, on the same window.
          inflater.reset();
          if (window != null && window.size() > 0) {
            inflater.setDictionary(window.snapshot().toByteArray());
          }
          return;
        }
        if (inflated == 0) {
          if (inflater.needsInput()) {
            keepWindow(message);
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

  private void keepWindow(Buffer output) {
    if (window == null) {
      return;
    }
    long size = output.size();
    long kept = Math.min(size, WINDOW_BYTES);
    output.copyTo(window, size - kept, kept);
    if (window.size() > WINDOW_BYTES) {
      try {
        window.skip(window.size() - WINDOW_BYTES);
      } catch (java.io.EOFException impossible) {
        throw new AssertionError(impossible);
      }
    }
  }

  void close() {
    inflater.end();
  }
}
