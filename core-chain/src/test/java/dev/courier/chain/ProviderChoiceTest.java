package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.support.TestTls;
import dev.courier.http1.Http1Connection;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderSettings;
import dev.courier.spi.RouteSelector;
import dev.courier.spi.RouteSelectorProvider;
import dev.courier.spi.Transport;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing and configuring discovered providers on the builder: each test registers its own
 * providers (beside the built-in ones) through the thread's context class loader, which
 * {@link dev.courier.spi.ProviderLoader} searches.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProviderChoiceTest {
  /** What the test providers saw, cleared before each test. */
  static final List<ProviderSettings> POLICY_SETTINGS = new CopyOnWriteArrayList<>();
  static final List<Protocol> HTTP10_TRANSPORTS = new CopyOnWriteArrayList<>();

  /** A route selector provider that outranks the default but cannot create a selector. */
  public static final class FailingRouteSelectorProvider implements RouteSelectorProvider {
    @Override
    public String name() {
      return "failing-selector";
    }

    @Override
    public int priority() {
      return 10;
    }

    @Override
    public RouteSelector create() {
      throw new IllegalStateException("no routes today");
    }
  }

  /** An eviction policy provider, used only when named, that records its settings. */
  public static final class RecordingPolicyProvider implements EvictionPolicyProvider {
    @Override
    public String name() {
      return "recording-policy";
    }

    @Override
    public int priority() {
      return -10;
    }

    @Override
    public EvictionPolicy create() {
      return create(ProviderSettings.EMPTY);
    }

    @Override
    public EvictionPolicy create(ProviderSettings settings) {
      POLICY_SETTINGS.add(settings);
      return new IdleTimeEvictionPolicy(settings.getInt("maxIdle", 5),
          settings.getDuration("keepAlive", Duration.ofMinutes(5)).toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Speaks HTTP/1.0 only, with the built-in HTTP/1 connection; outranks it but is used only when chosen. */
  public static final class Http10Provider implements ProtocolConnectionProvider {
    @Override
    public String name() {
      return "test-http10";
    }

    @Override
    public int priority() {
      return 5;
    }

    @Override
    public Set<Protocol> protocols() {
      return Set.of(Protocol.HTTP_1_0);
    }

    @Override
    public ProtocolConnection create(Transport transport, ConnectionOptions options,
        ProtocolConnection.Listener listener) {
      HTTP10_TRANSPORTS.add(transport.protocol());
      return new Http1Connection(transport, listener);
    }
  }

  @TempDir Path directory;
  private final TestServer server = new TestServer();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel() == Level.WARNING) {
        warnings.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Logger julLogger = Logger.getLogger("dev.courier.spi.ProviderLoader");
  private ClassLoader originalLoader;

  @BeforeEach
  void registerTestProviders() throws IOException {
    POLICY_SETTINGS.clear();
    HTTP10_TRANSPORTS.clear();
    Path services = Files.createDirectories(directory.resolve("META-INF/services"));
    Files.writeString(services.resolve(RouteSelectorProvider.class.getName()),
        FailingRouteSelectorProvider.class.getName() + "\n");
    Files.writeString(services.resolve(EvictionPolicyProvider.class.getName()),
        RecordingPolicyProvider.class.getName() + "\n");
    Files.writeString(services.resolve(ProtocolConnectionProvider.class.getName()),
        Http10Provider.class.getName() + "\n");
    originalLoader = Thread.currentThread().getContextClassLoader();
    // A new loader per test: ProviderLoader caches per loader.
    Thread.currentThread().setContextClassLoader(
        new URLClassLoader(new URL[] {directory.toUri().toURL()}, getClass().getClassLoader()));
    julLogger.addHandler(handler);
  }

  @AfterEach
  void restore() {
    julLogger.removeHandler(handler);
    Thread.currentThread().setContextClassLoader(originalLoader);
    System.clearProperty("courier.provider.recording-policy.keepAlive");
    server.close();
  }

  @Test
  void providerWhoseCreateThrowsIsSkippedWithAWarningNamingIt() {
    try (CourierClient client = new CourierClient()) {
      assertThat(client.chosenProviders())
          .containsEntry("RouteSelectorProvider", "courier-default")
          .containsEntry("EvictionPolicyProvider", "idle-time")
          .containsEntry("ProtocolConnectionProvider http/1.1", "courier-http1")
          .containsEntry("ProtocolConnectionProvider h2", "courier-http2");
    }
    assertThat(warnings).anySatisfy(warning -> assertThat(warning)
        .contains("'failing-selector'")
        .contains(FailingRouteSelectorProvider.class.getName())
        .contains("no routes today"));
  }

  @Test
  void providerChosenByNameWhoseCreateThrowsFailsTheBuildNamingIt() {
    assertThatThrownBy(() -> CourierClient.builder().routeSelectorName("failing-selector").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("routeSelectorName")
        .hasMessageContaining("RouteSelectorProvider 'failing-selector'")
        .hasMessageContaining(FailingRouteSelectorProvider.class.getName())
        .hasRootCauseMessage("no routes today");
  }

  @Test
  void evictionPolicyIsChosenByNameAndConfiguredFromBuilderAndSystemProperties() {
    System.setProperty("courier.provider.recording-policy.keepAlive", "30s");

    try (CourierClient client = CourierClient.builder()
        .evictionPolicyName("recording-policy")
        .providerSetting("recording-policy", "maxIdle", "2")
        .routeSelectorName("round-robin")
        .build()) {
      assertThat(client.chosenProviders())
          .containsEntry("EvictionPolicyProvider", "recording-policy")
          .containsEntry("RouteSelectorProvider", "round-robin");
      IdleTimeEvictionPolicy policy = (IdleTimeEvictionPolicy) client.connectionPool().policy();
      assertThat(policy.maxIdle()).isEqualTo(2);
      assertThat(policy.keepAliveNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(30));
      assertThat(POLICY_SETTINGS).singleElement().satisfies(settings ->
          assertThat(settings.providerName()).isEqualTo("recording-policy"));
      assertThat(client.providerSettings()).containsKey("recording-policy");
    }
  }

  @Test
  void builtInPolicyReadsItsSettings() {
    try (CourierClient client = CourierClient.builder()
        .providerSetting("idle-time", "maxIdleConnections", "9")
        .providerSetting("idle-time", "keepAlive", "250ms")
        .build()) {
      IdleTimeEvictionPolicy policy = (IdleTimeEvictionPolicy) client.connectionPool().policy();
      assertThat(policy.maxIdle()).isEqualTo(9);
      assertThat(policy.keepAliveNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
    }
    assertThatThrownBy(() -> CourierClient.builder()
        .providerSetting("idle-time", "maxIdleConnections", "many").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'idle-time'")
        .hasMessageContaining("maxIdleConnections");
  }

  @Test
  void unknownPolicyNameFailsTheBuildListingWhatWasFound() {
    assertThatThrownBy(() -> CourierClient.builder().evictionPolicyName("nope").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("evictionPolicyName")
        .hasMessageContaining("'nope'")
        .hasMessageContaining("'recording-policy' (priority -10)");
  }

  @Test
  void http10ProviderIsNotUsedUnlessChosen() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("hello").build());
    server.start();

    try (CourierClient client = new CourierClient();
        Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("hello");
    }
    assertThat(HTTP10_TRANSPORTS).isEmpty();
  }

  @Test
  void http10ProviderChosenByNameServesCleartextConnections() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("hello").build());
    server.start();

    try (CourierClient client = CourierClient.builder()
        .protocolProvider(Protocol.HTTP_1_1, "test-http10").build();
        Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("hello");
      assertThat(client.chosenProviders())
          .containsEntry("ProtocolConnectionProvider http/1.1", "test-http10")
          .containsEntry("ProtocolConnectionProvider h2", "courier-http2");
    }
    assertThat(HTTP10_TRANSPORTS).containsExactly(Protocol.HTTP_1_0);
  }

  @Test
  void http10ProviderChosenByNameServesHttp11NegotiatedConnections() throws Exception {
    TestTls.useHttps(server);
    server.enqueue(ScriptedResponse.builder().body("secure hello").build());
    server.start();
    CourierClient.Builder builder = CourierClient.builder()
        .protocolProvider(Protocol.HTTP_1_0, "test-http10")
        .dns(TestTls.LOOPBACK_DNS);
    TestTls.trustTestAuthority(builder);

    try (CourierClient client = builder.build(); Response response = client.newCall(
        new Request.Builder().url("https://localhost:" + server.port() + "/").build()).execute()) {
      assertThat(response.body().string()).isEqualTo("secure hello");
      assertThat(response.handshake()).isNotNull();
    }
    assertThat(HTTP10_TRANSPORTS).containsExactly(Protocol.HTTP_1_0);
  }

  @Test
  void codecChosenForAProtocolItDoesNotSpeakFailsTheBuildNamingTheProtocol() {
    assertThatThrownBy(() -> CourierClient.builder().protocolProvider(Protocol.HTTP_2, "courier-http1").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("protocolProvider(h2)")
        .hasMessageContaining("'courier-http1'");
  }

  @Test
  void protocolsCourierDoesNotKnowAreOfferedAfterHttp2AndBeforeHttp11() {
    Protocol custom = Protocol.of("x-courier-test/1", false);
    ProtocolConnectionProvider customProvider = new ProtocolConnectionProvider() {
      @Override
      public String name() {
        return "custom";
      }

      @Override
      public Set<Protocol> protocols() {
        return Set.of(custom);
      }

      @Override
      public ProtocolConnection create(Transport transport, ConnectionOptions options,
          ProtocolConnection.Listener listener) {
        throw new UnsupportedOperationException();
      }
    };

    try (CourierClient client = CourierClient.builder()
        .protocolProviders(new dev.courier.http2.Http2ConnectionProvider(),
            new dev.courier.http1.Http1ConnectionProvider(), customProvider).build()) {
      assertThat(client.protocols()).containsExactly(Protocol.HTTP_2, custom, Protocol.HTTP_1_1);
      assertThat(client.chosenProviders()).containsEntry("ProtocolConnectionProvider x-courier-test/1", "custom");
    }
    try (CourierClient client = CourierClient.builder()
        .protocolProviders(new dev.courier.http1.Http1ConnectionProvider(), customProvider)
        .protocols(List.of(Protocol.HTTP_1_1, custom)).build()) {
      assertThat(client.protocols()).containsExactly(Protocol.HTTP_1_1, custom);
    }
  }
}
