package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionSpecTest {
  @Test
  void modernTlsIsTls13And12WithAeadSuitesOnly() {
    ConnectionSpec modern = ConnectionSpec.MODERN_TLS;

    assertThat(modern.isTls()).isTrue();
    assertThat(modern.tlsVersions()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(modern.cipherSuites()).hasSize(9)
        .allSatisfy(suite -> assertThat(suite).matches(".*(_GCM_|_CHACHA20_POLY1305_).*"))
        .allSatisfy(suite -> assertThat(suite).matches("TLS_(AES|CHACHA20|ECDHE)_.*"));
  }

  @Test
  void compatibleTlsAddsOlderVersionsAndEverySuiteTheSocketEnables() {
    ConnectionSpec compatible = ConnectionSpec.COMPATIBLE_TLS;

    assertThat(compatible.tlsVersions()).containsExactly("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
    assertThat(compatible.cipherSuites()).isNull();
  }

  @Test
  void cleartextHasNoTlsSettings() {
    assertThat(ConnectionSpec.CLEARTEXT.isTls()).isFalse();
    assertThat(ConnectionSpec.CLEARTEXT.tlsVersions()).isEmpty();
    assertThat(ConnectionSpec.CLEARTEXT.cipherSuites()).isEmpty();
    assertThat(ConnectionSpec.CLEARTEXT.isCompatible(List.of("TLSv1.3"), List.of("TLS_AES_128_GCM_SHA256")))
        .isFalse();
    assertThat(ConnectionSpec.CLEARTEXT).hasToString("ConnectionSpec(CLEARTEXT)");
  }

  @Test
  void defaultsAreModernTlsAndCleartext() {
    assertThat(ConnectionSpec.DEFAULT_CONNECTION_SPECS)
        .containsExactly(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT);
  }

  @Test
  void builderSetsVersionsAndSuitesInOrderWithoutRepeats() {
    ConnectionSpec spec = new ConnectionSpec.Builder(true)
        .tlsVersions("TLSv1.2", "TLSv1.3", "TLSv1.2")
        .cipherSuites("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256")
        .build();

    assertThat(spec.tlsVersions()).containsExactly("TLSv1.2", "TLSv1.3");
    assertThat(spec.cipherSuites()).containsExactly("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
    assertThat(spec).hasToString("ConnectionSpec(tlsVersions=[TLSv1.2, TLSv1.3], "
        + "cipherSuites=[TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256])");
  }

  @Test
  void newBuilderKeepsSettingsAndSpecsCompareByValue() {
    ConnectionSpec tls13 = ConnectionSpec.MODERN_TLS.newBuilder().tlsVersions("TLSv1.3").build();

    assertThat(tls13.cipherSuites()).isEqualTo(ConnectionSpec.MODERN_TLS.cipherSuites());
    assertThat(tls13).isNotEqualTo(ConnectionSpec.MODERN_TLS);
    assertThat(ConnectionSpec.MODERN_TLS.newBuilder().build())
        .isEqualTo(ConnectionSpec.MODERN_TLS)
        .hasSameHashCodeAs(ConnectionSpec.MODERN_TLS);
    assertThat(tls13.newBuilder().allEnabledCipherSuites().build().cipherSuites()).isNull();
  }

  @Test
  void badConfigurationIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new ConnectionSpec.Builder(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tlsVersions:");
    assertThatThrownBy(() -> new ConnectionSpec.Builder(true).tlsVersions())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tlsVersions: at least one is required");
    assertThatThrownBy(() -> new ConnectionSpec.Builder(true).cipherSuites("TLS_AES_128_GCM_SHA256", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cipherSuites: a name is null or blank");
    assertThatThrownBy(() -> new ConnectionSpec.Builder(false).tlsVersions("TLSv1.3"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new ConnectionSpec.Builder(false).cipherSuites("TLS_AES_128_GCM_SHA256"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void compatibilityNeedsAVersionAndASuiteInCommon() {
    List<String> jdkVersions = List.of("TLSv1.3", "TLSv1.2");
    List<String> jdkSuites = List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    ConnectionSpec tls11 = new ConnectionSpec.Builder(true).tlsVersions("TLSv1.1").build();
    ConnectionSpec cbc = new ConnectionSpec.Builder(true).tlsVersions("TLSv1.2")
        .cipherSuites("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA").build();

    assertThat(ConnectionSpec.MODERN_TLS.isCompatible(jdkVersions, jdkSuites)).isTrue();
    assertThat(ConnectionSpec.COMPATIBLE_TLS.isCompatible(jdkVersions, jdkSuites)).isTrue();
    assertThat(ConnectionSpec.COMPATIBLE_TLS.isCompatible(jdkVersions, List.of())).isFalse();
    assertThat(tls11.isCompatible(jdkVersions, jdkSuites)).isFalse();
    assertThat(cbc.isCompatible(jdkVersions, jdkSuites)).isFalse();
    assertThat(ConnectionSpec.intersect(List.of("TLSv1.3", "TLSv1.1", "TLSv1.2"), jdkVersions))
        .containsExactly("TLSv1.3", "TLSv1.2");
  }
}
