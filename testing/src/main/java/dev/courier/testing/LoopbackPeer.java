package dev.courier.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Listens on an ephemeral port for a hand-written peer: the part every raw-socket test server
 * shares, so that each keeps only the bytes of its protocol. A test either drives the peer itself,
 * taking connections with {@link #accept()}, or lets {@link #serve} run a {@link Handler} for each
 * connection on a daemon thread of its own.
 *
 * <pre>{@code
 * try (LoopbackPeer peer = LoopbackPeer.open()) {
 *   peer.serve("misbehaving peer", (index, socket) -> socket.getOutputStream().write(garbage));
 *   // ... call peer.url("/") with the client under test ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} closes the listening socket and every connection accepted or {@link
 * #connect made} for a handler, waits for the threads it started, and fails (the test) if one is still running or if a handler threw: an
 * assertion a handler makes is not lost on its thread. Thread-safe.
 */
public final class LoopbackPeer implements AutoCloseable {
  /** How long {@link #accept()}, reads on its connections and {@link #close()} wait by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Serves one accepted connection; the peer closes the socket when this returns. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Talks to the client over {@code socket}, the {@code index}th connection accepted (from 0).
     * Whatever it throws, unless the peer is closing, fails {@link LoopbackPeer#close()}.
     */
    void serve(int index, Socket socket) throws Exception;
  }

  private final ServerSocket serverSocket;
  private final String host;
  private final int timeoutMillis;
  private final AtomicInteger acceptedCount = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean closed;

  private LoopbackPeer(ServerSocket serverSocket, String host, Duration timeout) throws IOException {
    this.serverSocket = serverSocket;
    this.host = host;
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    serverSocket.setSoTimeout(timeoutMillis);
  }

  /** Listens on the loopback address ({@code 127.0.0.1}) with the {@link #DEFAULT_TIMEOUT}. */
  public static LoopbackPeer open() throws IOException {
    return open(InetAddress.getLoopbackAddress(), DEFAULT_TIMEOUT);
  }

  /**
   * Listens on {@code bindAddress}, or on every local address if it is null (so that {@code
   * 127.0.0.2} reaches the peer too; URLs then name {@code localhost}), waiting up to {@code
   * timeout} in {@link #accept()}, in reads on the connections it returns and in {@link #close()}.
   *
   * @throws IOException if no port can be bound
   */
  public static LoopbackPeer open(InetAddress bindAddress, Duration timeout) throws IOException {
    ServerSocket serverSocket = new ServerSocket();
    try {
      serverSocket.bind(new InetSocketAddress(bindAddress, 0), 50);
      String host = bindAddress == null ? "localhost"
          : bindAddress.getHostAddress().indexOf(':') != -1 ? "[" + bindAddress.getHostAddress() + "]"
          : bindAddress.getHostAddress();
      return new LoopbackPeer(serverSocket, host, timeout);
    } catch (IOException | RuntimeException e) {
      serverSocket.close();
      throw e;
    }
  }

  /** Returns the port listened on. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** Returns the address and port listened on, such as a proxy's address for a client. */
  public InetSocketAddress socketAddress() {
    return (InetSocketAddress) serverSocket.getLocalSocketAddress();
  }

  /** Returns {@code host:port} as a client names this peer in messages, such as {@code 127.0.0.1:5000}. */
  public String hostAndPort() {
    return host + ":" + port();
  }

  /** Returns {@code scheme://host:port} followed by {@code path}, such as {@code ws://127.0.0.1:5000/chat}. */
  public String url(String scheme, String path) {
    return scheme + "://" + hostAndPort() + path;
  }

  /** Returns an {@code http} URL of {@code path} on this peer. */
  public String url(String path) {
    return url("http", path);
  }

  /** Returns how many connections were accepted so far. */
  public int acceptedCount() {
    return acceptedCount.get();
  }

  /**
   * Accepts the next connection on the calling thread, waiting up to the timeout, and returns it
   * with that read timeout set. {@link #close()} closes it.
   *
   * @throws java.net.SocketTimeoutException if no client connected in time
   */
  public Socket accept() throws IOException {
    Socket socket = serverSocket.accept();
    track(socket);
    socket.setSoTimeout(timeoutMillis);
    return socket;
  }

  /**
   * Accepts every connection from now on on a daemon thread named {@code name}, and runs {@code
   * handler} for each on a daemon thread of its own, closing the connection when it returns.
   * Reads on these connections have no timeout: {@link #close()} ends them.
   */
  public void serve(String name, Handler handler) {
    serve(name, Integer.MAX_VALUE, handler);
  }

  /** Does as {@link #serve(String, Handler)}, but stops accepting after {@code connections}. */
  public void serve(String name, int connections, Handler handler) {
    start(name, () -> {
      int served = 0;
      while (served < connections && !closed) {
        Socket socket;
        int index;
        try {
          socket = serverSocket.accept();
          index = track(socket);
          socket.setSoTimeout(0);
        } catch (SocketTimeoutException e) {
          continue; // No client yet: keep listening.
        } catch (IOException e) {
          return; // Closing.
        }
        served++;
        start(name + " connection " + index, () -> {
          // The failure is recorded before the socket closes: a client that sees the end of the
          // stream and then closes the peer must find it.
          try {
            handler.serve(index, socket);
          } catch (Throwable t) {
            if (!closed) {
              failure.compareAndSet(null, t);
            }
          } finally {
            try {
              socket.close();
            } catch (IOException e) {
              if (!closed) {
                failure.compareAndSet(null, e);
              }
            }
          }
        });
      }
    });
  }

  /**
   * Connects to {@code target} for a handler, such as a proxy's connection upstream, waiting up to
   * the timeout; {@link #close()} closes the connection as it does the accepted ones.
   *
   * @throws IOException if the connection fails, or the peer is closed
   */
  public Socket connect(InetSocketAddress target) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    if (closed) {
      socket.close(); // close() may have run before the socket was in the list.
      throw new SocketException("the peer at " + hostAndPort() + " is closed");
    }
    socket.connect(target, timeoutMillis);
    return socket;
  }

  /**
   * Runs {@code task} on a daemon thread named {@code name}, such as the second direction of a
   * relay, which {@link #close()} waits for as it does for handlers; what it throws, unless the
   * peer is closing, fails {@link #close()}.
   */
  public void fork(String name, Runnable task) {
    start(name, () -> {
      try {
        task.run();
      } catch (Throwable t) {
        if (!closed) {
          failure.compareAndSet(null, t);
        }
      }
    });
  }

  /** Records an accepted connection for {@link #close()} and returns its index. */
  private int track(Socket socket) throws IOException {
    sockets.add(socket);
    int index = acceptedCount.getAndIncrement();
    if (closed) {
      socket.close(); // close() may have run before the socket was in the list.
      throw new SocketException("the peer at " + hostAndPort() + " is closed");
    }
    return index;
  }

  private void start(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  /**
   * Stops listening, closes every accepted connection and waits up to the timeout for each thread
   * this peer started.
   *
   * @throws AssertionError if a thread is still running afterwards, or (with it as the cause) if
   *     a handler threw a checked exception other than an {@link IOException}
   * @throws IOException the first {@link IOException} a handler threw, or one closing a socket
   */
  @Override
  public void close() throws IOException {
    closed = true;
    serverSocket.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    for (Thread thread : threads) {
      try {
        thread.join(timeoutMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while closing the peer at " + hostAndPort(), e);
      }
      if (thread.isAlive()) {
        throw new AssertionError(thread.getName() + " still running on " + hostAndPort());
      }
    }
    Throwable t = failure.get();
    if (t instanceof IOException) {
      throw (IOException) t;
    }
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    if (t != null) {
      throw new AssertionError(t);
    }
  }
}
