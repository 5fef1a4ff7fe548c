package dev.courier.testing;

import dev.courier.testing.internal.ConnectionInitializer;
import dev.courier.testing.internal.Http2ServerSettings;
import dev.courier.testing.internal.ReceivedRequest;
import dev.courier.testing.internal.ResponseSource;
import dev.courier.testing.internal.ServerConfig;
import dev.courier.testing.internal.ServerThreadFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Serves scripted responses over HTTP/1.1, HTTP/2 over TLS ({@code h2}) and HTTP/2 with prior
 * knowledge ({@code h2c}) on a loopback port, and records every request it receives.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (TestServer server = new TestServer()) {
 *   server.enqueue(ScriptedResponse.builder().body("hello").build());
 *   server.start();
 *   // ... call server.url("/greeting") with the client under test ...
 *   RecordedRequest request = server.takeRequest();
 *   assertThat(request.path()).isEqualTo("/greeting");
 * }
 * }</pre>
 *
 * <p>Responses come from a FIFO queue filled by {@link #enqueue}, or from a {@link
 * #dispatcher} when one is set. When the queue is empty the server answers {@code 404} with the
 * body {@code "no scripted response"}. Requests are parsed by Netty, an implementation
 * independent of the client under test; HTTP/1.1 responses are composed byte by byte so that
 * a script can send malformed or broken output (see {@link ScriptedResponse} and {@link
 * Fault}).
 *
 * <p>HTTP/1.1 connections are kept alive and serve requests in order, one response at a time;
 * {@code Connection: close} on a request or {@link ScriptedResponse.Builder#closeConnectionAfter()}
 * closes the connection after the response. HTTP/2 streams are answered concurrently, each
 * taking the next scripted response when its request is complete; Netty's HTTP/2 codec
 * handles SETTINGS, PING and flow control, and request bodies are handed back to the flow
 * controller as they are read, so uploads of any size proceed.
 *
 * <p>Upgrading from HTTP/1.1 to h2c with an {@code Upgrade} header is not supported: such a
 * request is answered over HTTP/1.1.
 *
 * <p>Configuration methods ({@link #useHttps}, {@link #protocols}, {@link #http2Settings},
 * {@link #hostName(String)}) must be called before {@link #start()}. All other methods are
 * thread-safe. Event-loop threads are daemons named {@code TestServer-...}; {@link #close()}
 * waits until they have ended.
 */
public final class TestServer implements Closeable {
  private static final AtomicInteger NEXT_SERVER_ID = new AtomicInteger();
  private static final List<String> KNOWN_PROTOCOLS =
      List.of(ServerConfig.HTTP_1_1, ServerConfig.H2, ServerConfig.H2C);
  private static final long DEFAULT_TAKE_TIMEOUT_SECONDS = 10;
  private static final long THREAD_END_TIMEOUT_MILLIS = 5_000;
  private static final ScriptedResponse NO_SCRIPTED_RESPONSE =
      ScriptedResponse.builder().status(404).body("no scripted response").build();

  private final int serverId = NEXT_SERVER_ID.getAndIncrement();
  private final ReentrantLock lifecycleLock = new ReentrantLock();
  private final LinkedBlockingQueue<ScriptedResponse> responseQueue = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<RecordedRequest> requestQueue = new LinkedBlockingQueue<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private volatile Function<RecordedRequest, ScriptedResponse> dispatcher;

  private volatile SSLContext sslContext;
  private List<String> protocols = List.of(ServerConfig.HTTP_1_1);
  private Http2ServerSettings http2Settings = Http2ServerSettings.DEFAULTS;
  private volatile String hostName = "127.0.0.1";

  private ServerThreadFactory acceptThreads;
  private ServerThreadFactory connectionThreads;
  private EventLoopGroup acceptGroup;
  private EventLoopGroup connectionGroup;
  private ChannelGroup connections;
  private volatile Channel serverChannel;
  private volatile int port = -1;
  private boolean started;
  private boolean closed;

  /** Creates a server that is not started yet, speaking cleartext HTTP/1.1 by default. */
  public TestServer() {}

  /**
   * Makes every connection start with a TLS handshake using {@code serverContext}, for example
   * {@link TestCertificateAuthority#serverContext(IssuedCertificate)}. Default: cleartext.
   *
   * @throws IllegalStateException if the server has been started
   */
  public void useHttps(SSLContext serverContext) {
    Objects.requireNonNull(serverContext, "serverContext");
    lifecycleLock.lock();
    try {
      checkNotStarted("useHttps");
      this.sslContext = serverContext;
    } finally {
      lifecycleLock.unlock();
    }
  }

  /**
   * Sets the protocols to serve, in preference order: {@code "http/1.1"}, {@code "h2"} (HTTP/2
   * over TLS, offered with ALPN) and {@code "h2c"} (HTTP/2 with prior knowledge on cleartext,
   * told apart from HTTP/1.1 by the connection preface). With TLS the list is offered in ALPN
   * as given and the server picks the first entry the client also offers; a client without
   * ALPN gets HTTP/1.1 if listed, else the first entry. Default: {@code ["http/1.1"]}.
   *
   * @throws IllegalArgumentException if the list is empty, repeats an entry or names an
   *     unknown protocol
   * @throws IllegalStateException if the server has been started
   */
  public void protocols(List<String> protocols) {
    List<String> copy = List.copyOf(protocols);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("protocols must not be empty");
    }
    Set<String> seen = new HashSet<>();
    for (String protocol : copy) {
      if (!KNOWN_PROTOCOLS.contains(protocol)) {
        throw new IllegalArgumentException("unknown protocol " + protocol + "; expected one of " + KNOWN_PROTOCOLS);
      }
      if (!seen.add(protocol)) {
        throw new IllegalArgumentException("protocol listed twice: " + protocol);
      }
    }
    lifecycleLock.lock();
    try {
      checkNotStarted("protocols");
      this.protocols = copy;
    } finally {
      lifecycleLock.unlock();
    }
  }

  /**
   * Sets the HTTP/2 SETTINGS the server announces; pass -1 for any value to keep Netty's
   * default (unlimited streams, 65,535-byte window, 16,384-byte frames).
   *
   * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS
   * @param initialWindowSize SETTINGS_INITIAL_WINDOW_SIZE, the per-stream receive window
   * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE, 16,384 to 16,777,215
   * @throws IllegalStateException if the server has been started
   */
  public void http2Settings(int maxConcurrentStreams, int initialWindowSize, int maxFrameSize) {
    if (maxFrameSize != -1 && (maxFrameSize < 16_384 || maxFrameSize > 16_777_215)) {
      throw new IllegalArgumentException("maxFrameSize out of range 16384..16777215: " + maxFrameSize);
    }
    lifecycleLock.lock();
    try {
      checkNotStarted("http2Settings");
      this.http2Settings = new Http2ServerSettings(maxConcurrentStreams, initialWindowSize, maxFrameSize);
    } finally {
      lifecycleLock.unlock();
    }
  }

  /**
   * Binds 127.0.0.1 on an ephemeral port and starts serving.
   *
   * @throws IOException if the port cannot be bound
   * @throws IllegalStateException if already started or closed, or if the protocols do not fit
   *     the transport ({@code h2} needs {@link #useHttps}, {@code h2c} needs cleartext)
   */
  public void start() throws IOException {
    start(0);
  }

  /**
   * Binds 127.0.0.1 on {@code port} (0 for an ephemeral port) and starts serving.
   *
   * @throws IOException if the port cannot be bound
   * @throws IllegalStateException if already started or closed, or if the protocols do not fit
   *     the transport
   */
  public void start(int port) throws IOException {
    lifecycleLock.lock();
    try {
      checkNotStarted("start");
      ServerConfig config = new ServerConfig(sslContext, protocols, http2Settings);
      checkProtocolsFitTransport(config);
      started = true;
      acceptThreads = new ServerThreadFactory(serverId, "accept");
      connectionThreads = new ServerThreadFactory(serverId, "io");
      acceptGroup = new MultiThreadIoEventLoopGroup(1, acceptThreads, NioIoHandler.newFactory());
      connectionGroup = new MultiThreadIoEventLoopGroup(2, connectionThreads, NioIoHandler.newFactory());
      connections = new DefaultChannelGroup("TestServer-" + serverId, acceptGroup.next());
      ServerBootstrap bootstrap = new ServerBootstrap()
          .group(acceptGroup, connectionGroup)
          .channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ConnectionInitializer(config, new Exchanges(), connections, connectionCount));
      ChannelFuture bound = bootstrap.bind(new InetSocketAddress(loopback(), port)).awaitUninterruptibly();
      if (!bound.isSuccess()) {
        shutDownEventLoops();
        Throwable cause = bound.cause();
        if (cause instanceof IOException) {
          throw (IOException) cause;
        }
        throw new IOException("TestServer cannot bind 127.0.0.1:" + port, cause);
      }
      serverChannel = bound.channel();
      this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    } finally {
      lifecycleLock.unlock();
    }
  }

  /** Returns the host name used in {@link #url}: {@code "127.0.0.1"} unless changed. */
  public String hostName() {
    return hostName;
  }

  /**
   * Sets the host name used in {@link #url}, for example {@code "localhost"} so that TLS
   * clients verify a certificate issued for that name. The server still listens on 127.0.0.1.
   */
  public void hostName(String name) {
    this.hostName = Objects.requireNonNull(name, "name");
  }

  /**
   * Returns the port the server listens on.
   *
   * @throws IllegalStateException if the server has not been started
   */
  public int port() {
    int boundPort = port;
    if (boundPort == -1) {
      throw new IllegalStateException("TestServer is not started");
    }
    return boundPort;
  }

  /** Returns the address the server listens on. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(loopback(), port());
  }

  /**
   * Returns the URL of {@code path} on this server, for example {@code
   * "http://127.0.0.1:54321/path"}, or {@code https} when TLS is on. A missing leading slash
   * is added.
   *
   * @throws IllegalStateException if the server has not been started
   */
  public String url(String path) {
    String scheme = sslContext != null ? "https" : "http";
    String slash = path.startsWith("/") ? "" : "/";
    return scheme + "://" + hostName + ":" + port() + slash + path;
  }

  /** Adds {@code response} to the end of the response queue. */
  public void enqueue(ScriptedResponse response) {
    responseQueue.add(Objects.requireNonNull(response, "response"));
  }

  /**
   * Answers every request with the response {@code dispatcher} returns for it, instead of the
   * queue; null goes back to the queue. The dispatcher runs on an event-loop thread and should
   * not block. If it throws or returns null the server answers {@code 500} with the reason in
   * the body.
   */
  public void dispatcher(Function<RecordedRequest, ScriptedResponse> dispatcher) {
    this.dispatcher = dispatcher;
  }

  /**
   * Returns the next recorded request, waiting up to 10 seconds for it.
   *
   * @throws AssertionError if no request arrives within 10 seconds
   * @throws InterruptedException if interrupted while waiting
   */
  public RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = requestQueue.poll(DEFAULT_TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("no request within " + DEFAULT_TAKE_TIMEOUT_SECONDS + " s");
    }
    return request;
  }

  /**
   * Returns the next recorded request, waiting up to {@code timeout}, or null when none
   * arrived in time.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public RecordedRequest takeRequest(long timeout, TimeUnit unit) throws InterruptedException {
    return requestQueue.poll(timeout, unit);
  }

  /** Returns how many requests have been recorded so far, including those already taken. */
  public int requestCount() {
    return requestCount.get();
  }

  /** Returns how many TCP connections the server has accepted so far. */
  public int connectionCount() {
    return connectionCount.get();
  }

  /**
   * Closes the listener and every open connection, then shuts the event loops down and waits
   * for their threads to end. Safe to call more than once, and before {@link #start()}.
   */
  @Override
  public void close() {
    lifecycleLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (!started || serverChannel == null) {
        return;
      }
      serverChannel.close().awaitUninterruptibly();
      connections.close().awaitUninterruptibly();
      shutDownEventLoops();
    } finally {
      lifecycleLock.unlock();
    }
  }

  @Override
  public String toString() {
    int boundPort = port;
    return "TestServer{" + (boundPort == -1 ? "not started" : hostName + ":" + boundPort) + ", " + protocols + "}";
  }

  private void shutDownEventLoops() {
    acceptGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    connectionGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    acceptGroup.terminationFuture().awaitUninterruptibly();
    connectionGroup.terminationFuture().awaitUninterruptibly();
    // Termination is signalled from inside each thread just before it returns; join to be sure.
    acceptThreads.awaitThreadsEnded(THREAD_END_TIMEOUT_MILLIS);
    connectionThreads.awaitThreadsEnded(THREAD_END_TIMEOUT_MILLIS);
  }

  private void checkNotStarted(String method) {
    if (started || closed) {
      throw new IllegalStateException(method + "() must be called before start() and close()");
    }
  }

  private static void checkProtocolsFitTransport(ServerConfig config) {
    List<String> misfits = new ArrayList<>();
    for (String protocol : config.protocols()) {
      if (config.tls() ? protocol.equals(ServerConfig.H2C) : protocol.equals(ServerConfig.H2)) {
        misfits.add(protocol);
      }
    }
    if (!misfits.isEmpty()) {
      throw new IllegalStateException(config.tls()
          ? "protocol h2c is HTTP/2 on cleartext; with useHttps() use h2"
          : "protocol h2 needs TLS; call useHttps() or use h2c for cleartext HTTP/2");
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Connects the protocol handlers to the queue, the dispatcher and the request record. */
  private final class Exchanges implements ResponseSource {
    @Override
    public ScriptedResponse pollCloseAtConnect() {
      if (dispatcher != null) {
        return null;
      }
      ScriptedResponse next = responseQueue.peek();
      if (next != null && next.fault() == Fault.CLOSE_AT_CONNECT && responseQueue.remove(next)) {
        return next;
      }
      return null;
    }

    @Override
    public ScriptedResponse peek() {
      return dispatcher != null ? null : responseQueue.peek();
    }

    @Override
    public ScriptedResponse respond(ReceivedRequest received) {
      RecordedRequest request = new RecordedRequest(received);
      ScriptedResponse response = choose(request);
      if (response.fault() != Fault.CLOSE_AT_CONNECT) {
        requestCount.incrementAndGet();
        requestQueue.add(request);
      }
      return response;
    }

    private ScriptedResponse choose(RecordedRequest request) {
      Function<RecordedRequest, ScriptedResponse> current = dispatcher;
      if (current == null) {
        ScriptedResponse queued = responseQueue.poll();
        return queued != null ? queued : NO_SCRIPTED_RESPONSE;
      }
      try {
        ScriptedResponse response = current.apply(request);
        return response != null ? response : serverError("dispatcher returned null for " + request);
      } catch (RuntimeException | Error e) {
        // Turning a broken dispatcher into a 500 keeps the failure visible to the test instead
        // of leaving the client waiting.
        return serverError("dispatcher failed for " + request + ": " + e);
      }
    }

    private ScriptedResponse serverError(String message) {
      return ScriptedResponse.builder().status(500).body(message).build();
    }
  }
}
