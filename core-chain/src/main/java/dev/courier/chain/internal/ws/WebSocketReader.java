package dev.courier.chain.internal.ws;

import static dev.courier.chain.internal.ws.WebSocketProtocol.B0_FLAG_FIN;
import static dev.courier.chain.internal.ws.WebSocketProtocol.B0_FLAG_RSV1;
import static dev.courier.chain.internal.ws.WebSocketProtocol.B0_MASK_OPCODE;
import static dev.courier.chain.internal.ws.WebSocketProtocol.B0_MASK_RSV;
import static dev.courier.chain.internal.ws.WebSocketProtocol.B1_FLAG_MASK;
import static dev.courier.chain.internal.ws.WebSocketProtocol.B1_MASK_LENGTH;
import static dev.courier.chain.internal.ws.WebSocketProtocol.MAX_CONTROL_PAYLOAD;
import static dev.courier.chain.internal.ws.WebSocketProtocol.OPCODE_BINARY;
import static dev.courier.chain.internal.ws.WebSocketProtocol.OPCODE_CLOSE;
import static dev.courier.chain.internal.ws.WebSocketProtocol.OPCODE_CONTINUATION;
import static dev.courier.chain.internal.ws.WebSocketProtocol.OPCODE_FLAG_CONTROL;
import static dev.courier.chain.internal.ws.WebSocketProtocol.OPCODE_PING;
import static dev.courier.chain.internal.ws.WebSocketProtocol.OPCODE_PONG;
import static dev.courier.chain.internal.ws.WebSocketProtocol.OPCODE_TEXT;
import static dev.courier.chain.internal.ws.WebSocketProtocol.PAYLOAD_LONG;
import static dev.courier.chain.internal.ws.WebSocketProtocol.PAYLOAD_SHORT;

import dev.courier.WebSocket;
import dev.courier.WebSocketProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads the frames a server sends (RFC 6455 §5): reassembles fragmented messages, answers control
 * frames through its {@link FrameCallback}, and checks every rule a client must enforce. A
 * violation throws {@link WebSocketProtocolException} with the close code to send: 1002 for a
 * masked frame, reserved bits, an unknown opcode, a fragmented or oversized control frame, an
 * unexpected continuation or a bad close code; 1007 for text that is not UTF-8; 1009 for a
 * message over the limit, found from the frame header before its payload is read.
 *
 * <p>When permessage-deflate was agreed, the first frame of a message may set RSV1 to say the
 * message is compressed (RFC 7692 §6); RSV1 anywhere else, and RSV2 and RSV3 always, are still
 * protocol errors. A compressed message must fit the limit both as received and once inflated.
 *
 * <p>Used by the socket's reader thread only.
 */
final class WebSocketReader {
  /** Receives what the reader reads. */
  interface FrameCallback {
    void onReadMessage(String text) throws IOException;

    void onReadMessage(ByteString bytes) throws IOException;

    void onReadPing(ByteString payload);

    void onReadPong(ByteString payload);

    /** Called for a close frame; {@code code} is 1005 if it carried none. */
    void onReadClose(int code, String reason);
  }

  private final BufferedSource source;
  private final FrameCallback callback;
  private final long maxMessageBytes;
  private final String peer;
  private final Buffer message = new Buffer();
  /** Null unless permessage-deflate was agreed. */
  private final MessageInflater inflater;

  // The header of the frame being read.
  private int opcode;
  private boolean fin;
  private boolean compressed;
  private long payloadLength;

  WebSocketReader(BufferedSource source, FrameCallback callback, long maxMessageBytes, String peer) {
    this(source, callback, maxMessageBytes, peer, null);
  }

  /** Creates a reader that inflates compressed messages with {@code inflater}, if not null. */
  WebSocketReader(BufferedSource source, FrameCallback callback, long maxMessageBytes, String peer,
      MessageInflater inflater) {
    this.source = source;
    this.callback = callback;
    this.maxMessageBytes = maxMessageBytes;
    this.peer = peer;
    this.inflater = inflater;
  }

  /** Frees the inflater's memory; the reader reads no more. */
  void close() {
    if (inflater != null) {
      inflater.close();
    }
  }

  /**
   * Reads one whole message (with any control frames between its fragments) or one control frame,
   * and reports it to the callback.
   */
  void processNextFrame() throws IOException {
    readHeader();
    if ((opcode & OPCODE_FLAG_CONTROL) != 0) {
      readControlFrame();
      return;
    }
    if (opcode == OPCODE_CONTINUATION) {
      throw violation("an unexpected continuation frame: no message was in progress",
          WebSocket.PROTOCOL_ERROR);
    }
    if (opcode != OPCODE_TEXT && opcode != OPCODE_BINARY) {
      throw violation("a frame with the unknown opcode " + opcode, WebSocket.PROTOCOL_ERROR);
    }
    readMessage(opcode);
  }

