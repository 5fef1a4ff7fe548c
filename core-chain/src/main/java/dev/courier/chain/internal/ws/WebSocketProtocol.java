package dev.courier.chain.internal.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Holds the constants of RFC 6455 and the rules on keys and close codes. */
final class WebSocketProtocol {
  /** The GUID appended to the key before hashing it into the accept value (RFC 6455 §1.3). */
  private static final String ACCEPT_MAGIC = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  static final int OPCODE_CONTINUATION = 0x0;
  static final int OPCODE_TEXT = 0x1;
  static final int OPCODE_BINARY = 0x2;
  static final int OPCODE_CLOSE = 0x8;
  static final int OPCODE_PING = 0x9;
  static final int OPCODE_PONG = 0xa;

  static final int B0_FLAG_FIN = 0x80;
  static final int B0_MASK_RSV = 0x70;
  /** The reserved bit permessage-deflate uses to mark a compressed message (RFC 7692 §6). */
  static final int B0_FLAG_RSV1 = 0x40;
  static final int B0_MASK_OPCODE = 0x0f;
  static final int OPCODE_FLAG_CONTROL = 0x08;
  static final int B1_FLAG_MASK = 0x80;
  static final int B1_MASK_LENGTH = 0x7f;

  /** The largest payload of a control frame. */
  static final int MAX_CONTROL_PAYLOAD = 125;
  /** The largest reason of a close frame: the control payload less the 2-byte code. */
  static final int MAX_CLOSE_REASON_BYTES = MAX_CONTROL_PAYLOAD - 2;

  static final int PAYLOAD_SHORT = 126;
  static final int PAYLOAD_LONG = 127;
  static final int PAYLOAD_BYTE_MAX = 125;
  static final int PAYLOAD_SHORT_MAX = 0xffff;

  /** The code reported when a close frame carried none; never sent (RFC 6455 §7.4.1). */
  static final int CLOSE_NO_STATUS_CODE = 1005;

  private WebSocketProtocol() {}

  /** Returns the {@code Sec-WebSocket-Accept} value a server must answer {@code key} with. */
  static String acceptHeader(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest((key + ACCEPT_MAGIC).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-1 is required of every Java platform", e);
    }
  }

  /**
   * Returns null if {@code code} may appear in a close frame, else why not: 1000–1003, 1007–1014
   * (the registered ones) and 3000–4999 (libraries and applications) may; 1004–1006 and 1015 are
   * reserved for reporting and never sent.
   */
  static String closeCodeProblem(int code) {
    if (code < 1000 || code >= 5000) {
      return "Code must be in range [1000,5000): " + code;
    }
    if ((code >= 1004 && code <= 1006) || (code >= 1015 && code <= 2999)) {
      return "Code " + code + " is reserved and may not be used";
    }
    return null;
  }
}
