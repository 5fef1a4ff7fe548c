package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Route;
import dev.courier.pool.ConnectionLimitTimeoutException;
import dev.courier.pool.PoolLimits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces a pool's {@link PoolLimits}: queues the calls that would exceed a limit and hands them
 * what frees up. The slots taken (connections open and connects in flight, per address and in
 * total) are counted by {@link ConnectionSlots}.
 *
 * <p>Calls wait in one first-come-first-served queue. Whatever frees up goes to the earliest
 * waiter that can use it: a pooled connection with room for another exchange (released, or a new
 * HTTP/2 connection with spare streams) is leased to the earliest waiter for its address, and a
 * slot (a connection closed, a connect that failed or was not needed) is reserved for the earliest
 * waiter whose address is under its limit. A newcomer never takes a slot a waiter could use:
 * after every change, each waiter left in the queue is blocked by a limit, so a newcomer under
 * both limits cannot be jumping a waiter for its own address. When only the total limit blocks a
 * waiter, an idle connection to another address is retired to make room.
 *
 * <p>A wait ends when the caller is {@linkplain Waiter#cancel() canceled} (at once, "Canceled"),
 * when its timeout passes ({@link ConnectionLimitTimeoutException} naming host:port and the
 * limit), or when the pool closes ({@link IllegalStateException}, as for any use of a closed pool).
 *
 * <p>Shares its pool's lock, which guards all its state; methods named {@code ...Locked} require
 * it. No I/O happens under it.
 */
final class ConnectionLimiter {
  private final RealConnectionPool pool;
  private final ReentrantLock lock;
  private final PoolLimits limits;
  private final Condition waitersChanged;

  // Guarded by lock.
  private final ConnectionSlots slots;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private boolean closed;
  // Written under lock; read without it by statistics.
  private volatile int waiterCount;

  ConnectionLimiter(RealConnectionPool pool, ReentrantLock lock, PoolLimits limits) {
    this.pool = pool;
    this.lock = lock;
    this.limits = Objects.requireNonNull(limits, "limits == null");
    this.slots = new ConnectionSlots(limits);
    this.waitersChanged = lock.newCondition();
  }

  PoolLimits limits() {
    return limits;
  }

  /** Returns a waiter for one call's searches; reuse it across the call's searches. */
  Waiter newWaiter() {
    return new Waiter();
  }

  /**
   * Returns a pooled connection leased to {@code lease} if one serves {@code address} now (only
   * if {@code acceptPooled}), else a slot reserved for a new connection to {@code address},
   * waiting for one or the other in FIFO order if the limits are reached.
   *
   * @param routes the address's routes, to share a coalesced HTTP/2 connection; or null
   * @param timeoutNanos the longest wait; 0 for no limit
   * @throws ConnectionLimitTimeoutException if the wait timed out
   * @throws IOException "Canceled" if the waiter is or gets canceled while waiting
   * @throws InterruptedIOException if the thread is interrupted while waiting
   * @throws IllegalStateException if the pool is or gets closed
   */
  Grant reserve(Address address, List<Route> routes, boolean acceptPooled, CallLease lease,
      Waiter waiter, long timeoutNanos) throws IOException {
    Grant immediate;
    List<RealConnection> toClose = List.of();
    RealConnection retired = null;
    lock.lock();
    try {
      pool.checkNotClosedLocked();
      immediate = null;
      if (acceptPooled) {
        // Looked for again under the lock: one released since the caller looked is taken here,
        // as no waiter was queued to receive it. What the policy refused is closed after unlocking.
        RealConnection pooled = pool.acquireLocked(address, routes, lease);
        toClose = pool.removeRefusedLocked();
        if (pooled != null) {
          immediate = new Grant(pooled, null);
        }
      }
      if (immediate == null && slots.hasRoom(address)) {
        immediate = new Grant(null, reserveLocked(address));
      }
      if (immediate == null) {
        retired = enqueueLocked(waiter, address, lease, acceptPooled);
      }
    } finally {
      lock.unlock();
    }
    pool.closeAndReport(toClose);
    if (retired != null) {
      pool.closeAndReport(retired);
    }
    return immediate != null ? immediate : await(waiter, timeoutNanos);
  }

  /**
   * Queues {@code waiter}; returns an idle connection removed to make room for it, for the caller
   * to close once it released the lock, or null.
   *
   * @throws IOException "Canceled" if the waiter was canceled
   */
  private RealConnection enqueueLocked(Waiter waiter, Address address, CallLease lease,
      boolean acceptPooled) throws IOException {
    if (waiter.canceled) {
      throw new IOException("Canceled");
    }
    waiter.address = address;
    waiter.lease = lease;
    waiter.acceptPooled = acceptPooled;
    waiter.grant = null;
    queue.addLast(waiter);
    slots.waiterAdded(address);
    waiterCount++;
    waitersChanged.signalAll();
    if (!slots.isAddressFull(address)) {
      // Only the total limit blocks this waiter: an idle connection elsewhere can make room.
      return pool.removeLongestIdleLocked(null);
    } else if (!acceptPooled) {
      // This waiter must connect afresh (its address's connections just failed it), so an idle
      // one of them is better closed than left holding the slot.
      return pool.removeLongestIdleLocked(address);
    }
    return null;
  }

  private Grant await(Waiter waiter, long timeoutNanos) throws IOException {
    lock.lock();
    try {
      long remainingNanos = timeoutNanos;
      while (waiter.grant == null) {
        if (closed) {
          dequeueLocked(waiter);
          throw new IllegalStateException("ConnectionPool is closed");
        }
        if (waiter.canceled) {
          dequeueLocked(waiter);
          throw new IOException("Canceled");
        }
        if (timeoutNanos != 0 && remainingNanos <= 0) {
          dequeueLocked(waiter);
          throw timeoutLocked(waiter.address, timeoutNanos);
        }
        try {
          if (timeoutNanos == 0) {
            waiter.changed.await();
          } else {
            remainingNanos = waiter.changed.awaitNanos(remainingNanos);
          }
        } catch (InterruptedException e) {
          if (waiter.grant != null) {
            // Granted as the interrupt came: keep it, and leave the interrupt to the caller.
            Thread.currentThread().interrupt();
            break;
          }
          dequeueLocked(waiter);
          Thread.currentThread().interrupt();
          InterruptedIOException interrupted = new InterruptedIOException("interrupted waiting for"
              + " a connection to " + hostPort(waiter.address));
          interrupted.initCause(e);
          throw interrupted;
        }
      }
      Grant grant = waiter.grant;
      waiter.grant = null;
      return grant;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reserves a slot for a connect to {@code address} if both limits have room and no caller is
   * waiting, as for a background connect that must never delay a call; else returns null.
   */
  Reservation tryReserve(Address address) {
    lock.lock();
    try {
      if (closed || !queue.isEmpty() || !slots.hasRoom(address)) {
        return null;
      }
      return reserveLocked(address);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives back {@code reservation}'s slot: the connect it allowed failed, or ended and its
   * connection (if pooled) now counts by itself. Idempotent.
   */
  void release(Reservation reservation) {
    lock.lock();
    try {
      if (reservation.released) {
        return;
      }
      reservation.released = true;
      if (!closed && slots.unreserve(reservation.address)) {
        grantSlotsLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Counts a connection newly pooled to {@code address}. */
  void connectionAddedLocked(Address address) {
    if (!closed) {
      slots.opened(address);
    }
  }

  /** Stops counting a pooled connection to {@code address}, giving its slot to waiters. */
  void connectionRemovedLocked(Address address) {
    if (!closed && slots.closed(address)) {
      grantSlotsLocked();
    }
  }

  /**
   * Leases {@code connection}, pooled and with room, to the earliest waiters for its address.
   * Returns true if it is left idle while retiring it would give its slot to a waiter (one that
   * must connect afresh, or is blocked by the total limit); the caller should then close it.
   */
  boolean offerLocked(RealConnection connection) {
    if (queue.isEmpty() || closed) {
      return false;
    }
    Address address = connection.address();
    if (slots.waiting(address) > 0) {
      for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); ) {
        Waiter waiter = it.next();
        if (waiter.acceptPooled && waiter.address.equals(address)) {
          if (!connection.isEligible(address, null) || !pool.tryLeaseLocked(connection, waiter.lease)) {
            break;
          }
          it.remove();
          grantLocked(waiter, new Grant(connection, null));
        }
      }
    }
    if (!connection.isIdle() || !connection.isEligible(address, null)) {
      return false;
    }
    if (slots.total() - 1 >= limits.maxConnections()) {
      return false;
    }
    for (Waiter waiter : queue) {
      int count = slots.count(waiter.address) - (waiter.address.equals(address) ? 1 : 0);
      if (count < limits.maxConnectionsPerAddress()) {
        return true;
      }
    }
    return false;
  }

  /** Fails every waiter: the pool is closed. */
  void closeLocked() {
    closed = true;
    for (Waiter waiter : queue) {
      waiter.changed.signal();
    }
    slots.clear();
  }

  /** Returns how many calls wait for a connection slot; cheap, without the lock. */
  int waiterCount() {
    return waiterCount;
  }

  /** Returns how many calls wait for a connection to {@code address}. */
  int waiterCount(Address address) {
    lock.lock();
    try {
      return slots.waiting(address);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until exactly {@code count} calls wait for a slot, at most {@code timeoutNanos}; returns
   * whether they do. For tests, which must know a caller is queued before they free a slot.
   */
  boolean awaitWaiterCount(int count, long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long remainingNanos = timeoutNanos;
      while (waiterCount != count) {
        if (remainingNanos <= 0) {
          return false;
        }
        remainingNanos = waitersChanged.awaitNanos(remainingNanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the connections open and connects in flight to {@code address}; for tests. */
  int slotCount(Address address) {
    lock.lock();
    try {
      return slots.count(address);
    } finally {
      lock.unlock();
    }
  }

  private Reservation reserveLocked(Address address) {
    slots.reserve(address);
    return new Reservation(address);
  }

  /** Reserves slots for the earliest waiters that are now under both limits. */
  private void grantSlotsLocked() {
    for (Iterator<Waiter> it = queue.iterator();
        it.hasNext() && slots.hasTotalRoom(); ) {
      Waiter waiter = it.next();
      if (slots.hasRoom(waiter.address)) {
        it.remove();
        grantLocked(waiter, new Grant(null, reserveLocked(waiter.address)));
      }
    }
  }

  /** Completes the wait of {@code waiter}, already removed from the queue. */
  private void grantLocked(Waiter waiter, Grant grant) {
    forgetWaiterLocked(waiter);
    waiter.grant = grant;
    waiter.changed.signal();
  }

  private void dequeueLocked(Waiter waiter) {
    if (queue.remove(waiter)) {
      forgetWaiterLocked(waiter);
    }
  }

  private void forgetWaiterLocked(Waiter waiter) {
    waiterCount--;
    waitersChanged.signalAll();
    slots.waiterRemoved(waiter.address);
  }

  private ConnectionLimitTimeoutException timeoutLocked(Address address, long timeoutNanos) {
    String limit = slots.isAddressFull(address)
        ? "the limit of " + limits.maxConnectionsPerAddress() + " connections per address"
        : "the limit of " + limits.maxConnections() + " connections in total";
    return new ConnectionLimitTimeoutException("Timed out after "
        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms waiting for a connection to "
        + hostPort(address) + ": " + limit + " is reached");
  }

  private static String hostPort(Address address) {
    return address.host() + ":" + address.port();
  }

  /** What a wait yields: a pooled connection leased to the caller, or a slot to connect in. */
  record Grant(RealConnection connection, Reservation reservation) {}

  /** One slot held for a connect in flight; give it back with {@link #release}. */
  static final class Reservation {
    final Address address;
    // Guarded by lock.
    private boolean released;

    private Reservation(Address address) {
      this.address = address;
    }
  }

  /**
   * One call's place in the queue. Used by one thread at a time, except {@link #cancel()}, which
   * may be called from any thread.
   */
  final class Waiter {
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private Address address;
    private CallLease lease;
    private boolean acceptPooled;
    private Grant grant;
    private boolean canceled;

    private Waiter() {}

    /** Ends this waiter's wait, if any, and fails any later one. Idempotent. */
    void cancel() {
      lock.lock();
      try {
        canceled = true;
        changed.signal();
      } finally {
        lock.unlock();
      }
    }
  }
}
