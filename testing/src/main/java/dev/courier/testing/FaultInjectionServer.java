package dev.courier.testing;

import dev.courier.testing.internal.FaultExchanges;
import dev.courier.testing.internal.FaultSocket;
import dev.courier.testing.internal.Http1FaultConnection;
import dev.courier.testing.internal.Http2FaultConnection;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;

/**
 * Serves HTTP/1.1, HTTP/2 with prior knowledge (h2c) or HTTP/2 over TLS (h2) on a loopback port
 * with plain blocking sockets, and breaks exchanges at a chosen {@link FaultPoint}: refusing
 * connections, closing or resetting them at accept, after the request, after the status line,
 * after the headers or in the middle of a fixed-length or chunked body, stalling, or dropping the
 * second request on a kept-alive connection. It counts every request head it receives, so a test
 * can check that nothing was sent twice.
 *
 * <p>Unlike {@link TestServer}, which runs on Netty, this server reads and writes every byte
 * itself; only HPACK header blocks are coded with Netty's encoder and decoder. That makes the
 * point of failure exact: each fault is one write followed by a close or a reset.
 *
 * <pre>{@code
 * try (FaultInjectionServer server = FaultInjectionServer.h2c().start()) {
 *   server.fault(FaultPoint.RESET_AFTER_HEADERS);
 *   // ... call server.url("/a"): it must fail with a clear IOException ...
 *   assertThat(server.requestCount("POST", "/a")).isEqualTo(1);
 *   server.fault(FaultPoint.NONE);
 *   // ... the same client now succeeds ...
 * }
 * }</pre>
 *
 * <p>Well-behaved requests are answered {@code 200} with the two-byte body {@code "ok"}, and the
 * connection stays open. HTTP/1.1 requests on one connection are served in order; HTTP/2 streams
 * are served in the order their requests end. The server listens on 127.0.0.1; TLS servers
 * negotiate {@code h2} or {@code http/1.1} in ALPN and fail handshakes that do not.
 *
 * <p>Each connection runs on its own daemon thread named {@code FaultInjectionServer-<port>-<n>},
 * and connections are accepted on one named {@code FaultInjectionServer-<port>-accept}; {@link
 * #close()} closes every socket and waits for those threads to end. All methods are thread-safe.
 */
public final class FaultInjectionServer implements Closeable {
  private static final int TLS_HANDSHAKE_TIMEOUT_MILLIS = 5_000;
  private static final long THREAD_END_TIMEOUT_MILLIS = 5_000;

  private final String protocol;
  private final SSLContext tlsContext;
  private final ReentrantLock lifecycleLock = new ReentrantLock();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private final List<RequestHead> requests = new CopyOnWriteArrayList<>();
  private final Set<Integer> faultedConnections = ConcurrentHashMap.newKeySet();
  private final Set<String> resetStreams = ConcurrentHashMap.newKeySet();
  private final Set<FaultSocket> openSockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final FaultExchanges exchanges = new Exchanges();
  private volatile FaultPoint fault = FaultPoint.NONE;
  private volatile String hostName = "127.0.0.1";
  private volatile int port = -1;

  // Guarded by lifecycleLock.
  private ServerSocket listener;
  private Thread acceptor;
  private boolean closed;

  private FaultInjectionServer(String protocol, SSLContext tlsContext) {
    this.protocol = protocol;
    this.tlsContext = tlsContext;
  }

  /** Returns a server, not started, speaking cleartext HTTP/1.1. */
  public static FaultInjectionServer http1() {
    return new FaultInjectionServer("http/1.1", null);
  }

  /** Returns a server, not started, speaking HTTP/1.1 over TLS with {@code serverContext}. */
  public static FaultInjectionServer http1OverTls(SSLContext serverContext) {
    return new FaultInjectionServer("http/1.1", Objects.requireNonNull(serverContext, "serverContext"));
  }

  /** Returns a server, not started, speaking cleartext HTTP/2 with prior knowledge. */
  public static FaultInjectionServer h2c() {
    return new FaultInjectionServer("h2c", null);
  }

