package dev.courier.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.pool.CloseReason;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.PoolEvent;
import dev.courier.pool.PoolListener;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link CourierPoolMetrics} over a real pool, client and loopback {@link TestServer}. */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class CourierPoolMetricsTest {
  private final TestServer server = new TestServer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ConnectionPool pool = new ConnectionPool();
  private CourierClient client;

  @BeforeEach
  void setUp() throws IOException {
    server.dispatcher(request -> ScriptedResponse.builder().body("ok").build());
    server.start();
    client = CourierClient.builder().connectionPool(pool).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
    registry.close();
  }

  private Response call(TestServer target, String path) throws IOException {
    return client.newCall(new Request.Builder().url(target.url(path)).build()).execute();
  }

  private String get(TestServer target) throws IOException {
    try (Response response = call(target, "/")) {
      return response.body().string();
    }
  }

  private double gauge(String state) {
    return registry.get("courier.pool.connections").tag("state", state).gauge().value();
  }

  private double closed(CloseReason reason) {
    return registry.get("courier.pool.connections.closed").tag("reason", reason.name().toLowerCase()).counter().count();
  }

  @Test
  void metersMoveAsCallsOpenReuseAndCloseConnections() throws IOException {
    CourierPoolMetrics.bind(pool, registry, Tags.of("client", "test"));
    assertThat(gauge("idle")).isZero();
    assertThat(registry.get("courier.pool.connections.opened").tag("client", "test").counter().count()).isZero();

    try (Response response = call(server, "/first")) {
      // The body is still open: the connection is in use.
      assertThat(gauge("in-use")).isEqualTo(1);
      assertThat(gauge("idle")).isZero();
      assertThat(response.body().string()).isEqualTo("ok");
    }
    assertThat(gauge("in-use")).isZero();
    assertThat(gauge("idle")).isEqualTo(1);

    assertThat(get(server)).isEqualTo("ok");

    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(registry.get("courier.pool.connections.opened").counter().count()).isEqualTo(1);
    Timer acquisitions = registry.get("courier.pool.acquisitions").tag("client", "test").timer();
    assertThat(acquisitions.count()).isEqualTo(2);
    assertThat(acquisitions.max(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(registry.get("courier.pool.acquisitions.pending").gauge().value()).isZero();

    pool.evictAll();
    assertThat(gauge("idle")).isZero();
    assertThat(closed(CloseReason.EVICTED_BY_USER)).isEqualTo(1);
    assertThat(registry.get("courier.pool.connections.closed").counters()).hasSize(CloseReason.values().length);
  }

  @Test
  void closeReasonsAreCounted() throws IOException {
    CourierPoolMetrics.bind(pool, registry, Tags.empty());
    server.dispatcher(request -> request.path().equals("/bye")
        ? ScriptedResponse.builder().header("Connection", "close").body("bye").build()
        : ScriptedResponse.builder().body("ok").build());

    try (Response response = call(server, "/bye")) {
      assertThat(response.body().string()).isEqualTo("bye");
    }
    assertThat(get(server)).isEqualTo("ok");
    client.close();

    assertThat(closed(CloseReason.CLOSED_BY_PEER)).isEqualTo(1);
    assertThat(closed(CloseReason.POOL_CLOSED)).isEqualTo(1);
    assertThat(closed(CloseReason.ERROR)).isZero();
    assertThat(registry.get("courier.pool.connections.opened").counter().count()).isEqualTo(2);
    assertThat(gauge("idle") + gauge("in-use")).isZero();
  }

  @Test
  void throwingListenerDoesNotBreakCallsOrMeters() throws IOException {
    CourierPoolMetrics.bind(pool, registry, Tags.empty());
    pool.addListener(new PoolListener() {
      @Override
      public void connectionAcquired(PoolEvent event, long waitNanos) {
        throw new IllegalStateException("listener broke");
      }

      @Override
      public void connectionClosed(PoolEvent event, CloseReason reason) {
        throw new IllegalStateException("listener broke");
      }
    });
    Logger logger = Logger.getLogger("dev.courier.pool.ConnectionPool");
    boolean useParentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false); // The warnings are expected: keep them out of the build log.
    try {
      assertThat(get(server)).isEqualTo("ok");
      assertThat(get(server)).isEqualTo("ok");
      pool.evictAll();
    } finally {
      logger.setUseParentHandlers(useParentHandlers);
    }

    assertThat(registry.get("courier.pool.acquisitions").timer().count()).isEqualTo(2);
    assertThat(closed(CloseReason.EVICTED_BY_USER)).isEqualTo(1);
  }

  @Test
  void sharedHttp2ConnectionCountsOnceAndItsGoAwayCountsAsClosedByPeer() throws Exception {
    try (TestServer h2c = new TestServer()) {
      h2c.protocols(List.of("h2c"));
      h2c.dispatcher(request -> request.path().equals("/last")
          ? ScriptedResponse.builder().body("last").goAwayAfter(0, 0).build()
          : ScriptedResponse.builder().body("shared").build());
      h2c.start();
      client.close();
      client = CourierClient.builder().connectionPool(new ConnectionPool())
          .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
      ConnectionPool h2Pool = client.connectionPool();
      CourierPoolMetrics.bind(h2Pool, registry, Tags.empty());
      CountDownLatch connectionClosed = new CountDownLatch(1);
      h2Pool.addListener(new PoolListener() {
        @Override
        public void connectionClosed(PoolEvent event, CloseReason reason) {
          connectionClosed.countDown();
        }
      });

      try (Response first = call(h2c, "/1"); Response second = call(h2c, "/2")) {
        assertThat(gauge("in-use")).isEqualTo(1);
        assertThat(first.body().string()).isEqualTo("shared");
        assertThat(second.body().string()).isEqualTo("shared");
      }
      assertThat(gauge("idle")).isEqualTo(1);
      assertThat(registry.get("courier.pool.connections.opened").counter().count()).isEqualTo(1);
      assertThat(registry.get("courier.pool.acquisitions").timer().count()).isEqualTo(2);

      try (Response last = call(h2c, "/last")) {
        assertThat(last.body().string()).isEqualTo("last");
      }
      // The GOAWAY arrives on the connection's reader thread.
      assertThat(connectionClosed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(closed(CloseReason.CLOSED_BY_PEER)).isEqualTo(1);
      assertThat(gauge("idle") + gauge("in-use")).isZero();
      assertThat(h2c.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void closingRemovesTheMetersAndStopsCounting() throws IOException {
    CourierPoolMetrics metrics = CourierPoolMetrics.bind(pool, registry, Tags.of("client", "test"));
    assertThat(get(server)).isEqualTo("ok");
    Counter opened = registry.get("courier.pool.connections.opened").counter();

    metrics.close();
    pool.evictAll();
    assertThat(get(server)).isEqualTo("ok");

    assertThat(registry.getMeters()).isEmpty();
    assertThat(opened.count()).isEqualTo(1);
    metrics.close(); // Idempotent.
    assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void instanceBindsToOneRegistryOnly() {
    CourierPoolMetrics metrics = CourierPoolMetrics.bind(pool, registry, Tags.empty());
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    try {
      assertThatThrownBy(() -> metrics.bindTo(other))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("CompositeMeterRegistry");
      assertThat(other.getMeters()).isEmpty();
    } finally {
      other.close();
    }
  }

  @Test
  void perAddressMetersAreTaggedWithTheAddress() throws IOException {
    try (TestServer second = new TestServer()) {
      second.dispatcher(request -> ScriptedResponse.builder().body("two").build());
      second.start();
      CourierPoolMetrics metrics = CourierPoolMetrics.builder(pool).perAddress(true).build();
      metrics.bindTo(registry);
      assertThat(registry.getMeters()).isEmpty(); // Nothing until an address is seen.

      assertThat(get(server)).isEqualTo("ok");
      assertThat(get(server)).isEqualTo("ok");
      try (Response response = call(second, "/")) {
        String firstAddress = "http://" + server.hostName() + ":" + server.port();
        String secondAddress = "http://" + second.hostName() + ":" + second.port();
        assertThat(registry.get("courier.pool.connections").tags("address", firstAddress, "state", "idle")
            .gauge().value()).isEqualTo(1);
        assertThat(registry.get("courier.pool.connections").tags("address", secondAddress, "state", "in-use")
            .gauge().value()).isEqualTo(1);
        assertThat(registry.get("courier.pool.acquisitions").tag("address", firstAddress).timer().count())
            .isEqualTo(2);
        assertThat(registry.get("courier.pool.acquisitions").tag("address", secondAddress).timer().count())
            .isEqualTo(1);
        assertThat(response.body().string()).isEqualTo("two");
      }

      metrics.close();
      assertThat(registry.getMeters()).isEmpty();
      client.connectionPool().evictAll();
    }
  }

  @Test
  void wholePoolMetersAreRegisteredAtBinding() {
    CourierPoolMetrics.bind(pool, registry, Tags.empty());

    for (Meter meter : registry.getMeters()) {
      assertThat(meter.getId().getName()).startsWith("courier.pool.");
    }
    assertThat(registry.get("courier.pool.connections").gauges()).hasSize(2);
    assertThat(registry.find("courier.pool.acquisitions.pending").gauges()).extracting(Gauge::value).containsExactly(0.0);
  }
}
