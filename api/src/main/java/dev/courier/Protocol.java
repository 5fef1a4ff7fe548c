package dev.courier;

import java.io.IOException;
import java.util.Objects;

/**
 * Names a protocol Courier can speak with a server, by its identifier in ALPN.
 *
 * <p>The constants are the protocols Courier knows. The set is open: a {@link
 * dev.courier.spi.ProtocolConnectionProvider} may announce a protocol Courier does not know with
 * {@link #of(String, boolean)}, and such a protocol is offered in ALPN like the known ones when a
 * provider speaks it and the client lists it. Two protocols are equal when their identifiers are;
 * {@link #of} returns the constant for a known identifier, so comparing known protocols with
 * {@code ==} keeps working. Immutable.
 */
public final class Protocol {
  /**
   * HTTP/1.0, which closes connections by default. Never offered in ALPN; a provider speaking it
   * serves cleartext and {@code http/1.1}-negotiated connections when the user chooses it.
   */
  public static final Protocol HTTP_1_0 = new Protocol("HTTP_1_0", "http/1.0", false);
  /** HTTP/1.1 with persistent connections (RFC 9112). */
  public static final Protocol HTTP_1_1 = new Protocol("HTTP_1_1", "http/1.1", false);
  /** HTTP/2 over TLS, negotiated with ALPN (RFC 9113). */
  public static final Protocol HTTP_2 = new Protocol("HTTP_2", "h2", true);
  /**
   * HTTP/2 over cleartext without an upgrade: the client sends the HTTP/2 preface directly. Used
   * only when the user lists it, and then alone, since a cleartext server cannot say which it speaks.
   */
  public static final Protocol H2_PRIOR_KNOWLEDGE =
      new Protocol("H2_PRIOR_KNOWLEDGE", "h2_prior_knowledge", true);

  private static final Protocol[] KNOWN = {HTTP_1_0, HTTP_1_1, HTTP_2, H2_PRIOR_KNOWLEDGE};

  private final String name;
  private final String id;
  private final boolean multiplexed;

  private Protocol(String name, String id, boolean multiplexed) {
    this.name = name;
    this.id = id;
    this.multiplexed = multiplexed;
  }

  /**
   * Returns the protocol identified by {@code id}: the constant if Courier knows the identifier,
   * else a new protocol that Courier does not know, such as {@code of("h3", true)}.
   *
   * @param id the ALPN identifier: 1 to 255 printable ASCII characters, no spaces
   * @param multiplexed whether the protocol carries many exchanges at once on one connection
   * @throws IllegalArgumentException if {@code id} is not a valid identifier, or names a known
   *     protocol whose multiplexing differs from {@code multiplexed}
   */
  public static Protocol of(String id, boolean multiplexed) {
    Objects.requireNonNull(id, "id == null");
    Protocol known = known(id);
    if (known != null) {
      if (known.multiplexed != multiplexed) {
        throw new IllegalArgumentException("Protocol " + id + " is " + (known.multiplexed ? "" : "not ")
            + "multiplexed");
      }
      return known;
    }
    if (id.isEmpty() || id.length() > 255) {
      throw new IllegalArgumentException("Protocol id must be 1 to 255 characters: '" + id + "'");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException("Protocol id must be printable ASCII without spaces: '"
            + id.replace("\r", "\\r").replace("\n", "\\n") + "'");
      }
    }
    return new Protocol(id, id, multiplexed);
  }

  /**
   * Returns the known protocol identified by {@code id}. A protocol Courier does not know is found
   * only through the provider that announced it, or {@link #of}.
   *
   * @throws IOException if {@code id} names no known protocol
   */
  public static Protocol get(String id) throws IOException {
    Protocol known = known(id);
    if (known == null) {
      throw new IOException("Unexpected protocol: " + id);
    }
    return known;
  }

  /**
   * Returns the known protocol whose constant is named {@code name}, such as {@code "HTTP_2"}, as
   * the enum this class replaced did.
   *
   * @throws IllegalArgumentException if no constant has that name
   */
  public static Protocol valueOf(String name) {
    Objects.requireNonNull(name, "name == null");
    for (Protocol protocol : KNOWN) {
      if (protocol.name.equals(name)) {
        return protocol;
      }
    }
    throw new IllegalArgumentException("No Protocol constant named " + name);
  }

  /** Returns the protocols Courier knows, in declaration order; a new array on each call. */
  public static Protocol[] values() {
    return KNOWN.clone();
  }

  /** Returns true if Courier knows this protocol: it is one of the constants. */
  public boolean isKnown() {
    return known(id) == this;
  }

  /** Returns the ALPN identifier, such as {@code "h2"}. */
  public String id() {
    return id;
  }

  /**
   * Returns the constant's name for a known protocol, such as {@code "HTTP_2"}, else the
   * identifier.
   */
  public String name() {
    return name;
  }

  /** Returns true for the protocols that carry many exchanges at once on one connection. */
  public boolean isMultiplexed() {
    return multiplexed;
  }

  /** Returns true if {@code other} is a protocol with the same identifier. */
  @Override
  public boolean equals(Object other) {
    return other == this || (other instanceof Protocol that && that.id.equals(id));
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  /** Returns the ALPN identifier. */
  @Override
  public String toString() {
    return id;
  }

  private static Protocol known(String id) {
    for (Protocol protocol : KNOWN) {
      if (protocol.id.equals(id)) {
        return protocol;
      }
    }
    return null;
  }
}
