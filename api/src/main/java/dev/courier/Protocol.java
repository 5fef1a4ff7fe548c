package dev.courier;

import java.io.IOException;

/**
 * Names the protocols that Courier can speak with a server, by the identifiers used in ALPN.
 */
public enum Protocol {
  /** HTTP/1.0, which closes connections by default. Only ever received, never offered. */
  HTTP_1_0("http/1.0"),
  /** HTTP/1.1 with persistent connections (RFC 9112). */
  HTTP_1_1("http/1.1"),
  /** HTTP/2 over TLS, negotiated with ALPN (RFC 9113). */
  HTTP_2("h2"),
  /**
   * HTTP/2 over cleartext without an upgrade: the client sends the HTTP/2 preface directly. Used
   * only when the user lists it, and then alone, since a cleartext server cannot say which it speaks.
   */
  H2_PRIOR_KNOWLEDGE("h2_prior_knowledge");

  private final String id;

  Protocol(String id) {
    this.id = id;
  }

  /** Returns the ALPN identifier, such as {@code "h2"}. */
  public String id() {
    return id;
  }

  /** Returns true for the protocols that carry many exchanges at once on one connection. */
  public boolean isMultiplexed() {
    return this == HTTP_2 || this == H2_PRIOR_KNOWLEDGE;
  }

  /**
   * Returns the protocol identified by {@code id}.
   *
   * @throws IOException if {@code id} names no known protocol
   */
  public static Protocol get(String id) throws IOException {
    for (Protocol protocol : values()) {
      if (protocol.id.equals(id)) {
        return protocol;
      }
    }
    throw new IOException("Unexpected protocol: " + id);
  }

  /** Returns the ALPN identifier. */
  @Override
  public String toString() {
    return id;
  }
}
