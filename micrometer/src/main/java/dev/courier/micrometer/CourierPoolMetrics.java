package dev.courier.micrometer;

import dev.courier.Address;
import dev.courier.micrometer.internal.PoolMeters;
import dev.courier.pool.AddressStatistics;
import dev.courier.pool.CloseReason;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.PoolEvent;
import dev.courier.pool.PoolListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * Binds a {@link ConnectionPool}'s statistics and events to Micrometer meters:
 *
 * <ul>
 *   <li>{@code courier.pool.connections} gauge, tagged {@code state} = {@code idle} or
 *       {@code in-use} (their sum is the pool's size);
 *   <li>{@code courier.pool.acquisitions.pending} gauge: calls looking for a connection;
 *   <li>{@code courier.pool.connections.opened} counter;
 *   <li>{@code courier.pool.connections.closed} counter, tagged {@code reason} with a {@link
 *       CloseReason} in lower case ({@code idle_timeout}, {@code closed_by_peer}, ...);
 *   <li>{@code courier.pool.acquisitions} timer: how long calls took to acquire a connection,
 *       connecting included.
 * </ul>
 *
 * <p>By default the meters describe the whole pool, carrying only the tags given. With {@link
 * Builder#perAddress(boolean) perAddress(true)} each address gets its own meters, tagged {@code
 * address} ({@code https://example.com:443}); that costs a set of meters per address the pool
 * ever served, kept until unbound, so use it only for a bounded set of hosts.
 *
 * <p>Counters and the timer count events from the moment of binding. Bind an instance to one
 * registry (use a {@code CompositeMeterRegistry} for several); {@link #close()} removes its
 * meters and stops listening. Thread-safe.
 *
 * <pre>{@code
 * CourierPoolMetrics metrics = CourierPoolMetrics.bind(client.connectionPool(), registry,
 *     Tags.of("client", "payments"));
 * }</pre>
 */
public final class CourierPoolMetrics implements MeterBinder, AutoCloseable {
  private final ConnectionPool pool;
  private final Tags tags;
  private final boolean perAddress;
  private final PoolListener listener = new MetricsListener();
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentHashMap<String, AddressGroup> groups = new ConcurrentHashMap<>();

  // Guarded by lock; registry also read without it by the listener.
  private volatile MeterRegistry registry;
  private volatile PoolMeters totals;
  private final List<Meter> meters = new ArrayList<>();
  private boolean closed;

  private CourierPoolMetrics(Builder builder) {
    this.pool = builder.pool;
    this.tags = builder.tags;
    this.perAddress = builder.perAddress;
  }

  /**
   * Binds {@code pool}'s meters for the whole pool, tagged {@code tags}, to {@code registry} and
   * returns the binding; {@link #close()} it to remove the meters.
   */
  public static CourierPoolMetrics bind(ConnectionPool pool, MeterRegistry registry, Iterable<Tag> tags) {
    CourierPoolMetrics metrics = builder(pool).tags(tags).build();
    metrics.bindTo(registry);
    return metrics;
  }

  /** Returns a builder of meters for {@code pool}. */
  public static Builder builder(ConnectionPool pool) {
    return new Builder(pool);
  }

  /**
   * Registers the meters in {@code registry} and starts listening to the pool.
   *
   * @throws IllegalStateException if this instance is bound already, or closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry == null");
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("CourierPoolMetrics is closed");
      }
      if (this.registry != null) {
        throw new IllegalStateException("CourierPoolMetrics is bound to a registry already; "
            + "use a CompositeMeterRegistry or another CourierPoolMetrics");
      }
      this.registry = registry;
      if (!perAddress) {
        PoolMeters meters = new PoolMeters(registry, tags, new PoolSource());
        this.meters.addAll(meters.meters());
        totals = meters;
      }
    } finally {
      lock.unlock();
    }
    pool.addListener(listener);
  }

  /** Stops listening to the pool and removes every meter this instance registered. Idempotent. */
  @Override
  public void close() {
    pool.removeListener(listener);
    lock.lock();
    try {
      closed = true;
      MeterRegistry bound = registry;
      if (bound != null) {
        for (Meter meter : meters) {
          bound.remove(meter);
        }
      }
      meters.clear();
      groups.clear();
      totals = null;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the meters of {@code event}'s address (or of the whole pool), or null once closed. */
  private PoolMeters metersFor(PoolEvent event) {
    if (!perAddress) {
      return totals;
    }
    Address address = event.address();
    String key = tagValue(address);
    AddressGroup group = groups.get(key);
    if (group == null) {
      group = register(key);
      if (group == null) {
        return null;
      }
    }
    if (!group.addresses.contains(address)) {
      group.addresses.add(address);
    }
    return group.meters;
  }

  private AddressGroup register(String key) {
    lock.lock();
    try {
      if (closed || registry == null) {
        return null;
      }
      AddressGroup group = groups.get(key);
      if (group == null) {
        group = new AddressGroup(registry, tags.and("address", key));
        meters.addAll(group.meters.meters());
        groups.put(key, group);
      }
      return group;
    } finally {
      lock.unlock();
    }
  }

  private static String tagValue(Address address) {
    return (address.isHttps() ? "https://" : "http://") + address.host() + ":" + address.port();
  }

  @Override
  public String toString() {
    return "CourierPoolMetrics{" + pool + ", tags=" + tags + ", perAddress=" + perAddress + "}";
  }

  /**
   * The addresses that share one {@code address} tag value (they differ only in settings such as
   * a proxy or TLS configuration) and their meters; the gauges sum over them.
   */
  private final class AddressGroup implements PoolMeters.Source {
    final Set<Address> addresses = ConcurrentHashMap.newKeySet();
    final PoolMeters meters;

    AddressGroup(MeterRegistry registry, Tags tags) {
      this.meters = new PoolMeters(registry, tags, this);
    }

    private int sum(ToIntFunction<AddressStatistics> count) {
      int result = 0;
      for (Address address : addresses) {
        result += count.applyAsInt(pool.statistics(address));
      }
      return result;
    }

    @Override
    public int idleCount() {
      return sum(AddressStatistics::idleCount);
    }

    @Override
    public int inUseCount() {
      return sum(AddressStatistics::inUseCount);
    }

    @Override
    public int pendingAcquisitions() {
      return sum(AddressStatistics::pendingAcquisitions);
    }
  }

  /** Reads the whole pool's counts. */
  private final class PoolSource implements PoolMeters.Source {
    @Override
    public int idleCount() {
      return pool.statistics().idleCount();
    }

    @Override
    public int inUseCount() {
      return pool.statistics().inUseCount();
    }

    @Override
    public int pendingAcquisitions() {
      return pool.statistics().pendingAcquisitions();
    }
  }

  private final class MetricsListener implements PoolListener {
    @Override
    public void connectionOpened(PoolEvent event) {
      PoolMeters target = metersFor(event);
      if (target != null) {
        target.opened();
      }
    }

    @Override
    public void connectionAcquired(PoolEvent event, long waitNanos) {
      PoolMeters target = metersFor(event);
      if (target != null) {
        target.acquired(waitNanos);
      }
    }

    @Override
    public void connectionClosed(PoolEvent event, CloseReason reason) {
      PoolMeters target = metersFor(event);
      if (target != null) {
        target.closed(reason);
      }
    }

    @Override
    public String toString() {
      return CourierPoolMetrics.this.toString();
    }
  }

  /** Configures a {@link CourierPoolMetrics}. */
  public static final class Builder {
    private final ConnectionPool pool;
    private Tags tags = Tags.empty();
    private boolean perAddress;

    private Builder(ConnectionPool pool) {
      this.pool = Objects.requireNonNull(pool, "pool == null");
    }

    /** Sets the tags every meter carries. Default none. */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = Tags.of(Objects.requireNonNull(tags, "tags == null"));
      return this;
    }

    /**
     * Sets whether each address gets its own meters, tagged {@code address}, instead of one set
     * for the whole pool. Default false, which keeps the number of meters fixed.
     */
    public Builder perAddress(boolean perAddress) {
      this.perAddress = perAddress;
      return this;
    }

    /** Returns the configured, unbound metrics; bind them with {@link #bindTo}. */
    public CourierPoolMetrics build() {
      return new CourierPoolMetrics(this);
    }
  }
}
