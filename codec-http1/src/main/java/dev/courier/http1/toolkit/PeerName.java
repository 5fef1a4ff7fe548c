package dev.courier.http1.toolkit;

import dev.courier.Address;

/**
 * Describes a peer for error messages the way every Courier codec does: {@code host:port}, with
 * an IPv6 literal in brackets, such as {@code example.com:443} or {@code [::1]:8080}. Stateless.
 */
public final class PeerName {
  private PeerName() {}

  /** Returns {@code address}'s host and port as {@code host:port}. */
  public static String of(Address address) {
    String host = address.host();
    return host.indexOf(':') != -1
        ? "[" + host + "]:" + address.port()
        : host + ":" + address.port();
  }
}
