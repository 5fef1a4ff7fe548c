package dev.courier.pool;

import dev.courier.Address;
import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.IdleConnection;
import dev.courier.spi.PooledConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Closes idle connections past a keep-alive, or beyond a limit of idle connections in total and
 * per address, least recently used first: the mechanism the shipped idle-time policies share.
 */
final class KeepAliveEviction {
  /** A limit that never binds. */
  static final int UNLIMITED = Integer.MAX_VALUE;

  private KeepAliveEviction() {}

  /**
   * Returns {@code keepAlive} in nanoseconds after checking the settings.
   *
   * @throws IllegalArgumentException naming {@code limitName} if the limit is negative, or if the
   *     keep-alive is not positive
   */
  static long checkedKeepAliveNanos(String limitName, int limit, long keepAlive, TimeUnit unit) {
    checkLimit(limitName, limit);
    if (keepAlive <= 0) {
      throw new IllegalArgumentException("keepAlive <= 0: " + keepAlive + " " + unit);
    }
    return unit.toNanos(keepAlive);
  }

  /** @throws IllegalArgumentException naming {@code limitName} if {@code limit} is negative */
  static void checkLimit(String limitName, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException(limitName + " < 0: " + limit);
    }
  }

  /** Returns the idle connections of {@code connections}, in their order. */
  static List<PooledConnection> idleOf(List<? extends PooledConnection> connections) {
    List<PooledConnection> idle = new ArrayList<>(connections.size());
    for (PooledConnection connection : connections) {
      if (connection.isIdle()) {
        idle.add(connection);
      }
    }
    return idle;
  }

  /**
   * Closes (through {@code close}) the connections of {@code idle} (least recently used first)
   * idle for {@code keepAliveNanos} or longer, with {@link EvictionPolicy.Reason#IDLE_TIMEOUT};
   * then, with {@link EvictionPolicy.Reason#IDLE_LIMIT}, the least recently used of each address
   * beyond {@code maxIdlePerAddress}, and then the least recently used beyond {@code maxIdle} in
   * total. Linear in the number of idle connections; no sorting.
   *
   * @return nanoseconds until the oldest kept connection expires, or -1 if none is kept
   */
  static <C extends IdleConnection> long evict(List<? extends C> idle, long nowNanos, long keepAliveNanos,
      int maxIdle, int maxIdlePerAddress, BiConsumer<? super C, EvictionPolicy.Reason> close) {
    int size = idle.size();
    boolean[] closed = new boolean[size];
    int remaining = size;
    Map<Address, int[]> remainingByAddress = maxIdlePerAddress == UNLIMITED ? null : new HashMap<>();
    for (int i = 0; i < size; i++) {
      C connection = idle.get(i);
      if (nowNanos - connection.idleAtNanos() >= keepAliveNanos) {
        closed[i] = true;
        remaining--;
        close.accept(connection, EvictionPolicy.Reason.IDLE_TIMEOUT);
      } else if (remainingByAddress != null) {
        remainingByAddress.computeIfAbsent(connection.address(), address -> new int[1])[0]++;
      }
    }
    if (remainingByAddress != null) {
      for (int i = 0; i < size; i++) {
        if (closed[i]) {
          continue;
        }
        C connection = idle.get(i);
        int[] remainingForAddress = remainingByAddress.get(connection.address());
        if (remainingForAddress[0] > maxIdlePerAddress) {
          closed[i] = true;
          remaining--;
          remainingForAddress[0]--;
          close.accept(connection, EvictionPolicy.Reason.IDLE_LIMIT);
        }
      }
    }
    long oldestKeptIdleAt = Long.MAX_VALUE;
    boolean kept = false;
    for (int i = 0; i < size; i++) {
      if (closed[i]) {
        continue;
      }
      C connection = idle.get(i);
      if (remaining > maxIdle) {
        remaining--;
        close.accept(connection, EvictionPolicy.Reason.IDLE_LIMIT);
      } else {
        kept = true;
        oldestKeptIdleAt = Math.min(oldestKeptIdleAt, connection.idleAtNanos());
      }
    }
    return kept ? keepAliveNanos - (nowNanos - oldestKeptIdleAt) : -1;
  }
}
