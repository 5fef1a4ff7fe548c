package dev.courier.chain;

import dev.courier.Authenticator;
import dev.courier.Call;
import dev.courier.CertificatePinner;
import dev.courier.ConnectionSpec;
import dev.courier.CookieJar;
import dev.courier.Dns;
import dev.courier.EventListener;
import dev.courier.HttpCache;
import dev.courier.HttpUrl;
import dev.courier.Interceptor;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.WebSocket;
import dev.courier.WebSocketListener;
import dev.courier.chain.internal.CallRuntime;
import dev.courier.chain.internal.ClientDefaults;
import dev.courier.chain.internal.NullProxySelector;
import dev.courier.chain.internal.RealCall;
import dev.courier.chain.internal.TimeoutSettings;
import dev.courier.chain.internal.ws.RealWebSocket;
import dev.courier.chain.internal.ws.WebSocketSettings;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.internal.ConnectSettings;
import dev.courier.pool.internal.PoolAccess;
import dev.courier.pool.internal.ProtocolProviders;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.spi.RouteSelector;
import dev.courier.spi.RouteSelectorProvider;
import dev.courier.tls.StrictHostnameVerifier;
import dev.courier.tls.TlsDefaults;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.SocketFactory;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Sends HTTP requests and reads their responses: the entry point of Courier.
 *
 * <p>Make one client and share it: each client holds a connection pool and a dispatcher, and
 * calls reuse pooled connections. {@code new CourierClient()} uses the defaults; {@link #builder()}
 * configures one; {@link #newBuilder()} derives a client with changed settings that shares this
 * one's pool, dispatcher and route selector.
 *
 * <pre>{@code
 * CourierClient client = CourierClient.builder().readTimeout(Duration.ofSeconds(30)).build();
 * try (Response response = client.newCall(new Request.Builder().url("https://example.com/").build()).execute()) {
 *   System.out.println(response.body().string());
 * }
 * }</pre>
 *
 * <p>Protocol codecs are plug-ins: the protocols a client offers are those that the {@link
 * ProtocolConnectionProvider}s found on the class path (or given to {@link
 * Builder#protocolProviders}) speak, so {@code courier-codec-http1} must be present for the
 * defaults. Clients are immutable and thread-safe.
 *
 * <p>A client needs no closing to be collected: its threads are daemons and end when idle. Call
 * {@link #close()} (or use try-with-resources) to release everything at once.
 */
public final class CourierClient implements Call.Factory, WebSocket.Factory, AutoCloseable {
  /** How many follow-ups a call makes by default; Chrome follows 21 redirects, Firefox 20, curl 50. */
  public static final int DEFAULT_MAX_FOLLOW_UPS = 20;

  private final Dispatcher dispatcher;
  private final ConnectionPool connectionPool;
  private final List<Interceptor> interceptors;
  private final List<Interceptor> networkInterceptors;
  private final EventListener.Factory eventListenerFactory;
  private final boolean retryOnConnectionFailure;
  private final boolean followRedirects;
  private final boolean followSslRedirects;
  private final int maxFollowUps;
  private final CookieJar cookieJar;
  private final HttpCache cache;
  private final Dns dns;
  private final Proxy proxy;
  private final ProxySelector proxySelector;
  private final Authenticator authenticator;
  private final Authenticator proxyAuthenticator;
  private final SocketFactory socketFactory;
  private final SSLSocketFactory sslSocketFactory;
  private final X509TrustManager x509TrustManager;
  private final HostnameVerifier hostnameVerifier;
  private final CertificatePinner certificatePinner;
  private final List<ConnectionSpec> connectionSpecs;
  private final List<Protocol> protocols;
  private final List<Protocol> explicitProtocols;
  private final List<ProtocolConnectionProvider> explicitProtocolProviders;
  private final List<ProtocolConnectionProvider> protocolProviders;
  private final RouteSelector routeSelector;
  private final Map<Protocol, String> protocolProviderNames;
  private final Map<String, Map<String, String>> providerSettings;
  private final Map<String, String> chosenProviders;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final int writeTimeoutMillis;
  private final int callTimeoutMillis;
  private final int pingIntervalMillis;
  private final String userAgent;
  private final long maxDecompressedBodyBytes;
  private final WebSocketSettings webSocketSettings;
  private final CallRuntime runtime;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Creates a client with the default settings.
   *
   * @throws IllegalArgumentException if no protocol provider speaking HTTP/1.1 is on the class path
   */
  public CourierClient() {
    this(new Builder());
  }

  private CourierClient(Builder builder) {
    this.dispatcher = builder.dispatcher != null ? builder.dispatcher : new Dispatcher();
    Map<String, String> chosen = new LinkedHashMap<>();
    ProviderLoader.Created<EvictionPolicyProvider, ConnectionPool> pool = ClientDefaults.connectionPool(
        builder.connectionPool, builder.evictionPolicyName, builder.providerSettings);
    this.connectionPool = pool.product();
    this.interceptors = List.copyOf(builder.interceptors);
    this.networkInterceptors = List.copyOf(builder.networkInterceptors);
    this.eventListenerFactory = builder.eventListenerFactory;
    this.retryOnConnectionFailure = builder.retryOnConnectionFailure;
    this.followRedirects = builder.followRedirects;
    this.followSslRedirects = builder.followSslRedirects;
    this.maxFollowUps = builder.maxFollowUps;
    this.cookieJar = builder.cookieJar;
    this.cache = builder.cache;
    this.dns = builder.dns;
    this.proxy = builder.proxy;
    ProxySelector selector = builder.proxySelector;
    if (selector == null && builder.proxy == null) {
      selector = ProxySelector.getDefault();
    }
    this.proxySelector = selector != null ? selector : NullProxySelector.INSTANCE;
    this.authenticator = builder.authenticator;
    this.proxyAuthenticator = builder.proxyAuthenticator;
    this.socketFactory = builder.socketFactory;
    if (builder.sslSocketFactory != null) {
      this.sslSocketFactory = builder.sslSocketFactory;
      this.x509TrustManager = builder.x509TrustManager;
    } else {
      // The JDK's default TLS context is made when first needed: loading the trust store and
      // setting up the providers takes a cold JVM a quarter of a second, which a client that only
      // speaks cleartext should not pay.
      this.sslSocketFactory = null;
      this.x509TrustManager = null;
    }
    this.hostnameVerifier = builder.hostnameVerifier;
    this.certificatePinner = builder.certificatePinner;
    this.connectionSpecs = builder.connectionSpecs;
    this.explicitProtocolProviders = builder.protocolProviders;
    this.protocolProviderNames = Map.copyOf(builder.protocolProviderNames);
    this.providerSettings = copy(builder.providerSettings);
    ProtocolProviders providers = ProtocolProviders.discover(builder.protocolProviders,
        protocolProviderNames, providerSettings);
    this.explicitProtocols = builder.protocols;
    this.protocols = ClientDefaults.protocols(builder.protocols, providers);
    this.protocolProviders = ClientDefaults.providersFor(protocols, providers);
    for (Protocol protocol : protocols) {
      chosen.put(ProtocolConnectionProvider.class.getSimpleName() + " " + protocol,
          providers.forProtocol(protocol).name());
    }
    ProviderLoader.Created<RouteSelectorProvider, RouteSelector> routes = ClientDefaults.routeSelector(
        builder.routeSelector, builder.routeSelectorName, providerSettings);
    this.routeSelector = routes.product();
    if (routes.provider() != null) {
      chosen.put(RouteSelectorProvider.class.getSimpleName(), routes.provider().name());
    }
    if (pool.provider() != null) {
      chosen.put(EvictionPolicyProvider.class.getSimpleName(), pool.provider().name());
    }
    this.chosenProviders = Collections.unmodifiableMap(chosen);
    this.connectTimeoutMillis = builder.connectTimeoutMillis;
    this.readTimeoutMillis = builder.readTimeoutMillis;
    this.writeTimeoutMillis = builder.writeTimeoutMillis;
    this.callTimeoutMillis = builder.callTimeoutMillis;
    this.pingIntervalMillis = builder.pingIntervalMillis;
    this.userAgent = builder.userAgent;
    this.maxDecompressedBodyBytes = builder.maxDecompressedBodyBytes;
    this.webSocketSettings = new WebSocketSettings(pingIntervalMillis,
        builder.webSocketCloseTimeoutMillis, builder.webSocketMaxMessageBytes,
        builder.webSocketMaxQueueBytes, builder.webSocketFragmentBytes,
        builder.webSocketCompression);
    ConnectSettings connectSettings = new ConnectSettings(
        routeSelector, providers, pingIntervalMillis, retryOnConnectionFailure);
    this.runtime = new CallRuntime(this, connectSettings, dispatcher.scheduler());
  }

  /** Returns a builder with the default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this client's settings, sharing its pool, dispatcher and route
   * selector (and cache, if any); {@link #close()} on either client closes what they share.
   */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Returns a call that sends {@code request} when executed or enqueued. */
  @Override
  public Call newCall(Request request) {
    return new RealCall(runtime, Objects.requireNonNull(request, "request == null"));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The socket runs over an HTTP/1.1 connection of its own, opened through this client's
   * interceptors, authenticators and event listener but not its cache; the connection is never
   * pooled again and closes when the socket ends. The client's {@linkplain
   * Builder#pingInterval(Duration) ping interval} applies, and the connect, write and call
   * timeouts apply to the handshake; once the socket is open, reads wait without a timeout (use a
   * ping interval to find a silent server) and writes keep the write timeout. See {@link
   * Builder#webSocketCloseTimeout}, {@link Builder#webSocketMaxMessageBytes}, {@link
   * Builder#webSocketMaxQueueBytes} and {@link Builder#webSocketFragmentBytes} for the limits.
   *
   * @throws IllegalArgumentException if the method is not GET, the request has a body, or this
   *     client cannot speak HTTP/1.1
   */
  @Override
  public WebSocket newWebSocket(Request request, WebSocketListener listener) {
    return RealWebSocket.open(this, request, listener, webSocketSettings);
  }

  /**
   * Closes this client: stops its dispatcher, closes its connection pool and its cache, and so
   * ends every thread the client started. In detail:
   *
   * <ul>
   *   <li>Running calls, synchronous and asynchronous, are canceled (they fail with an
   *       IOException, through their callback if asynchronous); queued asynchronous calls fail
   *       without starting, their callbacks called on this thread. Calls made afterwards throw
   *       {@link IllegalStateException} from {@link Call#execute()} and {@link Call#enqueue}.
   *   <li>The default dispatcher executor is shut down: its idle threads end at once, and a
   *       thread running a callback ends when the callback returns (this method does not wait
   *       for callbacks, so a callback may call it). An executor given to {@link
   *       Dispatcher#Dispatcher(java.util.concurrent.ExecutorService)} is left to its owner.
   *   <li>Every pooled connection, idle or in use, is closed with its socket; HTTP/2 reader and
   *       keep-alive ping threads end with their connections. The pool's cleanup thread has
   *       ended when this method returns.
   *   <li>The cache is closed if it is {@link Closeable} (the cache module's {@code Cache} is).
   * </ul>
   *
   * <p>The dispatcher, pool and cache are shared with clients derived with {@link #newBuilder()}
   * (and with any client given the same instances): closing one client closes them for all, so
   * those clients refuse calls too. To retire one derived client and keep the others working,
   * simply stop using it: it holds nothing of its own to release.
   *
   * <p>Idempotent: closing a client again, or a client sharing what it closed, does no harm.
   *
   * @throws UncheckedIOException if closing the cache failed; everything else was closed first
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    dispatcher.close();
    PoolAccess.realPool(connectionPool).close();
    if (cache instanceof Closeable) {
      try {
        ((Closeable) cache).close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing the cache failed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Keeps at least {@code minIdle} idle connections open to {@code url}'s origin (its scheme, host
   * and port), opening them in the background so that calls find them ready; 0 stops doing so.
   * Calling it again for the same origin replaces the number.
   *
   * <p>Connections are opened on a daemon thread named {@code "Courier Prewarmer"}, with this
   * client's connect settings and timeouts, never beyond the pool's {@link
   * dev.courier.pool.PoolLimits} and never while a call waits for a slot under them. Idle HTTP/1
   * connections are checked every second and replaced when the server closed them; one HTTP/2
   * connection with room satisfies any minimum. Connect failures are logged and retried after a
   * back-off that doubles from 100 ms to 30 s, never thrown. Keep {@code minIdle} within the pool
   * policy's idle limit, or the policy closes what is opened. Pre-warming ends when the pool is
   * closed ({@link #close()}).
   *
   * @throws IllegalArgumentException if {@code minIdle} is negative
   * @throws IllegalStateException if the client's connection pool is closed
   */
  public void prewarm(HttpUrl url, int minIdle) {
    runtime.prewarm(Objects.requireNonNull(url, "url == null"), minIdle);
  }

  /** Returns the dispatcher that runs asynchronous calls. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Returns the pool of connections calls reuse. */
  public ConnectionPool connectionPool() {
    return connectionPool;
  }

  /** Returns the application interceptors, in order; immutable. */
  public List<Interceptor> interceptors() {
    return interceptors;
  }

  /** Returns the network interceptors, in order; immutable. */
  public List<Interceptor> networkInterceptors() {
    return networkInterceptors;
  }

  /** Returns the factory of each call's event listener. */
  public EventListener.Factory eventListenerFactory() {
    return eventListenerFactory;
  }

  /** Returns true if failed connections and stale pooled ones are retried when safe. */
  public boolean retryOnConnectionFailure() {
    return retryOnConnectionFailure;
  }

  /** Returns true if redirects are followed. */
  public boolean followRedirects() {
    return followRedirects;
  }

  /** Returns true if redirects from https to http are followed (when redirects are); default false. */
  public boolean followSslRedirects() {
    return followSslRedirects;
  }

  /** Returns how many redirects and authentication challenges a call follows; default 20. */
  public int maxFollowUps() {
    return maxFollowUps;
  }

  /** Returns the cookie jar. */
  public CookieJar cookieJar() {
    return cookieJar;
  }

  /** Returns the cache in the chain's cache slot, or null if there is none. */
  public HttpCache cache() {
    return cache;
  }

  /** Returns the resolver for host names. */
  public Dns dns() {
    return dns;
  }

  /** Returns the explicit proxy, or null if the proxy selector decides. */
  public Proxy proxy() {
    return proxy;
  }

  /** Returns the proxy selector; one that selects no proxy if none is configured or known. */
  public ProxySelector proxySelector() {
    return proxySelector;
  }

  /** Returns the authenticator that answers 401 challenges from servers. */
  public Authenticator authenticator() {
    return authenticator;
  }

  /** Returns the authenticator that answers 407 challenges from proxies. */
  public Authenticator proxyAuthenticator() {
    return proxyAuthenticator;
  }

  /** Returns the factory of plain sockets. */
  public SocketFactory socketFactory() {
    return socketFactory;
  }

  /**
   * Returns the factory of TLS sockets: the one given to the builder, else the JDK's default TLS
   * context's ({@link TlsDefaults#sslSocketFactory()}), whose creation starts on a daemon thread
   * the first time this is called (by the first HTTPS call, or here); the factory waits for it.
   */
  public SSLSocketFactory sslSocketFactory() {
    return sslSocketFactory != null ? sslSocketFactory : TlsDefaults.sslSocketFactory();
  }

  /** Returns the trust manager given with the TLS socket factory, or null for the default one. */
  public X509TrustManager x509TrustManager() {
    return x509TrustManager;
  }

  /** Returns the verifier of server host names against their certificates. */
  public HostnameVerifier hostnameVerifier() {
    return hostnameVerifier;
  }

  /** Returns the certificate pinner. */
  public CertificatePinner certificatePinner() {
    return certificatePinner;
  }

  /**
   * Returns the connection specs: TLS versions and cipher suites for https, and whether http is
   * allowed; immutable.
   */
  public List<ConnectionSpec> connectionSpecs() {
    return connectionSpecs;
  }

  /** Returns the protocols offered, most preferred first; immutable. */
  public List<Protocol> protocols() {
    return protocols;
  }

  /** Returns the providers that speak {@link #protocols()}, one per protocol, without repeats. */
  public List<ProtocolConnectionProvider> protocolProviders() {
    return protocolProviders;
  }

  /** Returns the route selector. */
  public RouteSelector routeSelector() {
    return routeSelector;
  }

  /**
   * Returns the name of each provider this client chose, by plug-in point: {@code
   * "ProtocolConnectionProvider <protocol>"} for each protocol offered, {@code
   * "RouteSelectorProvider"} and {@code "EvictionPolicyProvider"} unless an instance (a selector, a
   * pool) was given instead. Immutable, in that order.
   */
  public Map<String, String> chosenProviders() {
    return chosenProviders;
  }

  /** Returns the settings given on the builder, by provider name then key; immutable. */
  public Map<String, Map<String, String>> providerSettings() {
    return providerSettings;
  }

  private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> settings) {
    Map<String, Map<String, String>> result = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> entry : settings.entrySet()) {
      result.put(entry.getKey(), Collections.unmodifiableMap(new LinkedHashMap<>(entry.getValue())));
    }
    return Collections.unmodifiableMap(result);
  }

  /** Returns the connect timeout in milliseconds; 0 means none. */
  public int connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /** Returns the read timeout in milliseconds; 0 means none. */
  public int readTimeoutMillis() {
    return readTimeoutMillis;
  }

  /** Returns the write timeout in milliseconds; 0 means none. */
  public int writeTimeoutMillis() {
    return writeTimeoutMillis;
  }

  /** Returns how long a closing WebSocket waits for the server's close frame, in milliseconds. */
  public long webSocketCloseTimeoutMillis() {
    return webSocketSettings.closeTimeoutMillis();
  }

  /** Returns the largest message a WebSocket accepts from the server, in bytes. */
  public long webSocketMaxMessageBytes() {
    return webSocketSettings.maxMessageBytes();
  }

  /** Returns the most bytes of messages a WebSocket queues for sending. */
  public long webSocketMaxQueueBytes() {
    return webSocketSettings.maxQueueBytes();
  }

  /** Returns the largest frame payload a WebSocket sends; longer messages are fragmented. */
  public int webSocketFragmentBytes() {
    return webSocketSettings.fragmentBytes();
  }

  /** Returns whether WebSockets offer permessage-deflate compression (RFC 7692). */
  public boolean webSocketCompression() {
    return webSocketSettings.compression();
  }

  /** Returns the timeout of whole calls in milliseconds; 0 means none. */
  public int callTimeoutMillis() {
    return callTimeoutMillis;
  }

  /** Returns the interval of HTTP/2 pings in milliseconds; 0 means no pings. */
  public int pingIntervalMillis() {
    return pingIntervalMillis;
  }

  /** Returns the User-Agent sent with requests that set none. */
  public String userAgent() {
    return userAgent;
  }

  /**
   * Returns the most bytes a transparently decompressed (gzip) response body may decode to;
   * {@link Long#MAX_VALUE} means no limit.
   */
  public long maxDecompressedBodyBytes() {
    return maxDecompressedBodyBytes;
  }

  /**
   * Configures a {@link CourierClient}. Each setter documents its default. Setters reject
   * invalid arguments with {@link IllegalArgumentException} (or {@link NullPointerException} for
   * nulls where none is allowed); {@link #build()} rejects combinations that cannot work. Not
   * thread-safe.
   */
  public static final class Builder {
    private Dispatcher dispatcher;
    private ConnectionPool connectionPool;
    private final List<Interceptor> interceptors = new ArrayList<>();
    private final List<Interceptor> networkInterceptors = new ArrayList<>();
    private EventListener.Factory eventListenerFactory = NO_EVENTS;
    private boolean retryOnConnectionFailure = true;
    private boolean followRedirects = true;
    private boolean followSslRedirects = false;
    private int maxFollowUps = DEFAULT_MAX_FOLLOW_UPS;
    private CookieJar cookieJar = CookieJar.NO_COOKIES;
    private HttpCache cache;
    private Dns dns = Dns.SYSTEM;
    private Proxy proxy;
    private ProxySelector proxySelector;
    private Authenticator authenticator = Authenticator.NONE;
    private Authenticator proxyAuthenticator = Authenticator.NONE;
    private SocketFactory socketFactory = SocketFactory.getDefault();
    private SSLSocketFactory sslSocketFactory;
    private X509TrustManager x509TrustManager;
    private HostnameVerifier hostnameVerifier = StrictHostnameVerifier.INSTANCE;
    private CertificatePinner certificatePinner = CertificatePinner.DEFAULT;
    private List<ConnectionSpec> connectionSpecs = ConnectionSpec.DEFAULT_CONNECTION_SPECS;
    private List<Protocol> protocols;
    private List<ProtocolConnectionProvider> protocolProviders = List.of();
    private RouteSelector routeSelector;
    private String routeSelectorName;
    private String evictionPolicyName;
    private final Map<Protocol, String> protocolProviderNames = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> providerSettings = new LinkedHashMap<>();
    private int connectTimeoutMillis = 10_000;
    private int readTimeoutMillis = 10_000;
    private int writeTimeoutMillis = 10_000;
    private int callTimeoutMillis;
    private int pingIntervalMillis;
    private String userAgent = DEFAULT_USER_AGENT;
    private long maxDecompressedBodyBytes = DEFAULT_MAX_DECOMPRESSED_BODY_BYTES;
    private long webSocketCloseTimeoutMillis = DEFAULT_WEB_SOCKET_CLOSE_TIMEOUT.toMillis();
    private long webSocketMaxMessageBytes = DEFAULT_WEB_SOCKET_MAX_MESSAGE_BYTES;
    private long webSocketMaxQueueBytes = DEFAULT_WEB_SOCKET_MAX_QUEUE_BYTES;
    private int webSocketFragmentBytes = DEFAULT_WEB_SOCKET_FRAGMENT_BYTES;
    private boolean webSocketCompression = true;

    /** Creates a builder with the default settings. */
    public Builder() {}

    private Builder(CourierClient client) {
      this.dispatcher = client.dispatcher;
      this.connectionPool = client.connectionPool;
      this.interceptors.addAll(client.interceptors);
      this.networkInterceptors.addAll(client.networkInterceptors);
      this.eventListenerFactory = client.eventListenerFactory;
      this.retryOnConnectionFailure = client.retryOnConnectionFailure;
      this.followRedirects = client.followRedirects;
      this.followSslRedirects = client.followSslRedirects;
      this.maxFollowUps = client.maxFollowUps;
      this.cookieJar = client.cookieJar;
      this.cache = client.cache;
      this.dns = client.dns;
      this.proxy = client.proxy;
      this.proxySelector = client.proxySelector;
      this.authenticator = client.authenticator;
      this.proxyAuthenticator = client.proxyAuthenticator;
      this.socketFactory = client.socketFactory;
      if (client.x509TrustManager != null) {
        this.sslSocketFactory = client.sslSocketFactory;
        this.x509TrustManager = client.x509TrustManager;
      }
      this.hostnameVerifier = client.hostnameVerifier;
      this.certificatePinner = client.certificatePinner;
      this.connectionSpecs = client.connectionSpecs;
      this.protocols = client.explicitProtocols;
      this.protocolProviders = client.explicitProtocolProviders;
      this.routeSelector = client.routeSelector;
      this.protocolProviderNames.putAll(client.protocolProviderNames);
      for (Map.Entry<String, Map<String, String>> entry : client.providerSettings.entrySet()) {
        this.providerSettings.put(entry.getKey(), new LinkedHashMap<>(entry.getValue()));
      }
      this.connectTimeoutMillis = client.connectTimeoutMillis;
      this.readTimeoutMillis = client.readTimeoutMillis;
      this.writeTimeoutMillis = client.writeTimeoutMillis;
      this.callTimeoutMillis = client.callTimeoutMillis;
      this.pingIntervalMillis = client.pingIntervalMillis;
      this.userAgent = client.userAgent;
      this.maxDecompressedBodyBytes = client.maxDecompressedBodyBytes;
      this.webSocketCloseTimeoutMillis = client.webSocketSettings.closeTimeoutMillis();
      this.webSocketMaxMessageBytes = client.webSocketSettings.maxMessageBytes();
      this.webSocketMaxQueueBytes = client.webSocketSettings.maxQueueBytes();
      this.webSocketFragmentBytes = client.webSocketSettings.fragmentBytes();
      this.webSocketCompression = client.webSocketSettings.compression();
    }

    /** Sets the dispatcher of asynchronous calls. Default: a new {@link Dispatcher} per client. */
    public Builder dispatcher(Dispatcher dispatcher) {
      this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher == null");
      return this;
    }

    /** Sets the connection pool. Default: a new {@link ConnectionPool} per client. */
    public Builder connectionPool(ConnectionPool connectionPool) {
      this.connectionPool = Objects.requireNonNull(connectionPool, "connectionPool == null");
      return this;
    }

    /**
     * Adds an application interceptor: it sees each call once, before redirects, retries and the
     * cache, and may short-circuit or proceed several times. Default: none.
     */
    public Builder addInterceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
      return this;
    }

    /**
     * Adds a network interceptor: it sees each network exchange, with its connection, and must
     * proceed exactly once without changing the host or port. Default: none.
     */
    public Builder addNetworkInterceptor(Interceptor interceptor) {
      networkInterceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
      return this;
    }

    /** Returns the modifiable list of application interceptors. */
    public List<Interceptor> interceptors() {
      return interceptors;
    }

    /** Returns the modifiable list of network interceptors. */
    public List<Interceptor> networkInterceptors() {
      return networkInterceptors;
    }

    /** Gives every call {@code eventListener}, which must then be thread-safe. Default: no events. */
    public Builder eventListener(EventListener eventListener) {
      this.eventListenerFactory = Objects.requireNonNull(eventListener, "eventListener == null").asFactory();
      return this;
    }

    /** Sets the factory of each call's event listener. Default: no events. */
    public Builder eventListenerFactory(EventListener.Factory eventListenerFactory) {
      this.eventListenerFactory = Objects.requireNonNull(eventListenerFactory, "eventListenerFactory == null");
      return this;
    }

    /**
     * Sets whether to retry a request on another route or a fresh connection after a connection
     * failure, a stale pooled connection, or a 408 response, when no one-shot body was spent.
     * Default true. Even then a request that may have reached the server is resent only if it is
     * {@linkplain Request#isRetryable() retryable}, and a call makes at most three attempts; see
     * {@code docs/retries.md}.
     */
    public Builder retryOnConnectionFailure(boolean retryOnConnectionFailure) {
      this.retryOnConnectionFailure = retryOnConnectionFailure;
      return this;
    }

    /** Sets whether to follow redirects (300, 301, 302, 303, 307, 308). Default true. */
    public Builder followRedirects(boolean followRedirects) {
      this.followRedirects = followRedirects;
      return this;
    }

    /**
     * Sets whether to follow redirects from https to http (when redirects are followed at all).
     * Default false: such a redirect would expose the request and its response to anyone on the
     * network, so the 3xx response is returned to the caller instead. Redirects to another origin
     * never carry the caller's {@code Authorization}, {@code Cookie} or
     * {@code Proxy-Authorization} headers, whatever this says.
     */
    public Builder followSslRedirects(boolean followSslRedirects) {
      this.followSslRedirects = followSslRedirects;
      return this;
    }

    /**
     * Sets how many follow-ups (redirects, authentication challenges, retryable statuses) a call
     * makes before it fails with a {@link java.net.ProtocolException}. Default {@value
     * #DEFAULT_MAX_FOLLOW_UPS}, as Firefox; 0 fails on the first redirect that would be followed
     * (to receive redirects instead, turn them off with {@link #followRedirects(boolean)}).
     *
     * @throws IllegalArgumentException if {@code maxFollowUps} is negative
     */
    public Builder maxFollowUps(int maxFollowUps) {
      if (maxFollowUps < 0) {
        throw new IllegalArgumentException("maxFollowUps < 0: " + maxFollowUps);
      }
      this.maxFollowUps = maxFollowUps;
      return this;
    }

    /** Sets the cookie jar. Default {@link CookieJar#NO_COOKIES}. */
    public Builder cookieJar(CookieJar cookieJar) {
      this.cookieJar = Objects.requireNonNull(cookieJar, "cookieJar == null");
      return this;
    }

    /** Sets the cache that fills the chain's cache slot; null for none (the default). */
    public Builder cache(HttpCache cache) {
      this.cache = cache;
      return this;
    }

    /** Sets the resolver of host names. Default {@link Dns#SYSTEM}. */
    public Builder dns(Dns dns) {
      this.dns = Objects.requireNonNull(dns, "dns == null");
      return this;
    }

    /**
     * Sets a proxy for every connection, overriding the proxy selector; {@link Proxy#NO_PROXY}
     * connects directly. Default null: the proxy selector decides.
     */
    public Builder proxy(Proxy proxy) {
      this.proxy = proxy;
      return this;
    }

    /** Sets the proxy selector, used when no proxy is set. Default {@link ProxySelector#getDefault()}. */
    public Builder proxySelector(ProxySelector proxySelector) {
      this.proxySelector = Objects.requireNonNull(proxySelector, "proxySelector == null");
      return this;
    }

    /** Sets the authenticator of 401 challenges. Default {@link Authenticator#NONE}. */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator == null");
      return this;
    }

    /** Sets the authenticator of 407 proxy challenges. Default {@link Authenticator#NONE}. */
    public Builder proxyAuthenticator(Authenticator proxyAuthenticator) {
      this.proxyAuthenticator = Objects.requireNonNull(proxyAuthenticator, "proxyAuthenticator == null");
      return this;
    }

    /**
     * Sets the factory of plain sockets. Default {@link SocketFactory#getDefault()}.
     *
     * @throws IllegalArgumentException if {@code socketFactory} makes TLS sockets
     */
    public Builder socketFactory(SocketFactory socketFactory) {
      Objects.requireNonNull(socketFactory, "socketFactory == null");
      if (socketFactory instanceof SSLSocketFactory) {
        throw new IllegalArgumentException("socketFactory must not be an SSLSocketFactory; "
            + "use sslSocketFactory(SSLSocketFactory, X509TrustManager)");
      }
      this.socketFactory = socketFactory;
      return this;
    }

    /**
     * Sets the factory of TLS sockets and the trust manager it was made with. Default: the JDK's
     * default TLS context ({@link TlsDefaults#sslSocketFactory()}).
     */
    public Builder sslSocketFactory(SSLSocketFactory sslSocketFactory, X509TrustManager trustManager) {
      this.sslSocketFactory = Objects.requireNonNull(sslSocketFactory, "sslSocketFactory == null");
      this.x509TrustManager = Objects.requireNonNull(trustManager, "trustManager == null");
      return this;
    }

    /**
     * Sets the verifier of server host names. Default {@link StrictHostnameVerifier}: subject
     * alternative names only, RFC 6125 wildcards.
     */
    public Builder hostnameVerifier(HostnameVerifier hostnameVerifier) {
      this.hostnameVerifier = Objects.requireNonNull(hostnameVerifier, "hostnameVerifier == null");
      return this;
    }

    /** Sets the certificate pinner. Default {@link CertificatePinner#DEFAULT}, which pins nothing. */
    public Builder certificatePinner(CertificatePinner certificatePinner) {
      this.certificatePinner = Objects.requireNonNull(certificatePinner, "certificatePinner == null");
      return this;
    }

    /**
     * Sets the connection specs: for https, the TLS versions and cipher suites of the first TLS
     * spec that has a version and a suite in common with the TLS socket; for http, whether it is
     * allowed at all ({@link ConnectionSpec#CLEARTEXT} in the list). A call to an http URL without
     * CLEARTEXT fails with {@link java.net.UnknownServiceException} before anything is sent.
     * Default {@link ConnectionSpec#DEFAULT_CONNECTION_SPECS}: {@link ConnectionSpec#MODERN_TLS}
     * (TLS 1.3 and 1.2) and cleartext. Connections are pooled per list of specs: clients sharing
     * a pool with different specs never share connections.
     *
     * @throws IllegalArgumentException if {@code connectionSpecs} is empty or holds null
     */
    public Builder connectionSpecs(List<ConnectionSpec> connectionSpecs) {
      Objects.requireNonNull(connectionSpecs, "connectionSpecs == null");
      if (connectionSpecs.isEmpty()) {
        throw new IllegalArgumentException("connectionSpecs is empty");
      }
      for (ConnectionSpec spec : connectionSpecs) {
        if (spec == null) {
          throw new IllegalArgumentException("connectionSpecs holds null: " + connectionSpecs);
        }
      }
      this.connectionSpecs = List.copyOf(new LinkedHashSet<>(connectionSpecs));
      return this;
    }

    /**
     * Sets the protocols to offer, most preferred first. It must contain {@link Protocol#HTTP_1_1}
     * unless it is exactly [{@link Protocol#H2_PRIOR_KNOWLEDGE}], and every protocol must be spoken
     * by a provider ({@link #build()} checks). Default: every protocol the providers speak except
     * h2_prior_knowledge, HTTP/2 before HTTP/1.1.
     */
    public Builder protocols(List<Protocol> protocols) {
      this.protocols = new ArrayList<>(Objects.requireNonNull(protocols, "protocols == null"));
      return this;
    }

    /**
     * Uses exactly {@code providers} for the protocols instead of those {@link java.util.ServiceLoader}
     * finds; none restores discovery. Default: discovery.
     */
    public Builder protocolProviders(ProtocolConnectionProvider... providers) {
      this.protocolProviders = List.of(providers);
      return this;
    }

    /** Sets the route selector instance, overriding any name. Default: see {@link #routeSelectorName}. */
    public Builder routeSelector(RouteSelector routeSelector) {
      this.routeSelector = Objects.requireNonNull(routeSelector, "routeSelector == null");
      this.routeSelectorName = null;
      return this;
    }

    /**
     * Selects the route selector by provider name. Default: the provider named by the system
     * property {@code dev.courier.spi.RouteSelectorProvider}, else the highest priority provider,
     * else the built-in default ("courier-default"). {@link #build()} fails if no provider has the
     * name.
     */
    public Builder routeSelectorName(String name) {
      this.routeSelectorName = Objects.requireNonNull(name, "name == null");
      this.routeSelector = null;
      return this;
    }

    /**
     * Chooses the {@link ProtocolConnectionProvider} named {@code providerName} for
     * {@code protocol}, while the other protocols' providers are still discovered. A provider
     * speaking HTTP/1.0 but not HTTP/1.1, chosen for either, serves cleartext and
     * {@code http/1.1}-negotiated connections. Default: the provider named by the system property
     * {@code dev.courier.spi.ProtocolConnectionProvider} if it speaks the protocol, else the highest
     * priority one that does. {@link #build()} fails, naming the protocol, if no provider of that
     * name speaks it.
     */
    public Builder protocolProvider(Protocol protocol, String providerName) {
      this.protocolProviderNames.put(Objects.requireNonNull(protocol, "protocol == null"),
          Objects.requireNonNull(providerName, "providerName == null"));
      return this;
    }

    /**
     * Chooses the {@link dev.courier.spi.EvictionPolicyProvider} named {@code name} for the pool
     * this client creates; ignored when a pool is given with {@link #connectionPool}. Default: the
     * provider named by the system property {@code dev.courier.spi.EvictionPolicyProvider}, else
     * the highest priority one ({@code "idle-time"}). {@link #build()} fails, naming the provider,
     * if none has the name or its {@code create} throws.
     */
    public Builder evictionPolicyName(String name) {
      this.evictionPolicyName = Objects.requireNonNull(name, "name == null");
      return this;
    }

    /**
     * Sets {@code key} to {@code value} in the settings of the provider named {@code providerName}
     * (any plug-in point's), which the provider receives when it creates its product. Builder
     * settings override system properties {@code courier.provider.<providerName>.<key>}. Default:
     * none. Which keys a provider reads is the provider's to document; unknown keys are ignored.
     */
    public Builder providerSetting(String providerName, String key, String value) {
      Objects.requireNonNull(providerName, "providerName == null");
      Objects.requireNonNull(key, "key == null");
      Objects.requireNonNull(value, "value == null");
      providerSettings.computeIfAbsent(providerName, name -> new LinkedHashMap<>()).put(key, value);
      return this;
    }

    /** Sets the connect timeout (TCP and TLS handshake); 0 for none. Default 10 seconds. */
    public Builder connectTimeout(long timeout, TimeUnit unit) {
      this.connectTimeoutMillis = TimeoutSettings.toMillis("connectTimeout", timeout, unit);
      return this;
    }

    /** Sets the connect timeout; zero for none. Default 10 seconds. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeoutMillis = TimeoutSettings.toMillis("connectTimeout", timeout);
      return this;
    }

    /** Sets the longest wait for bytes from the server; 0 for none. Default 10 seconds. */
    public Builder readTimeout(long timeout, TimeUnit unit) {
      this.readTimeoutMillis = TimeoutSettings.toMillis("readTimeout", timeout, unit);
      return this;
    }

    /** Sets the read timeout; zero for none. Default 10 seconds. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeoutMillis = TimeoutSettings.toMillis("readTimeout", timeout);
      return this;
    }

    /** Sets the longest wait to write bytes to the server; 0 for none. Default 10 seconds. */
    public Builder writeTimeout(long timeout, TimeUnit unit) {
      this.writeTimeoutMillis = TimeoutSettings.toMillis("writeTimeout", timeout, unit);
      return this;
    }

    /** Sets the write timeout; zero for none. Default 10 seconds. */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeoutMillis = TimeoutSettings.toMillis("writeTimeout", timeout);
      return this;
    }

    /**
     * Sets the timeout of whole calls: resolving, connecting, redirects, writing the request and
     * reading the response body. On expiry the call is canceled and fails with {@link
     * java.io.InterruptedIOException} "timeout". 0 for none, the default.
     */
    public Builder callTimeout(long timeout, TimeUnit unit) {
      this.callTimeoutMillis = TimeoutSettings.toMillis("callTimeout", timeout, unit);
      return this;
    }

    /** Sets the call timeout; zero for none, the default. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeoutMillis = TimeoutSettings.toMillis("callTimeout", timeout);
      return this;
    }

    /**
     * Sets the interval of HTTP/2 keep-alive pings and of WebSocket pings; 0 for none, the
     * default. A WebSocket whose ping goes unanswered until the next one is due fails with a
     * {@link java.net.SocketTimeoutException}.
     */
    public Builder pingInterval(long interval, TimeUnit unit) {
      this.pingIntervalMillis = TimeoutSettings.toMillis("pingInterval", interval, unit);
      return this;
    }

    /** Sets the interval of HTTP/2 keep-alive pings and WebSocket pings; zero for none, the default. */
    public Builder pingInterval(Duration interval) {
      this.pingIntervalMillis = TimeoutSettings.toMillis("pingInterval", interval);
      return this;
    }

    /**
     * Sets the User-Agent sent with requests that set none. Default {@code "Courier/0.1"}.
     *
     * @throws IllegalArgumentException if it is empty or holds control characters
     */
    public Builder userAgent(String userAgent) {
      Objects.requireNonNull(userAgent, "userAgent == null");
      if (userAgent.isEmpty()) {
        throw new IllegalArgumentException("userAgent is empty");
      }
      for (int i = 0; i < userAgent.length(); i++) {
        char c = userAgent.charAt(i);
        if ((c < ' ' && c != '\t') || c == 0x7f) {
          throw new IllegalArgumentException("userAgent has a control character at " + i);
        }
      }
      this.userAgent = userAgent;
      return this;
    }

    /**
     * Sets the most bytes a response body that Courier decompresses transparently may decode to.
     * Courier asks for gzip and decodes it when the caller set neither {@code Accept-Encoding} nor
     * {@code Range}; reading beyond the limit fails with {@link
     * dev.courier.DecompressedBodyTooLargeException} naming the host and the limit, which ends a
     * decompression bomb (a few megabytes on the wire, gigabytes decoded) before it fills the heap.
     * Bodies the caller asked to receive encoded are not limited. {@link Long#MAX_VALUE} for no
     * limit. Default 256 MiB ({@value #DEFAULT_MAX_DECOMPRESSED_BODY_BYTES} bytes).
     *
     * @throws IllegalArgumentException if {@code maxDecompressedBodyBytes} is not positive
     */
    public Builder maxDecompressedBodyBytes(long maxDecompressedBodyBytes) {
      if (maxDecompressedBodyBytes <= 0L) {
        throw new IllegalArgumentException(
            "maxDecompressedBodyBytes must be positive: " + maxDecompressedBodyBytes);
      }
      this.maxDecompressedBodyBytes = maxDecompressedBodyBytes;
      return this;
    }

    /** The default limit on the decoded size of a transparently decompressed body: 256 MiB. */
    public static final long DEFAULT_MAX_DECOMPRESSED_BODY_BYTES = 256L * 1024 * 1024;

    /** The default time a closing WebSocket waits for the server's close frame: 60 seconds. */
    public static final Duration DEFAULT_WEB_SOCKET_CLOSE_TIMEOUT = Duration.ofSeconds(60);

    /** The default limit on a message a WebSocket receives: 16 MiB. */
    public static final long DEFAULT_WEB_SOCKET_MAX_MESSAGE_BYTES = 16L * 1024 * 1024;

    /** The default limit on the bytes a WebSocket queues for sending: 16 MiB. */
    public static final long DEFAULT_WEB_SOCKET_MAX_QUEUE_BYTES = 16L * 1024 * 1024;

    /** The default largest frame payload a WebSocket sends: 64 KiB. */
    public static final int DEFAULT_WEB_SOCKET_FRAGMENT_BYTES = 64 * 1024;

    /**
     * Sets how long a WebSocket waits for the server's close frame after sending its own (and for
     * its own to be sent after the server's arrived) before it closes the connection and fails
     * with a {@link java.net.SocketTimeoutException}. Default {@link
     * #DEFAULT_WEB_SOCKET_CLOSE_TIMEOUT}.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Builder webSocketCloseTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("webSocketCloseTimeout must be positive: " + timeout);
      }
      this.webSocketCloseTimeoutMillis = timeout.toMillis();
      return this;
    }

    /**
     * Sets the largest message a WebSocket accepts; a larger one (judged by its frame headers,
     * before its payload is read) fails the socket with a {@link dev.courier.WebSocketProtocolException}
     * and close code 1009. Default {@link #DEFAULT_WEB_SOCKET_MAX_MESSAGE_BYTES}.
     *
     * @throws IllegalArgumentException if {@code maxMessageBytes} is not positive
     */
    public Builder webSocketMaxMessageBytes(long maxMessageBytes) {
      if (maxMessageBytes <= 0L) {
        throw new IllegalArgumentException(
            "webSocketMaxMessageBytes must be positive: " + maxMessageBytes);
      }
      this.webSocketMaxMessageBytes = maxMessageBytes;
      return this;
    }

    /**
     * Sets the most bytes of messages a WebSocket queues for sending; {@link WebSocket#send} returns
     * false for a message that would exceed it. Default {@link #DEFAULT_WEB_SOCKET_MAX_QUEUE_BYTES}.
     *
     * @throws IllegalArgumentException if {@code maxQueueBytes} is not positive
     */
    public Builder webSocketMaxQueueBytes(long maxQueueBytes) {
      if (maxQueueBytes <= 0L) {
        throw new IllegalArgumentException("webSocketMaxQueueBytes must be positive: " + maxQueueBytes);
      }
      this.webSocketMaxQueueBytes = maxQueueBytes;
      return this;
    }

    /**
     * Sets the largest frame payload a WebSocket sends: longer messages go as a first frame and
     * continuation frames; {@link Integer#MAX_VALUE} sends every message in one frame. Default
     * {@link #DEFAULT_WEB_SOCKET_FRAGMENT_BYTES}.
     *
     * @throws IllegalArgumentException if {@code fragmentBytes} is not positive
     */
    public Builder webSocketFragmentBytes(int fragmentBytes) {
      if (fragmentBytes <= 0) {
        throw new IllegalArgumentException("webSocketFragmentBytes must be positive: " + fragmentBytes);
      }
      this.webSocketFragmentBytes = fragmentBytes;
      return this;
    }

    /**
     * Sets whether WebSockets offer the permessage-deflate extension (RFC 7692), which compresses
     * each message when the server agrees; {@link WebSocket#extensions()} says what was agreed.
     * Default true. When false, no extension is offered and a server that answers with one fails
     * the handshake.
     */
    public Builder webSocketCompression(boolean compression) {
      this.webSocketCompression = compression;
      return this;
    }

    /**
     * Returns the client.
     *
     * @throws IllegalArgumentException naming the setting, if the protocols cannot be spoken by the
     *     providers found, or a provider name matches no provider, or a provider chosen by name
     *     fails to create its product
     */
    public CourierClient build() {
      return new CourierClient(this);
    }
  }

  private static final String DEFAULT_USER_AGENT = "Courier/0.1";

  private static final EventListener.Factory NO_EVENTS = EventListener.NONE.asFactory();

  @Override
  public String toString() {
    return "CourierClient{protocols=" + protocols + ", providers=" + Arrays.toString(
        protocolProviders.stream().map(ProtocolConnectionProvider::name).toArray()) + "}";
  }
}
