package dev.courier.tls;

import dev.courier.tls.internal.IpLiterals;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Verifies that a server certificate names the host the client meant to reach, using only the
 * certificate's subject alternative names (RFC 6125, RFC 9110 section 4.3.4).
 *
 * <p>The rules:
 * <ul>
 *   <li>A host name matches a DNS name entry, compared case-insensitively (ASCII only) and
 *       ignoring one trailing dot on either side. Host names with non-ASCII characters never
 *       match; they must be given in their punycode form.
 *   <li>An IP literal (IPv4, or IPv6 with or without brackets) matches only an IP address entry
 *       with the same bytes, never a DNS name entry.
 *   <li>The subject's common name is never consulted.
 *   <li>A wildcard is honoured only as the whole leftmost label ({@code *.example.com}); it matches
 *       exactly one non-empty label, so {@code *.example.com} matches {@code www.example.com} but
 *       neither {@code example.com} nor {@code a.b.example.com}. Partial-label wildcards
 *       ({@code w*.example.com}) and a bare {@code *.} never match.
 * </ul>
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class StrictHostnameVerifier implements HostnameVerifier {
  /** The single instance. */
  public static final StrictHostnameVerifier INSTANCE = new StrictHostnameVerifier();

  private static final int SAN_DNS_NAME = 2;
  private static final int SAN_IP_ADDRESS = 7;

  private StrictHostnameVerifier() {}

  /**
   * Returns true if the leaf certificate of {@code session}'s peer matches {@code host}; false if
   * it does not, or if the peer presented no X.509 certificate.
   */
  @Override
  public boolean verify(String host, SSLSession session) {
    if (host == null || session == null) {
      return false;
    }
    try {
      Certificate[] certificates = session.getPeerCertificates();
      return certificates.length > 0
          && certificates[0] instanceof X509Certificate
          && verify(host, (X509Certificate) certificates[0]);
    } catch (SSLException e) {
      return false;
    }
  }

  /** Returns true if {@code certificate}'s subject alternative names match {@code host}. */
  public boolean verify(String host, X509Certificate certificate) {
    if (host == null || certificate == null) {
      return false;
    }
    byte[] ip = IpLiterals.parse(host);
    return ip != null ? verifyIpAddress(ip, certificate) : verifyHostName(host, certificate);
  }

  /**
   * Returns the DNS names and IP addresses in {@code certificate}'s subject alternative names, in
   * certificate order; empty if it has none or they cannot be parsed.
   */
  public static List<String> subjectAltNames(X509Certificate certificate) {
    List<String> result = new ArrayList<>();
    for (List<?> entry : altNameEntries(certificate)) {
      Object type = entry.isEmpty() ? null : entry.get(0);
      boolean wanted = Integer.valueOf(SAN_DNS_NAME).equals(type) || Integer.valueOf(SAN_IP_ADDRESS).equals(type);
      if (wanted && entry.size() >= 2 && entry.get(1) instanceof String) {
        result.add((String) entry.get(1));
      }
    }
    return result;
  }

  private static boolean verifyIpAddress(byte[] ip, X509Certificate certificate) {
    for (String name : altNames(certificate, SAN_IP_ADDRESS)) {
      byte[] candidate = IpLiterals.parse(name);
      if (candidate != null && Arrays.equals(ip, candidate)) {
        return true;
      }
    }
    return false;
  }

  private static boolean verifyHostName(String host, X509Certificate certificate) {
    String normalized = normalize(host);
    if (normalized == null || normalized.indexOf('*') != -1) {
      return false;
    }
    for (String name : altNames(certificate, SAN_DNS_NAME)) {
      if (matches(normalized, name)) {
        return true;
      }
    }
    return false;
  }

  /** Returns true if the normalized {@code host} matches the certificate's DNS name {@code pattern}. */
  static boolean matches(String host, String pattern) {
    String normalizedPattern = normalize(pattern);
    if (normalizedPattern == null) {
      return false;
    }
    if (normalizedPattern.indexOf('*') == -1) {
      return host.equals(normalizedPattern);
    }
    // The wildcard must be the whole leftmost label, must be the only one, and must be followed by
    // at least one more label.
    if (!normalizedPattern.startsWith("*.") || normalizedPattern.indexOf('*', 1) != -1
        || normalizedPattern.length() == 2) {
      return false;
    }
    String suffix = normalizedPattern.substring(1); // ".example.com"
    if (host.length() <= suffix.length() || !host.endsWith(suffix)) {
      return false;
    }
    // The wildcard stands for exactly one label: no dot may precede the suffix.
    return host.lastIndexOf('.', host.length() - suffix.length() - 1) == -1;
  }

  /**
   * Returns {@code name} lowercased, without one trailing dot, or null if it is empty, non-ASCII,
   * or has an empty label.
   */
  private static String normalize(String name) {
    if (name == null) {
      return null;
    }
    String result = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (result.isEmpty() || result.startsWith(".") || result.endsWith(".") || result.contains("..")) {
      return null;
    }
    for (int i = 0; i < result.length(); i++) {
      if (result.charAt(i) >= 0x80) {
        return null;
      }
    }
    return result.toLowerCase(Locale.ROOT);
  }

  private static List<String> altNames(X509Certificate certificate, int type) {
    List<String> result = new ArrayList<>();
    for (List<?> entry : altNameEntries(certificate)) {
      if (entry.size() >= 2 && Integer.valueOf(type).equals(entry.get(0)) && entry.get(1) instanceof String) {
        result.add((String) entry.get(1));
      }
    }
    return result;
  }

  private static Collection<List<?>> altNameEntries(X509Certificate certificate) {
    try {
      Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
      return entries == null ? List.of() : entries;
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }
}
