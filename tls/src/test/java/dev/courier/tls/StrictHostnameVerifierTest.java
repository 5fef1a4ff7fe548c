package dev.courier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testing.TestCertificateAuthority;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class StrictHostnameVerifierTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Verifier Test CA");
  private static final StrictHostnameVerifier VERIFIER = StrictHostnameVerifier.INSTANCE;

  private static X509Certificate certificate(String... subjectAltNames) {
    return CA.issue(subjectAltNames).certificate();
  }

  @Test
  void exactDnsNameMatches() {
    X509Certificate certificate = certificate("www.example.com");
    assertThat(VERIFIER.verify("www.example.com", certificate)).isTrue();
    assertThat(VERIFIER.verify("example.com", certificate)).isFalse();
    assertThat(VERIFIER.verify("www.example.org", certificate)).isFalse();
  }

  @Test
  void dnsNameComparisonIgnoresCase() {
    X509Certificate certificate = certificate("WWW.Example.com");
    assertThat(VERIFIER.verify("www.EXAMPLE.com", certificate)).isTrue();
  }

  @Test
  void trailingDotIsToleratedOnEitherSide() {
    assertThat(VERIFIER.verify("www.example.com.", certificate("www.example.com"))).isTrue();
    assertThat(VERIFIER.verify("www.example.com", certificate("www.example.com."))).isTrue();
    assertThat(VERIFIER.verify("www.example.com.", certificate("www.example.com."))).isTrue();
  }

  @Test
  void everySubjectAltNameIsConsidered() {
    X509Certificate certificate = certificate("a.example.com", "b.example.com", "127.0.0.1");
    assertThat(VERIFIER.verify("a.example.com", certificate)).isTrue();
    assertThat(VERIFIER.verify("b.example.com", certificate)).isTrue();
    assertThat(VERIFIER.verify("c.example.com", certificate)).isFalse();
  }

  @Test
  void commonNameIsNeverConsulted() {
    // A CA certificate has CN=<name> and no subject alternative names.
    X509Certificate noAltNames = TestCertificateAuthority.create("cn-only.example.com").certificate();
    assertThat(noAltNames.getSubjectX500Principal().getName()).contains("cn-only.example.com");
    assertThat(VERIFIER.verify("cn-only.example.com", noAltNames)).isFalse();
  }

  @Test
  void wildcardMatchesExactlyOneLeftmostLabel() {
    X509Certificate certificate = certificate("*.example.com");
    assertThat(VERIFIER.verify("www.example.com", certificate)).isTrue();
    assertThat(VERIFIER.verify("API.Example.COM.", certificate)).isTrue();
    assertThat(VERIFIER.verify("example.com", certificate)).isFalse();
    assertThat(VERIFIER.verify("a.b.example.com", certificate)).isFalse();
    assertThat(VERIFIER.verify(".example.com", certificate)).isFalse();
    assertThat(VERIFIER.verify("www.example.org", certificate)).isFalse();
  }

  @Test
  void partialLabelWildcardsNeverMatch() {
    assertThat(VERIFIER.verify("www.example.com", certificate("w*.example.com"))).isFalse();
    assertThat(VERIFIER.verify("www.example.com", certificate("*w.example.com"))).isFalse();
    assertThat(VERIFIER.verify("www.example.com", certificate("www.*.com"))).isFalse();
    assertThat(VERIFIER.verify("www.example.com", certificate("*.*.com"))).isFalse();
  }

  @Test
  void bareWildcardNeverMatches() {
    assertThat(VERIFIER.verify("localhost", certificate("*"))).isFalse();
    assertThat(StrictHostnameVerifier.matches("www.example.com", "*.")).isFalse();
  }

  @Test
  void hostContainingWildcardNeverMatches() {
    assertThat(VERIFIER.verify("*.example.com", certificate("*.example.com"))).isFalse();
  }

  @Test
  void ipv4LiteralMatchesOnlyIpAddressEntries() {
    X509Certificate certificate = certificate("localhost", "127.0.0.1");
    assertThat(VERIFIER.verify("127.0.0.1", certificate)).isTrue();
    assertThat(VERIFIER.verify("127.0.0.2", certificate)).isFalse();
  }

  @Test
  void wildcardNeverMatchesAnIpAddress() {
    assertThat(VERIFIER.verify("127.0.0.1", certificate("*.0.0.1"))).isFalse();
    assertThat(VERIFIER.verify("127.0.0.1", certificate("127.0.0.1"))).isTrue();
  }

  @Test
  void dnsEntriesDoNotMatchIpLiterals() {
    // An IP literal host must be covered by an IP entry; a DNS entry "localhost" says nothing about 127.0.0.1.
    assertThat(VERIFIER.verify("127.0.0.1", certificate("localhost"))).isFalse();
  }

  @Test
  void ipv6LiteralMatchesInAnySpelling() {
    X509Certificate certificate = certificate("::1");
    assertThat(VERIFIER.verify("::1", certificate)).isTrue();
    assertThat(VERIFIER.verify("[::1]", certificate)).isTrue();
    assertThat(VERIFIER.verify("0:0:0:0:0:0:0:1", certificate)).isTrue();
    assertThat(VERIFIER.verify("::2", certificate)).isFalse();
  }

  @Test
  void nonAsciiHostNeverMatches() {
    X509Certificate certificate = certificate("xn--bcher-kva.example");
    assertThat(VERIFIER.verify("xn--bcher-kva.example", certificate)).isTrue();
    assertThat(VERIFIER.verify("b\u00fccher.example", certificate)).isFalse();
  }

  @Test
  void malformedHostsNeverMatch() {
    X509Certificate certificate = certificate("www.example.com");
    assertThat(VERIFIER.verify("", certificate)).isFalse();
    assertThat(VERIFIER.verify("www..example.com", certificate)).isFalse();
    assertThat(VERIFIER.verify((String) null, certificate)).isFalse();
    assertThat(VERIFIER.verify("www.example.com", (X509Certificate) null)).isFalse();
  }

  @Test
  void subjectAltNamesListsDnsNamesAndIpAddressesInOrder() {
    X509Certificate certificate = certificate("localhost", "127.0.0.1", "*.example.com");
    assertThat(StrictHostnameVerifier.subjectAltNames(certificate))
        .containsExactly("localhost", "127.0.0.1", "*.example.com");
  }
}
