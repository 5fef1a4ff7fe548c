package dev.courier.internal;

import dev.courier.Headers;
import java.net.ProtocolException;
import java.util.Locale;

/**
 * Checks request trailers before a codec sends them. Internal: not part of Courier's public API
 * and may change without notice. Thread-safe.
 *
 * <p>RFC 9110 §6.5.1 keeps out of trailers the fields a recipient needs before the content:
 * framing, routing, connection control, request modifiers, authentication and content
 * processing. Courier refuses these, case-insensitively:
 *
 * <ul>
 *   <li>framing: {@code Content-Length}, {@code Transfer-Encoding}, {@code Trailer}, {@code TE};
 *   <li>routing and connection: {@code Host}, {@code Connection}, {@code Keep-Alive}, {@code
 *       Proxy-Connection}, {@code Upgrade};
 *   <li>request modifiers: {@code Expect}, {@code Range};
 *   <li>authentication: {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie},
 *       {@code Set-Cookie};
 *   <li>content processing: {@code Content-Type}, {@code Content-Encoding}, {@code
 *       Content-Range};
 *   <li>HTTP/2 pseudo-header fields (names starting with {@code :}).
 * </ul>
 */
public final class TrailerFields {
  private TrailerFields() {}

  /**
   * Throws if {@code trailers} holds a field that may not be sent as a trailer.
   *
   * @param peer names the server in the message, as {@code host:port} or {@code host}
   * @throws ProtocolException naming the field and the server
   */
  public static void checkSendable(Headers trailers, String peer) throws ProtocolException {
    for (int i = 0, size = trailers.size(); i < size; i++) {
      String name = trailers.name(i);
      if (isForbidden(name)) {
        throw new ProtocolException("Request to " + peer + " has the trailer field " + name
            + ", which may not be sent in trailers (RFC 9110 §6.5.1)");
      }
    }
  }

  /** Returns true if a field named {@code name} may not be sent as a trailer. */
  public static boolean isForbidden(String name) {
    if (name.startsWith(":")) {
      return true;
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "content-length":
      case "transfer-encoding":
      case "trailer":
      case "te":
      case "host":
      case "connection":
      case "keep-alive":
      case "proxy-connection":
      case "upgrade":
      case "expect":
      case "range":
      case "authorization":
      case "proxy-authorization":
      case "cookie":
      case "set-cookie":
      case "content-type":
      case "content-encoding":
      case "content-range":
        return true;
      default:
        return false;
    }
  }
}
