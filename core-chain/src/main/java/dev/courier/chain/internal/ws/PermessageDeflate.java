package dev.courier.chain.internal.ws;

import java.util.List;
import java.util.Locale;

/**
 * Holds the agreed parameters of the permessage-deflate extension (RFC 7692) and reads them from
 * the server's {@code Sec-WebSocket-Extensions}. Courier offers the extension bare: it does not
 * offer {@code client_max_window_bits}, because the JDK's {@link java.util.zip.Deflater} always
 * compresses with a 32 KiB window and cannot honour a smaller one; a server that answers with it
 * anyway (RFC 7692 §7.1.2.2 forbids that) fails the handshake. Any window the server compresses
 * with ({@code server_max_window_bits} 8 to 15) can be inflated. Immutable.
 *
 * @param headerValue the extension as the server answered it
 * @param clientNoContextTakeover whether each message Courier sends is compressed on its own
 * @param serverNoContextTakeover whether the server compresses each message on its own
 * @param serverMaxWindowBits the base-2 logarithm of the server's window, 15 unless it says less
 */
record PermessageDeflate(String headerValue, boolean clientNoContextTakeover,
    boolean serverNoContextTakeover, int serverMaxWindowBits) {
  /** The extension's token, and Courier's whole offer. */
  static final String NAME = "permessage-deflate";

  /**
   * Reads the extensions the server agreed to from the values of its {@code
   * Sec-WebSocket-Extensions} headers.
   *
   * @param offered whether Courier offered permessage-deflate
   * @return the agreed parameters, or null if the server agreed to no extension
   * @throws IllegalArgumentException naming what is wrong if the answer agrees to something that
   *     was not offered or breaks RFC 7692's rules (each parameter at most once, values where
   *     required and nowhere else, windows of 8 to 15 bits)
   */
  static PermessageDeflate parse(List<String> values, boolean offered) {
    String joined = String.join(", ", values).trim();
    if (joined.isEmpty()) {
      return null;
    }
    PermessageDeflate result = null;
    for (String extension : split(joined, ',')) {
      List<String> parts = split(extension, ';');
      String name = parts.get(0).trim();
      if (!name.equalsIgnoreCase(NAME) || !offered) {
        throw new IllegalArgumentException(
            "the server chose the extension '" + extension.trim() + "', which was not offered");
      }
      if (result != null) {
        throw new IllegalArgumentException("the server chose " + NAME + " twice: '" + joined + "'");
      }
      result = parameters(joined, parts.subList(1, parts.size()));
    }
    return result;
  }

  private static PermessageDeflate parameters(String header, List<String> parameters) {
    boolean clientNoContextTakeover = false;
    boolean serverNoContextTakeover = false;
    int serverMaxWindowBits = -1;
    for (String parameter : parameters) {
      int equals = parameter.indexOf('=');
      String name = (equals == -1 ? parameter : parameter.substring(0, equals))
          .trim().toLowerCase(Locale.ROOT);
      String value = equals == -1 ? null : unquote(parameter.substring(equals + 1).trim());
      switch (name) {
        case "client_no_context_takeover" -> {
          requireNoValue(name, value, clientNoContextTakeover);
          clientNoContextTakeover = true;
        }
        case "server_no_context_takeover" -> {
          requireNoValue(name, value, serverNoContextTakeover);
          serverNoContextTakeover = true;
        }
        case "server_max_window_bits" -> {
          if (serverMaxWindowBits != -1) {
            throw new IllegalArgumentException(NAME + " has server_max_window_bits twice");
          }
          serverMaxWindowBits = windowBits(value);
        }
        case "client_max_window_bits" -> throw new IllegalArgumentException("the server asked for "
            + "client_max_window_bits=" + value + ", which Courier does not offer: the JDK's "
            + "Deflater always compresses with a 32 KiB window (15 bits)");
        default -> throw new IllegalArgumentException(
            NAME + " has the unknown parameter '" + parameter.trim() + "'");
      }
    }
    return new PermessageDeflate(header, clientNoContextTakeover, serverNoContextTakeover,
        serverMaxWindowBits == -1 ? 15 : serverMaxWindowBits);
  }

  private static void requireNoValue(String name, String value, boolean seen) {
    if (seen) {
      throw new IllegalArgumentException(NAME + " has " + name + " twice");
    }
    if (value != null) {
      throw new IllegalArgumentException(NAME + " gives " + name + " the value '" + value
          + "', but it takes none");
    }
  }

  private static int windowBits(String value) {
    if (value != null && value.length() <= 2 && !value.isEmpty()
        && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int bits = Integer.parseInt(value);
      if (bits >= 8 && bits <= 15) {
        return bits;
      }
    }
    throw new IllegalArgumentException(
        NAME + " needs server_max_window_bits from 8 to 15, not '" + value + "'");
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  /** Splits {@code list} at {@code separator}s outside quoted strings. */
  private static List<String> split(String list, char separator) {
    List<String> result = new java.util.ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && quoted) {
        i++;
      } else if (c == separator && !quoted) {
        result.add(list.substring(start, i));
        start = i + 1;
      }
    }
    result.add(list.substring(start));
    result.removeIf(String::isBlank);
    return result;
  }
}
