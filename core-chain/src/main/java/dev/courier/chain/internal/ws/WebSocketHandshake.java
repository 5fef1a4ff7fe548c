package dev.courier.chain.internal.ws;

import dev.courier.Request;
import dev.courier.Response;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Builds the request of a WebSocket's opening handshake and checks the server's answer (RFC 6455
 * §4.1): {@code Upgrade: websocket}, a {@code Connection} naming {@code upgrade}, the {@code
 * Sec-WebSocket-Accept} derived from this handshake's key, no extension but an offered
 * permessage-deflate with parameters Courier can honour (see {@link PermessageDeflate}) and no
 * subprotocol that was not offered. Immutable.
 */
final class WebSocketHandshake {
  private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

  private final String key;
  private final boolean offerCompression;

  /** Creates a handshake whose key is 16 bytes from {@code random}, offering no extension. */
  WebSocketHandshake(Random random) {
    this(random, false);
  }

  /**
   * Creates a handshake whose key is 16 bytes from {@code random}, offering permessage-deflate if
   * {@code offerCompression}.
   */
  WebSocketHandshake(Random random, boolean offerCompression) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    this.key = Base64.getEncoder().encodeToString(nonce);
    this.offerCompression = offerCompression;
  }

  /** Returns {@code request} with the headers that ask to switch to WebSocket. */
  Request request(Request request) {
    Request.Builder builder = request.newBuilder()
        .header("Upgrade", "websocket")
        .header("Connection", "Upgrade")
        .header("Sec-WebSocket-Key", key)
        .header("Sec-WebSocket-Version", "13");
    if (offerCompression) {
      // Courier speaks no other extension, so its offer replaces any the caller set.
      builder.header(EXTENSIONS, PermessageDeflate.NAME);
    }
    return builder.build();
  }

  /**
   * Returns the permessage-deflate parameters the server agreed to in {@code response}, or null
   * if it agreed to none. Call it once {@link #problem} found none.
   */
  PermessageDeflate compression(Response response) {
    return PermessageDeflate.parse(response.headers().values(EXTENSIONS), offerCompression);
  }

  /**
   * Returns {@code request} as an extended CONNECT over HTTP/2 carries it (RFC 8441 §5): without
   * {@code Upgrade}, {@code Connection} and {@code Sec-WebSocket-Key}, which HTTP/2 does not use;
   * {@code Sec-WebSocket-Version} and any offered subprotocols and extensions stay.
   */
  static Request overHttp2(Request request) {
    return request.newBuilder()
        .removeHeader("Upgrade")
        .removeHeader("Connection")
        .removeHeader("Sec-WebSocket-Key")
        .build();
  }

  /**
   * Returns why {@code response} to {@code request} does not open a WebSocket, or null if it does.
   * A {@code 101} (HTTP/1.1) must carry the Upgrade headers and the key's accept value; a
   * {@code 200} to an extended CONNECT (HTTP/2) carries neither.
   */
  String problem(Request request, Response response) {
    if (response.code() == 101) {
      String upgradeProblem = upgradeProblem(response);
      if (upgradeProblem != null) {
        return upgradeProblem;
      }
    }
    try {
      compression(response);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    String protocol = response.header("Sec-WebSocket-Protocol");
    if (protocol != null) {
      List<String> offered = request.headers().values("Sec-WebSocket-Protocol");
      boolean wasOffered = false;
      for (String value : offered) {
        wasOffered |= hasToken(value, protocol.trim());
      }
      if (!wasOffered) {
        return "the server chose the subprotocol '" + protocol + "', which was not offered";
      }
    }
    return null;
  }

  /** Returns why a {@code 101} does not switch to WebSocket, or null if it does. */
  private String upgradeProblem(Response response) {
    String upgrade = response.header("Upgrade");
    if (!"websocket".equalsIgnoreCase(upgrade)) {
      return "expected 'Upgrade: websocket' but was '" + upgrade + "'";
    }
    String connection = response.header("Connection");
    if (connection == null || !hasToken(connection, "upgrade")) {
      return "expected 'Connection: upgrade' but was '" + connection + "'";
    }
    String accept = response.header("Sec-WebSocket-Accept");
    String expected = WebSocketProtocol.acceptHeader(key);
    if (!expected.equals(accept)) {
      return "expected 'Sec-WebSocket-Accept: " + expected + "' but was '" + accept + "'";
    }
    return null;
  }

  private static boolean hasToken(String list, String token) {
    for (String element : list.split(",")) {
      if (element.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }
}
