package dev.courier;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Makes the values of {@code Authorization} and {@code Proxy-Authorization} fields. */
public final class Credentials {
  private Credentials() {}

  /**
   * Returns {@code Basic} credentials (RFC 7617) for {@code user} and {@code password} encoded as
   * UTF-8, such as {@code Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==}.
   *
   * @throws IllegalArgumentException as {@link #basic(String, String, Charset)} does
   */
  public static String basic(String user, String password) {
    return basic(user, password, StandardCharsets.UTF_8);
  }

  /**
   * Returns {@code Basic} credentials (RFC 7617): {@code user:password} encoded with {@code
   * charset}, then in Base64. A server that names {@code charset="UTF-8"} in its challenge expects
   * UTF-8; older servers may expect ISO-8859-1. Basic credentials are only encoded, not encrypted:
   * send them over https.
   *
   * @throws IllegalArgumentException if the user holds a colon (RFC 7617 §2 forbids it: the server
   *     would split the pair there), or either holds a control character; the message never shows
   *     the password
   */
  public static String basic(String user, String password, Charset charset) {
    if (user.indexOf(':') != -1) {
      throw new IllegalArgumentException("user holds a colon, which Basic credentials cannot carry: " + user);
    }
    checkNoControls("user", user);
    checkNoControls("password", password);
    byte[] pair = (user + ":" + password).getBytes(charset);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }

  private static void checkNoControls(String what, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(what + " holds control character 0x"
            + Integer.toHexString(c) + " at " + i + ", which Basic credentials must not carry");
      }
    }
  }
}
