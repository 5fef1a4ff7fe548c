package dev.courier.examples;

import dev.courier.ConnectionSpec;
import dev.courier.chain.CourierClient;
import java.util.List;

/**
 * The TLS connection-spec recipes of docs/recipes.md, after those of {@link Recipes}. Each recipe
 * stands between a {@code // recipe:} line and a {@code // end} line; TlsRecipesTest runs them
 * against local servers, and RecipesTest checks that the page shows exactly this code.
 */
final class TlsRecipes {
  private final CourierClient client;

  TlsRecipes(CourierClient client) {
    this.client = client;
  }

  CourierClient tlsVersionsAndCipherSuites() {
    // recipe: tls-versions-and-cipher-suites
    ConnectionSpec tls13Only = new ConnectionSpec.Builder(true)
        .tlsVersions(ConnectionSpec.TLS_1_3)
        .cipherSuites("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")
        .build();

    CourierClient strict = client.newBuilder()
        .connectionSpecs(List.of(tls13Only, ConnectionSpec.CLEARTEXT))
        .build();
    // end
    return strict;
  }

  CourierClient httpsOnly() {
    // recipe: https-only
    // Without ConnectionSpec.CLEARTEXT, http:// calls fail with UnknownServiceException
    // before anything is sent.
    CourierClient httpsOnly = client.newBuilder()
        .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS))
        .build();
    // end
    return httpsOnly;
  }

  CourierClient compatibleTls() {
    // recipe: compatible-tls
    // For an old server: every cipher suite the JDK enables (CBC, RSA key exchange too), and
    // TLS 1.1 and 1.0 if the JDK still enables them (since JDK 16 it does not).
    CourierClient legacy = client.newBuilder()
        .connectionSpecs(List.of(ConnectionSpec.COMPATIBLE_TLS, ConnectionSpec.CLEARTEXT))
        .build();
    // end
    return legacy;
  }
}
