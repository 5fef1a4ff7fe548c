package dev.courier.pool;

import dev.courier.spi.IdleConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Evicts idle connections past a keep-alive, or past a limit of idle connections per group (the
 * whole pool, or one address): the mechanism the shipped eviction policies share.
 */
final class KeepAliveEviction {
  private KeepAliveEviction() {}

  /**
   * Returns {@code keepAlive} in nanoseconds after checking the settings.
   *
   * @throws IllegalArgumentException naming {@code limitName} if the limit is negative, or if the
   *     keep-alive is not positive
   */
  static long checkedKeepAliveNanos(String limitName, int limit, long keepAlive, TimeUnit unit) {
    if (limit < 0) {
      throw new IllegalArgumentException(limitName + " < 0: " + limit);
    }
    if (keepAlive <= 0) {
      throw new IllegalArgumentException("keepAlive <= 0: " + keepAlive + " " + unit);
    }
    return unit.toNanos(keepAlive);
  }

  /**
   * Adds to {@code evict} the connections of {@code idle} (least recently used first) idle for
   * {@code keepAliveNanos} or longer, and the least recently used of each group beyond
   * {@code maxIdlePerGroup}.
   *
   * @return nanoseconds until the oldest kept connection expires, or -1 if none is kept
   */
  static long evict(List<? extends IdleConnection> idle, long nowNanos, long keepAliveNanos,
      int maxIdlePerGroup, Function<IdleConnection, Object> group, List<? super IdleConnection> evict) {
    Map<Object, Integer> remainingByGroup = new HashMap<>();
    for (IdleConnection connection : idle) {
      remainingByGroup.merge(group.apply(connection), 1, Integer::sum);
    }
    int kept = 0;
    long oldestKeptIdleAt = Long.MAX_VALUE;
    for (IdleConnection connection : idle) {
      long idleAt = connection.idleAtNanos();
      Object key = group.apply(connection);
      int remaining = remainingByGroup.get(key);
      if (nowNanos - idleAt >= keepAliveNanos || remaining > maxIdlePerGroup) {
        evict.add(connection);
        remainingByGroup.put(key, remaining - 1);
      } else {
        kept++;
        oldestKeptIdleAt = Math.min(oldestKeptIdleAt, idleAt);
      }
    }
    return kept == 0 ? -1 : keepAliveNanos - (nowNanos - oldestKeptIdleAt);
  }
}
