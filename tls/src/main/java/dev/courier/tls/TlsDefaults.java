package dev.courier.tls;

import dev.courier.tls.internal.DeferredSslSocketFactory;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/** Supplies the TLS settings a client uses when the user sets none. Thread-safe. */
public final class TlsDefaults {
  /** The name of the daemon thread that creates the JDK's default TLS context. */
  static final String CONTEXT_THREAD_NAME = "Courier TLS context";

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
   * and connect meanwhile; the factory's methods wait for the context. If that thread cannot start
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
      return SSLContext.getDefault().getSocketFactory();
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, CONTEXT_THREAD_NAME);
      thread.setDaemon(true);
      return thread;
    }
  }
}
