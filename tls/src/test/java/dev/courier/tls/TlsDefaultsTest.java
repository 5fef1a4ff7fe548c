package dev.courier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class TlsDefaultsTest {
  @Test
  void defaultTrustStoreIsReadOnADaemonThreadThatEnds() throws Exception {
    Thread thread = TlsDefaults.DefaultTrustStore.start();

    assertThat(thread).isNotNull();
    assertThat(thread.getName()).isEqualTo(TlsDefaults.TRUST_STORE_THREAD_NAME);
    assertThat(thread.isDaemon()).isTrue();
    thread.join(10_000);
    assertThat(thread.isAlive()).isFalse();
  }

  @Test
  void defaultFactoryMakesTheJdksDefaultContextAfterTheTrustStoreWasReadBesideIt() throws Exception {
    Thread reader = TlsDefaults.DefaultTrustStore.start();
    SSLSocketFactory factory = TlsDefaults.sslSocketFactory();

    assertThat(factory.getDefaultCipherSuites())
        .containsExactly(SSLContext.getDefault().getSocketFactory().getDefaultCipherSuites());
    reader.join(10_000);
    assertThat(reader.isAlive()).isFalse();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(TlsDefaults.TRUST_STORE_THREAD_NAME)
          || thread.getName().equals(TlsDefaults.CONTEXT_THREAD_NAME)) {
        assertThat(thread.isDaemon()).isTrue();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
      }
    }
  }
}
