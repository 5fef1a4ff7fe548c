package dev.courier.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Stands in for a TLS socket factory that is slow to create (the JDK's default context loads the
 * trust store and sets up the security providers: 100 ms or more in a fresh JVM), so that the
 * creation can run on a daemon thread while a call resolves the host and opens the TCP connection.
 *
 * <p>{@link #startCreating()} starts that thread, once; every other method waits for the factory
 * and delegates to it. If the thread could not start, or its creation failed, the first method
 * that needs the factory creates it on its own thread; if that fails too, it throws (an {@link
 * SSLException} naming the host and port where there is one), and the next use tries again. The
 * thread ends when the factory is made. Thread-safe.
 */
public final class DeferredSslSocketFactory extends SSLSocketFactory {
  private final Callable<SSLSocketFactory> creator;
  private final ThreadFactory threadFactory;
  private final AtomicBoolean started = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private volatile FutureTask<SSLSocketFactory> background;
  private volatile SSLSocketFactory delegate;

  /**
   * Creates a stand-in for the product of {@code creator}, which runs on a thread of {@code
   * threadFactory} once {@link #startCreating()} is called.
   */
  public DeferredSslSocketFactory(Callable<SSLSocketFactory> creator, ThreadFactory threadFactory) {
    this.creator = creator;
    this.threadFactory = threadFactory;
  }

  /**
   * Starts creating the factory on a thread of its own, the first time; returns at once. Does
   * nothing after the first time, or once the factory exists.
   */
  public void startCreating() {
    if (started.get() || !started.compareAndSet(false, true) || delegate != null) {
      return;
    }
    FutureTask<SSLSocketFactory> task = new FutureTask<>(creator);
    try {
      Thread thread = threadFactory.newThread(task);
      if (thread == null) {
        return;
      }
      background = task;
      thread.start();
    } catch (RuntimeException | Error e) {
      // Out of threads or memory, or not permitted: the first use creates the factory itself.
      background = null;
    }
  }

  /**
   * Returns the factory, waiting for the thread creating it or, if it failed or never started,
   * creating it on this thread.
   *
   * @param origin the host:port the factory is wanted for, named in the exception; may be null
   * @throws SSLException if the factory cannot be created; the creator's failure is the cause
   * @throws InterruptedIOException if interrupted while waiting
   */
  public SSLSocketFactory get(String origin) throws IOException {
    SSLSocketFactory result = delegate;
    if (result != null) {
      return result;
    }
    FutureTask<SSLSocketFactory> task = background;
    if (task != null) {
      try {
        result = task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException interrupted = new InterruptedIOException(
            "Interrupted while waiting for the default TLS context" + forOrigin(origin));
        interrupted.initCause(e);
        throw interrupted;
      } catch (ExecutionException e) {
        // The thread failed: try again here, where a failure reaches the caller.
      }
    }
    lock.lock();
    try {
      if (delegate == null) {
        delegate = result != null ? result : createHere(origin);
      }
      return delegate;
    } finally {
      lock.unlock();
    }
  }

  private SSLSocketFactory createHere(String origin) throws SSLException {
    try {
      SSLSocketFactory created = creator.call();
      if (created == null) {
        throw new SSLException("Could not create the default TLS context" + forOrigin(origin)
            + ": it created nothing");
      }
      return created;
    } catch (SSLException e) {
      throw e;
    } catch (Exception | LinkageError e) {
      throw new SSLException("Could not create the default TLS context" + forOrigin(origin)
          + ": " + e, e);
    }
  }

  private static String forOrigin(String origin) {
    return origin != null ? " for " + origin : "";
  }

  private SSLSocketFactory getUnchecked() {
    try {
      return get(null);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Returns the factory's default cipher suites.
   *
   * @throws IllegalStateException if the factory cannot be created
   */
  @Override
  public String[] getDefaultCipherSuites() {
    return getUnchecked().getDefaultCipherSuites();
  }

  /**
   * Returns the factory's supported cipher suites.
   *
   * @throws IllegalStateException if the factory cannot be created
   */
  @Override
  public String[] getSupportedCipherSuites() {
    return getUnchecked().getSupportedCipherSuites();
  }

  /**
   * Layers a TLS socket over {@code socket}.
   *
   * @throws SSLException naming {@code host:port} if the factory cannot be created
   */
  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
    return get(host + ":" + port).createSocket(socket, host, port, autoClose);
  }

  /**
   * Layers a server-side TLS socket over {@code socket}.
   *
   * @throws SSLException if the factory cannot be created
   */
  @Override
  public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
    return get(null).createSocket(socket, consumed, autoClose);
  }

  /**
   * Creates an unconnected TLS socket.
   *
   * @throws SSLException if the factory cannot be created
   */
  @Override
  public Socket createSocket() throws IOException {
    return get(null).createSocket();
  }

  /**
   * Creates a TLS socket connected to {@code host:port}.
   *
   * @throws SSLException naming {@code host:port} if the factory cannot be created
   */
  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return get(host + ":" + port).createSocket(host, port);
  }

  /**
   * Creates a TLS socket connected to {@code host:port} from a local address.
   *
   * @throws SSLException naming {@code host:port} if the factory cannot be created
   */
  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return get(host + ":" + port).createSocket(host, port, localHost, localPort);
  }

  /**
   * Creates a TLS socket connected to {@code host:port}.
   *
   * @throws SSLException naming {@code host:port} if the factory cannot be created
   */
  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return get(host.getHostAddress() + ":" + port).createSocket(host, port);
  }

  /**
   * Creates a TLS socket connected to {@code address:port} from a local address.
   *
   * @throws SSLException naming {@code address:port} if the factory cannot be created
   */
  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return get(address.getHostAddress() + ":" + port).createSocket(address, port, localAddress, localPort);
  }
}