  /** Returns a server, not started, speaking HTTP/2 over TLS with {@code serverContext}. */
  public static FaultInjectionServer h2(SSLContext serverContext) {
    return new FaultInjectionServer("h2", Objects.requireNonNull(serverContext, "serverContext"));
  }

  /**
   * Sets the host name that {@link #url} puts in URLs; default {@code "127.0.0.1"}. The server
   * still listens on 127.0.0.1 only, so another name must resolve there. Returns this.
   */
  public FaultInjectionServer hostName(String hostName) {
    this.hostName = Objects.requireNonNull(hostName, "hostName");
    return this;
  }

  /**
   * Binds an ephemeral port on 127.0.0.1 and starts accepting, unless the fault is {@link
   * FaultPoint#REFUSE}; returns this.
   *
   * @throws IOException if the port cannot be bound
   * @throws IllegalStateException if already started or closed
   */
  public FaultInjectionServer start() throws IOException {
    lifecycleLock.lock();
    try {
      if (closed || port != -1) {
        throw new IllegalStateException("FaultInjectionServer already " + (closed ? "closed" : "started"));
      }
      listen(0);
      port = listener.getLocalPort();
      if (fault == FaultPoint.REFUSE) {
        stopListening();
      }
      return this;
    } finally {
      lifecycleLock.unlock();
    }
  }

  /**
   * Sets how the server misbehaves from now on; {@link FaultPoint#NONE} by default. Choosing
   * {@link FaultPoint#REFUSE} closes the listener (open connections stay); choosing anything else
   * listens on the same port again.
   *
   * @throws IOException if the port cannot be bound again after {@link FaultPoint#REFUSE}
   */
  public void fault(FaultPoint fault) throws IOException {
    Objects.requireNonNull(fault, "fault");
    lifecycleLock.lock();
    try {
      this.fault = fault;
      if (closed || port == -1) {
        return;
      }
      if (fault == FaultPoint.REFUSE) {
        stopListening();
      } else if (listener == null) {
        listen(port);
      }
    } finally {
      lifecycleLock.unlock();
    }
  }

  /** Returns the fault now set. */
  public FaultPoint fault() {
    return fault;
  }

  /** Returns {@code "http/1.1"}, {@code "h2c"} or {@code "h2"}. */
  public String protocol() {
    return protocol;
  }

  /**
   * Returns the port, the same for the server's whole life.
   *
   * @throws IllegalStateException if not started
   */
  public int port() {
    if (port == -1) {
      throw new IllegalStateException("FaultInjectionServer not started");
    }
    return port;
  }

  /** Returns {@code host:port} as URLs and error messages name it, e.g. {@code 127.0.0.1:4711}. */
  public String hostAndPort() {
    return hostName + ":" + port();
  }

  /** Returns the URL of {@code path} (which starts with '/') on this server. */
  public String url(String path) {
    return (tlsContext != null ? "https://" : "http://") + hostAndPort() + path;
  }

  /** Returns the address the server listens on (while not refusing). */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  /** Returns how many connections the server has accepted. */
  public int connectionCount() {
    return connectionCount.get();
  }

  /** Returns every request whose head arrived, in arrival order. */
  public List<RequestHead> requests() {
    return List.copyOf(requests);
  }

  /** Returns how many request heads with {@code method} and exactly {@code path} arrived. */
  public int requestCount(String method, String path) {
    int count = 0;
    for (RequestHead request : requests) {
      if (request.method().equals(method) && request.path().equals(path)) {
        count++;
      }
    }
    return count;
  }

  /** Returns the numbers of the connections on which a fault other than NONE was acted on, ascending. */
  public Set<Integer> faultedConnections() {
    return new TreeSet<>(faultedConnections);
  }

  /** Returns true if the client reset HTTP/2 stream {@code streamId} of connection {@code connection}. */
  public boolean clientResetStream(int connection, int streamId) {
    return resetStreams.contains(connection + "/" + streamId);
  }