  private void readMessage(int messageOpcode) throws IOException {
    boolean messageCompressed = compressed;
    message.clear();
    while (true) {
      if (payloadLength > maxMessageBytes - message.size()) {
        throw violation("a message of more than " + maxMessageBytes + " bytes",
            WebSocket.MESSAGE_TOO_BIG);
      }
      source.readFully(message, payloadLength);
      if (fin) {
        break;
      }
      // Control frames may come between the fragments of a message (RFC 6455 §5.4).
      readHeader();
      while ((opcode & OPCODE_FLAG_CONTROL) != 0) {
        readControlFrame();
        readHeader();
      }
      if (opcode != OPCODE_CONTINUATION) {
        throw violation("a frame with opcode " + opcode + " where a continuation frame was expected",
            WebSocket.PROTOCOL_ERROR);
      }
    }
    if (messageCompressed) {
      inflater.inflate(message, maxMessageBytes);
    }
    if (messageOpcode == OPCODE_TEXT) {
      callback.onReadMessage(decodeUtf8(message.readByteString(), "a text message"));
    } else {
      callback.onReadMessage(message.readByteString());
    }
  }

  private void readHeader() throws IOException {
    int b0 = source.readByte() & 0xff;
    opcode = b0 & B0_MASK_OPCODE;
    fin = (b0 & B0_FLAG_FIN) != 0;
    compressed = (b0 & B0_FLAG_RSV1) != 0;
    int reserved = b0 & B0_MASK_RSV;
    if (reserved != 0) {
      if (inflater == null) {
        // No extension was negotiated, so no reserved bit has a meaning.
        throw violation("a frame with reserved bits set (0x" + Integer.toHexString(reserved)
            + ") but no extension was negotiated", WebSocket.PROTOCOL_ERROR);
      }
      if (reserved != B0_FLAG_RSV1) {
        throw violation("a frame with reserved bits set (0x" + Integer.toHexString(reserved)
            + ") that permessage-deflate does not define", WebSocket.PROTOCOL_ERROR);
      }
      if (opcode != OPCODE_TEXT && opcode != OPCODE_BINARY) {
        // Only the first frame of a data message says whether the message is compressed.
        throw violation("a frame with opcode " + opcode + " and RSV1 set; only the first frame "
            + "of a text or binary message may set it", WebSocket.PROTOCOL_ERROR);
      }
    }
    int b1 = source.readByte() & 0xff;
    if ((b1 & B1_FLAG_MASK) != 0) {
      throw violation("a masked frame: servers must not mask their frames",
          WebSocket.PROTOCOL_ERROR);
    }
    int length = b1 & B1_MASK_LENGTH;
    if (length == PAYLOAD_SHORT) {
      payloadLength = source.readShort() & 0xffffL;
    } else if (length == PAYLOAD_LONG) {
      payloadLength = source.readLong();
      if (payloadLength < 0L) {
        throw violation("a frame length with the most significant bit set",
            WebSocket.PROTOCOL_ERROR);
      }
    } else {
      payloadLength = length;
    }
    if ((opcode & OPCODE_FLAG_CONTROL) != 0) {
      if (!fin) {
        throw violation("a fragmented control frame", WebSocket.PROTOCOL_ERROR);
      }
      if (payloadLength > MAX_CONTROL_PAYLOAD) {
        throw violation("a control frame of " + payloadLength + " bytes; at most "
            + MAX_CONTROL_PAYLOAD + " are allowed", WebSocket.PROTOCOL_ERROR);
      }
    }
  }

  private void readControlFrame() throws IOException {
    ByteString payload = source.readByteString(payloadLength);
    switch (opcode) {
      case OPCODE_PING:
        callback.onReadPing(payload);
        break;
      case OPCODE_PONG:
        callback.onReadPong(payload);
        break;
      case OPCODE_CLOSE:
        readClose(payload);
        break;
      default:
        throw violation("a control frame with the unknown opcode " + opcode,
            WebSocket.PROTOCOL_ERROR);
    }
  }

  private void readClose(ByteString payload) throws IOException {
    if (payload.size() == 1) {
      throw violation("a close frame with a 1-byte payload", WebSocket.PROTOCOL_ERROR);
    }
    if (payload.size() == 0) {
      callback.onReadClose(WebSocketProtocol.CLOSE_NO_STATUS_CODE, "");
      return;
    }
    int code = ((payload.getByte(0) & 0xff) << 8) | (payload.getByte(1) & 0xff);
    String problem = WebSocketProtocol.closeCodeProblem(code);
    if (problem != null) {
      throw violation("a close frame with an invalid code: " + problem, WebSocket.PROTOCOL_ERROR);
    }
    String reason = decodeUtf8(payload.substring(2), "a close reason");
    callback.onReadClose(code, reason);
  }

  private String decodeUtf8(ByteString bytes, String what) throws WebSocketProtocolException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw violation(what + " that is not valid UTF-8", WebSocket.INVALID_PAYLOAD);
    }
  }

  private WebSocketProtocolException violation(String what, int closeCode) {
    return new WebSocketProtocolException("WebSocket server " + peer + " sent " + what
        + " (closing with " + closeCode + ")", closeCode);
  }
}
