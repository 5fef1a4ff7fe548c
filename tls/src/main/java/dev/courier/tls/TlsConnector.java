package dev.courier.tls;

import dev.courier.Address;
import dev.courier.CertificatePinner;
import dev.courier.ConnectionSpec;
import dev.courier.Handshake;
import dev.courier.Protocol;
import dev.courier.internal.WatchedOperation;
import dev.courier.tls.internal.IpLiterals;
import dev.courier.tls.internal.TlsFailures;
import java.io.IOException;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import okio.Timeout;

/**
 * Layers TLS over an established TCP socket for an {@link Address}: the TLS versions and cipher
 * suites of the address's {@linkplain Address#connectionSpecs() connection spec}, SNI, ALPN, the
 * handshake, hostname verification with the address's verifier, and certificate pinning with the
 * address's pinner.
 *
 * <p>Stateless and thread-safe.
 */
public final class TlsConnector {
  private TlsConnector() {}

  /**
   * Performs the TLS handshake over {@code rawSocket} for {@code address} and verifies the server.
   *
   * <p>The socket offers the TLS versions and cipher suites of the address's first TLS connection
   * spec that has a version and a suite in common with what the socket enables (by default {@link
   * ConnectionSpec#MODERN_TLS}: TLSv1.3 and TLSv1.2), no others; it sends the host as SNI, without
   * a trailing dot, unless it is an IP literal or a single label such as {@code localhost} (the
   * JDK's rule: SNI names a fully qualified host), and offers the ALPN ids of {@code alpnOffer} (except {@code h2_prior_knowledge} and
   * {@code http/1.0}, which are never negotiated with ALPN). After the handshake the address's
   * hostname verifier must accept the host, and its certificate pinner must accept the peer's
   * chain. On any failure the TLS socket, and with it {@code rawSocket}, is closed.
   *
   * @param rawSocket a connected TCP socket (possibly a tunnel through a proxy)
   * @param address a TLS address: its socket factory, verifier and pinner are used
   * @param alpnOffer the protocols to offer with ALPN, most preferred first; may be empty
   * @param handshakeTimeoutMillis the longest the handshake may take; 0 for none. It is enforced
   *     by closing the socket, not by the socket's read timeout (which would leave the socket
   *     non-blocking), so the socket's read timeout is 0 during the handshake and restored
   *     afterwards.
   * @return the TLS socket, handshake and negotiated protocol ({@link Protocol#HTTP_1_1} if the
   *     server chose none)
   * @throws SSLHandshakeException if the handshake fails (the message names host:port and what was
   *     offered; the JDK's exception is the cause), or, before the handshake, if no TLS connection
   *     spec has a version and a cipher suite in common with the socket (the message names the
   *     host, what the specs ask for and what the socket enables)
   * @throws SSLPeerUnverifiedException if the certificate does not match the host, naming the
   *     host and the certificate's subject alternative names, or if pinning fails
   * @throws java.net.SocketTimeoutException naming host:port if the handshake outlasted {@code
   *     handshakeTimeoutMillis}; the socket is then closed
   * @throws IOException if the server chose a protocol that was not offered, or on I/O failure
   * @throws IllegalArgumentException if {@code address} is not a TLS address
   */
  public static TlsResult connect(Socket rawSocket, Address address, List<Protocol> alpnOffer,
      int handshakeTimeoutMillis) throws IOException {
    Objects.requireNonNull(rawSocket, "rawSocket == null");
    if (!address.isHttps()) {
      throw new IllegalArgumentException("Not a TLS address: " + address);
    }
    if (handshakeTimeoutMillis < 0) {
      throw new IllegalArgumentException("handshakeTimeoutMillis < 0: " + handshakeTimeoutMillis);
    }
    String host = address.host();
    SSLSocket sslSocket;
    try {
      sslSocket = (SSLSocket) address.sslSocketFactory()
          .createSocket(rawSocket, host, address.port(), true);
    } catch (IOException | RuntimeException e) {
      closeQuietly(rawSocket);
      throw e;
    }
    boolean success = false;
    try {
      List<String> offered = alpnIds(alpnOffer);
      configure(sslSocket, address, offered);

      handshake(rawSocket, sslSocket, address, handshakeTimeoutMillis);

      Handshake handshake = Handshake.get(sslSocket.getSession());
      if (!address.hostnameVerifier().verify(host, sslSocket.getSession())) {
        throw hostnameNotVerified(host, handshake.peerCertificates());
      }
      address.certificatePinner().check(host, handshake.peerCertificates());
      Protocol negotiated = negotiatedProtocol(sslSocket, host, offered, alpnOffer);
      success = true;
      return new TlsResult(sslSocket, handshake, negotiated);
    } finally {
      if (!success) {
        closeQuietly(sslSocket);
      }
    }
  }

