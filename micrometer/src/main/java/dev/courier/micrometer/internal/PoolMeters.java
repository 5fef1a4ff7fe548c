package dev.courier.micrometer.internal;

import dev.courier.pool.CloseReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The meters for one set of tags: the whole pool, or one address. Gauges read the pool's
 * statistics when the registry asks; counters and the timer move as the pool's events arrive.
 * Thread-safe once built.
 */
public final class PoolMeters {
  // The meters' names, as documented in docs/metrics.md.
  private static final String CONNECTIONS = "courier.pool.connections";
  private static final String PENDING = "courier.pool.acquisitions.pending";
  private static final String OPENED = "courier.pool.connections.opened";
  private static final String CLOSED = "courier.pool.connections.closed";
  private static final String ACQUISITIONS = "courier.pool.acquisitions";

  private final List<Meter> meters = new ArrayList<>();
  private final Counter opened;
  private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
  private final Timer acquisitions;

  /** What the gauges read, each time the registry reads them. */
  public interface Source {
    /** Returns the number of idle connections. */
    int idleCount();

    /** Returns the number of connections in use. */
    int inUseCount();

    /** Returns the number of calls looking for a connection. */
    int pendingAcquisitions();
  }

  /** Registers the meters tagged {@code tags} in {@code registry}; the gauges read {@code source}. */
  public PoolMeters(MeterRegistry registry, Tags tags, Source source) {
    gauge(registry, CONNECTIONS, tags.and("state", "idle"), source, Source::idleCount,
        "connections", "Pooled connections carrying no exchange");
    gauge(registry, CONNECTIONS, tags.and("state", "in-use"), source, Source::inUseCount,
        "connections", "Pooled connections carrying an exchange");
    gauge(registry, PENDING, tags, source, Source::pendingAcquisitions,
        "calls", "Calls looking for a connection, connecting or waiting");
    opened = Counter.builder(OPENED).tags(tags).baseUnit("connections")

        .description("Connections that entered the pool").register(registry);
    meters.add(opened);
    for (CloseReason reason : CloseReason.values()) {
      Counter counter = Counter.builder(CLOSED).tags(tags).tag("reason", tagValue(reason))
          .baseUnit("connections").description("Pooled connections closed, by reason")
          .register(registry);
      closed.put(reason, counter);
      meters.add(counter);
    }
    acquisitions = Timer.builder(ACQUISITIONS).tags(tags)
        .description("Time calls took to acquire a connection, connecting and waiting included")
        .register(registry);
    meters.add(acquisitions);
  }

  private void gauge(MeterRegistry registry, String name, Tags tags, Source source,
      ToIntFunction<Source> value, String unit, String description) {
    meters.add(Gauge.builder(name, source, s -> value.applyAsInt(s)).tags(tags).baseUnit(unit)
        .strongReference(true).description(description).register(registry));
  }

  /** Returns the tag value for {@code reason}, such as {@code idle_timeout}. */
  public static String tagValue(CloseReason reason) {
    return reason.name().toLowerCase(Locale.ROOT);
  }

  /** Counts a connection opened. */
  public void opened() {
    opened.increment();
  }

  /** Counts an acquisition that took {@code waitNanos}. */
  public void acquired(long waitNanos) {
    acquisitions.record(waitNanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a connection closed for {@code reason}. */
  public void closed(CloseReason reason) {
    closed.get(reason).increment();
  }

  /** Returns every meter registered, for removal. */
  public List<Meter> meters() {
    return meters;
  }
}
