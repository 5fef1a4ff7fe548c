package dev.courier.tls;

import dev.courier.Handshake;
import dev.courier.Protocol;
import java.util.Objects;
import javax.net.ssl.SSLSocket;

/**
 * Holds the outcome of a successful {@link TlsConnector#connect TLS connect}: the TLS socket
 * layered over the TCP socket, the verified handshake and the protocol negotiated with ALPN.
 * Immutable.
 *
 * @param socket the TLS socket; closing it closes the TCP socket beneath
 * @param handshake the handshake, whose peer certificates were verified for the host
 * @param negotiated the protocol chosen by the server with ALPN, or {@link Protocol#HTTP_1_1} if
 *     the server did not choose one
 */
public record TlsResult(SSLSocket socket, Handshake handshake, Protocol negotiated) {
  /** Rejects null parts. */
  public TlsResult {
    Objects.requireNonNull(socket, "socket == null");
    Objects.requireNonNull(handshake, "handshake == null");
    Objects.requireNonNull(negotiated, "negotiated == null");
  }
}
