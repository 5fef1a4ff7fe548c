package dev.courier.tls;

import dev.courier.tls.internal.DeferredSslSocketFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Supplies the TLS settings a client uses when the user sets none. Thread-safe. */
public final class TlsDefaults {
  /** The name of the daemon thread that creates the JDK's default TLS context. */
  static final String CONTEXT_THREAD_NAME = "Courier TLS context";

  /** The name of the daemon thread that reads the default trust store beside the context's creation. */
  static final String TRUST_STORE_THREAD_NAME = "Courier trust store";

  private static final DeferredSslSocketFactory DEFAULT_FACTORY =
      new DeferredSslSocketFactory(new DefaultContext(), new DefaultContext());

  private TlsDefaults() {}

  /**
   * Returns the socket factory of the JDK's default {@link SSLContext}, which trusts the
   * platform's certificate authorities. The {@link TlsConnector} restricts it to the versions and
   * cipher suites of the client's {@link dev.courier.ConnectionSpec}s (by default TLSv1.3 and
   * TLSv1.2).
   *
   * <p>The first call starts creating the context (loading the trust store and the security
   * providers, 100 ms or more in a fresh JVM) on a daemon thread named {@code Courier TLS context},
   * which ends when the context exists, and returns at once, so that a call can resolve its host
   * and connect meanwhile; the factory's methods wait for the context. That thread starts another,
   * {@code Courier trust store}, which reads the JDK's default trust store while the context's
   * thread sets up the security providers (see {@link DefaultTrustStore}). If that thread cannot start
   * or fails, the factory's first use creates the context on its own thread; if that fails too,
   * its {@code createSocket} methods throw an {@link javax.net.ssl.SSLException} naming the host
   * and port (the JDK's failure is the cause), and {@code getDefaultCipherSuites()} and {@code
   * getSupportedCipherSuites()} an {@link IllegalStateException}.
   */
  public static SSLSocketFactory sslSocketFactory() {
    DEFAULT_FACTORY.startCreating();
    return DEFAULT_FACTORY;
  }

  /** Returns {@link StrictHostnameVerifier#INSTANCE}. */
  public static HostnameVerifier hostnameVerifier() {
    return StrictHostnameVerifier.INSTANCE;
  }

  /**
   * Creates the default context's factory, and the thread that does it. A class rather than
   * lambdas: each lambda's first use spins a class, which a cold start pays for.
   */
  private static final class DefaultContext implements Callable<SSLSocketFactory>, ThreadFactory {
    @Override
    public SSLSocketFactory call() throws NoSuchAlgorithmException {
      DefaultTrustStore.start();
      return SSLContext.getDefault().getSocketFactory();
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, CONTEXT_THREAD_NAME);
      thread.setDaemon(true);
      return thread;
    }
  }

  /**
   * Reads the JDK's default trust store ({@code javax.net.ssl.trustStore}, else the JDK's
   * {@code cacerts}) on a daemon thread of its own, through a {@link TrustManagerFactory} for it,
   * while the default context's thread loads the security providers and works out its cipher
   * suites (together the two are the context's 150 ms or more in a fresh JVM, about half each).
   * The JDK keeps the store it read (OpenJDK's {@code TrustStoreManager} caches it, weakly), so the
   * default context, which asks for the same store, waits for this read instead of making its own;
   * where a JDK does not keep it, or the application has set another default context, the read
   * costs CPU on this thread and changes nothing else. A failure here is ignored: the context reads
   * the store again and reports it.
   */
  static final class DefaultTrustStore implements Runnable {
    private DefaultTrustStore() {}

    /**
     * Starts the thread and returns it, or returns null if it could not start (the context then
     * reads the store itself).
     */
    static Thread start() {
      try {
        Thread thread = new Thread(new DefaultTrustStore(), TRUST_STORE_THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
        return thread;
      } catch (RuntimeException | Error e) {
        // Out of threads or memory, or not permitted: the context reads the store itself.
        return null;
      }
    }

    @Override
    public void run() {
      try {
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).init((KeyStore) null);
      } catch (GeneralSecurityException | RuntimeException e) {
        // The default context reads the store again, and its failure reaches the call.
      }
    }
  }
}