  /**
   * Closes the listener and every open connection, and waits up to 5 seconds for the server's
   * threads to end. Safe to call more than once, and before {@link #start()}.
   */
  @Override
  public void close() {
    lifecycleLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      stopListening();
    } finally {
      lifecycleLock.unlock();
    }
    for (FaultSocket socket : openSockets) {
      socket.abort();
    }
    long deadlineNanos = System.nanoTime() + THREAD_END_TIMEOUT_MILLIS * 1_000_000;
    for (Thread thread : new ArrayList<>(threads)) {
      long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        break;
      }
      try {
        thread.join(remainingMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  @Override
  public String toString() {
    return "FaultInjectionServer{" + protocol + (tlsContext != null ? " over TLS" : "") + ", "
        + (port == -1 ? "not started" : hostAndPort()) + ", fault=" + fault.label() + "}";
  }

  /** Binds {@code bindPort} (0 for any) and starts the accept thread. Call with the lock held. */
  private void listen(int bindPort) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), bindPort), 50);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    listener = socket;
    acceptor = newThread(() -> acceptLoop(socket), "accept", socket.getLocalPort());
    acceptor.start();
  }

  /** Closes the listener and waits for the accept thread. Call with the lock held. */
  private void stopListening() {
    if (listener == null) {
      return;
    }
    try {
      listener.close();
    } catch (IOException e) {
      // A listener that fails to close accepts nothing more either way.
    }
    listener = null;
    try {
      acceptor.join(THREAD_END_TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    acceptor = null;
  }

  private void acceptLoop(ServerSocket socket) {
    while (true) {
      Socket accepted;
      try {
        accepted = socket.accept();
      } catch (IOException e) {
        threads.remove(Thread.currentThread());
        return; // The listener was closed.
      }
      int number = connectionCount.incrementAndGet();
      FaultSocket connection = new FaultSocket(accepted);
      openSockets.add(connection);
      FaultPoint atAccept = fault;
      Thread thread = newThread(() -> serve(connection, number, atAccept), String.valueOf(number), socket.getLocalPort());
      thread.start();
    }
  }

  private void serve(FaultSocket socket, int number, FaultPoint atAccept) {
    try {
      if (atAccept.atAccept()) {
        faultedConnections.add(number);
        socket.end(atAccept.resets(), false);
        return;
      }
      if (tlsContext != null) {
        socket.handshake(tlsContext, protocol, TLS_HANDSHAKE_TIMEOUT_MILLIS);
      }
      if (protocol.equals("http/1.1")) {
        new Http1FaultConnection(socket, number, exchanges).serve();
      } else {
        new Http2FaultConnection(socket, number, exchanges).serve();
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or broke the protocol: this connection is done.
    } finally {
      socket.abort();
      openSockets.remove(socket);
      threads.remove(Thread.currentThread());
    }
  }

  private Thread newThread(Runnable task, String role, int localPort) {
    Thread thread = new Thread(task, "FaultInjectionServer-" + localPort + "-" + role);
    thread.setDaemon(true);
    threads.add(thread);
    return thread;
  }

  /**
   * Describes one request head the server received.
   *
   * @param connection the 1-based number of the connection it arrived on, in accept order
   * @param streamId its HTTP/2 stream, 0 over HTTP/1.1
   * @param method the request method
   * @param path the request target, e.g. {@code /a?b}
   * @param fault the fault the server acted on for it, {@link FaultPoint#NONE} if answered
   */
  public record RequestHead(int connection, int streamId, String method, String path, FaultPoint fault) {}

  /** Decides each request's fault from the one set when its head arrived, and records it. */
  private final class Exchanges implements FaultExchanges {
    @Override
    public FaultPoint requestArrived(int connection, int streamId, String method, String path, int indexOnConnection) {
      FaultPoint now = fault;
      FaultPoint applied;
      if (now == FaultPoint.STALE_POOLED_CONNECTION) {
        applied = indexOnConnection == 1 ? FaultPoint.NONE : now;
      } else if (now == FaultPoint.REFUSE || now.atAccept()) {
        applied = FaultPoint.NONE;
      } else {
        applied = now;
      }
      if (applied != FaultPoint.NONE) {
        faultedConnections.add(connection);
      }
      requests.add(new RequestHead(connection, streamId, method, path, applied));
      return applied;
    }

    @Override
    public void streamReset(int connection, int streamId) {
      resetStreams.add(connection + "/" + streamId);
    }
  }
}