  /**
   * Runs the handshake with the socket's own timeout cleared and the watchdog closing {@code
   * rawSocket} if it outlasts {@code timeoutMillis}: a timed read would leave the socket
   * non-blocking for good, so that every later read finding no data cost a poll as well. Restores
   * the socket's timeout afterwards.
   */
  private static void handshake(Socket rawSocket, SSLSocket sslSocket, Address address, int timeoutMillis)
      throws IOException {
    int previousTimeout = sslSocket.getSoTimeout();
    if (previousTimeout != 0) {
      sslSocket.setSoTimeout(0);
    }
    WatchedOperation handshake = WatchedOperation.onSocket(rawSocket, "TLS handshake with "
        + address.host() + ":" + address.port() + " timed out after " + timeoutMillis + " ms");
    boolean timed = handshake.begin(new Timeout().timeout(timeoutMillis, TimeUnit.MILLISECONDS));
    try {
      sslSocket.startHandshake();
      if (timed && handshake.timedOut()) {
        throw handshake.failure(null); // Done as the watchdog closed the socket.
      }
    } catch (IOException e) {
      if (handshake.timedOut()) {
        throw handshake.failure(e);
      }
      if (e instanceof SSLHandshakeException) {
        throw TlsFailures.handshakeFailed((SSLHandshakeException) e, address, sslSocket);
      }
      throw e;
    } finally {
      if (timed) {
        handshake.end();
      }
    }
    if (previousTimeout != 0) {
      sslSocket.setSoTimeout(previousTimeout);
    }
  }

  private static void configure(SSLSocket sslSocket, Address address, List<String> alpnIds)
      throws SSLHandshakeException {
    List<String> enabledVersions = List.of(sslSocket.getEnabledProtocols());
    List<String> enabledSuites = List.of(sslSocket.getEnabledCipherSuites());
    ConnectionSpec spec = null;
    for (ConnectionSpec candidate : address.connectionSpecs()) {
      if (candidate.isCompatible(enabledVersions, enabledSuites)) {
        spec = candidate;
        break;
      }
    }
    if (spec == null) {
      throw TlsFailures.nothingInCommon(address, enabledVersions, enabledSuites);
    }
    String host = address.host();
    SSLParameters parameters = sslSocket.getSSLParameters();
    parameters.setProtocols(ConnectionSpec.intersect(spec.tlsVersions(), enabledVersions)
        .toArray(new String[0]));
    if (spec.cipherSuites() != null) {
      parameters.setCipherSuites(ConnectionSpec.intersect(spec.cipherSuites(), enabledSuites)
          .toArray(new String[0]));
    }
    String sniName = sniHostName(host);
    if (sniName != null) {
      try {
        parameters.setServerNames(List.<SNIServerName>of(new SNIHostName(sniName)));
      } catch (IllegalArgumentException e) {
        // Not a valid SNI name (such as a label with an underscore): connect without SNI.
      }
    }
    if (!alpnIds.isEmpty()) {
      parameters.setApplicationProtocols(alpnIds.toArray(new String[0]));
    }
    sslSocket.setSSLParameters(parameters);
  }

  /**
   * Returns the name to send as SNI for {@code host}, by the JDK's own rule for the host a TLS
   * socket is created for: the host without a trailing dot, if that has a dot after its first
   * character and is not an IP literal (RFC 6066 section 3 permits neither literal addresses nor,
   * as it asks for a fully qualified name, single labels such as {@code localhost}); otherwise
   * null, and no SNI is sent. So a client on the JDK's TLS sends the same SNI through Courier as
   * through {@code HttpsURLConnection}, and a single-label name does not start {@link
   * java.net.IDN} and its Unicode tables just to be checked.
   */
  static String sniHostName(String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.indexOf('.') <= 0 || name.endsWith(".") || IpLiterals.isIpLiteral(name)) {
      return null;
    }
    return name;
  }

  private static List<String> alpnIds(List<Protocol> alpnOffer) {
    List<String> result = new ArrayList<>(alpnOffer.size());
    for (Protocol protocol : alpnOffer) {
      if (protocol != Protocol.H2_PRIOR_KNOWLEDGE && protocol != Protocol.HTTP_1_0
          && !result.contains(protocol.id())) {
        result.add(protocol.id());
      }
    }
    return result;
  }

  private static Protocol negotiatedProtocol(SSLSocket sslSocket, String host, List<String> offered,
      List<Protocol> alpnOffer) throws IOException {
    String id = sslSocket.getApplicationProtocol();
    if (id == null || id.isEmpty()) {
      return Protocol.HTTP_1_1;
    }
    if (!offered.contains(id)) {
      throw new IOException("Server " + host + " negotiated ALPN protocol '" + id
          + "', which was not offered; offered " + offered);
    }
    for (Protocol protocol : alpnOffer) {
      if (protocol.id().equals(id)) {
        return protocol; // Possibly one Courier does not know, announced by a provider.
      }
    }
    return Protocol.get(id);
  }

  private static SSLPeerUnverifiedException hostnameNotVerified(String host, List<Certificate> peer) {
    if (peer.isEmpty() || !(peer.get(0) instanceof X509Certificate)) {
      return new SSLPeerUnverifiedException("Hostname " + host
          + " not verified (no X.509 certificates presented by the server)");
    }
    X509Certificate leaf = (X509Certificate) peer.get(0);
    return new SSLPeerUnverifiedException("Hostname " + host + " not verified:"
        + "\n    certificate: " + CertificatePinner.pin(leaf)
        + "\n    DN: " + leaf.getSubjectX500Principal().getName()
        + "\n    subjectAltNames: " + StrictHostnameVerifier.subjectAltNames(leaf));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException | RuntimeException ignored) {
      // Closing after a failure: the original failure is what matters.
    }
  }
}
