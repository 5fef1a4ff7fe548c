package dev.courier.tls.internal;

import dev.courier.Address;
import dev.courier.ConnectionSpec;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

/**
 * Words TLS connect failures so that they name the host and port and what was offered: the JDK's
 * handshake failures ("Received fatal alert: protocol_version") say neither.
 */
public final class TlsFailures {
  private TlsFailures() {}

  /**
   * Returns the failure for a socket that has no TLS version and cipher suite in common with any of
   * the address's connection specs, naming what the specs ask for and what the socket enables.
   */
  public static SSLHandshakeException nothingInCommon(Address address, List<String> enabledVersions,
      List<String> enabledSuites) {
    List<ConnectionSpec> tlsSpecs = new ArrayList<>();
    for (ConnectionSpec spec : address.connectionSpecs()) {
      if (spec.isTls()) {
        tlsSpecs.add(spec);
      }
    }
    String peer = peer(address.host(), address.port());
    if (tlsSpecs.isEmpty()) {
      return new SSLHandshakeException("Cannot connect to " + peer + " over TLS: the client's "
          + "connection specs " + address.connectionSpecs() + " hold no TLS spec");
    }
    return new SSLHandshakeException("Cannot connect to " + peer + ": no TLS version and cipher "
        + "suite in common between the client's connection specs and the TLS socket; the specs ask for "
        + tlsSpecs + ", the socket enables " + enabledVersions + " with cipher suites " + enabledSuites);
  }

  /**
   * Returns {@code failure} reworded to name the peer and what was offered, keeping it as the
   * cause (a certificate failure stays findable among the causes).
   */
  public static SSLHandshakeException handshakeFailed(SSLHandshakeException failure, Address address,
      SSLSocket socket) {
    String message = "TLS handshake with " + peer(address.host(), address.port()) + " failed: "
        + failure.getMessage();
    if (!isCertificateFailure(failure)) {
      // What was offered explains a version or cipher suite mismatch; for a refused certificate
      // it would only be noise.
      List<String> versions = List.of(socket.getEnabledProtocols());
      String[] suites = socket.getEnabledCipherSuites();
      String suitesOffered = suites.length <= 12 ? List.of(suites).toString()
          : suites.length + " cipher suites (" + String.join(", ", List.of(suites).subList(0, 3)) + ", ...)";
      message += " (offered " + versions + " with " + suitesOffered + ")";
    }
    SSLHandshakeException result = new SSLHandshakeException(message);
    result.initCause(failure);
    return result;
  }

  private static boolean isCertificateFailure(Throwable failure) {
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  /** Returns {@code host:port}, with an IPv6 literal in brackets. */
  static String peer(String host, int port) {
    return host.indexOf(':') != -1 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
