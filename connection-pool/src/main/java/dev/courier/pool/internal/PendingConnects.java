package dev.courier.pool.internal;

import dev.courier.Address;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tracks, per address, the one connect in flight that may yield a multiplexed connection, so that
 * other calls to that address wait for it instead of each opening a TCP and TLS connection of
 * their own only to close the extras once the first is pooled.
 *
 * <p>The first call to ask leads: it connects, then {@linkplain #end ends} its connect saying
 * whether the pooled result has room for other calls. Calls that ask meanwhile wait, and are then
 * told either to look in the pool again (the result is shareable; if it filled up meanwhile, they
 * ask again and may wait for the next connect) or to connect on their own at once. They connect
 * on their own when the leader's connect failed (each makes its own attempt, with its own routes
 * and timeouts; a failure never passes from one call to another), when it yielded a connection
 * that cannot be shared (HTTP/1.1, or no room left), or when the wait outlasted the waiter's
 * connect timeout (so waiting never makes a call fail where connecting alone could have worked).
 * A waiter's {@link Participant#cancel()} ends its wait at once with an "Canceled" IOException.
 *
 * <p>Thread-safe. One lock guards the map; no I/O happens under it.
 */
final class PendingConnects {
  /** What a call should do next, as decided by {@link #awaitTurn}. */
  enum Turn {
    /** No connect to the address was in flight: connect, then {@link #end} the connect. */
    LEAD,
    /** The connect waited for pooled a connection with room: look in the pool again. */
    LOOK_IN_POOL,
    /** Waiting cannot help: connect without waiting for other calls again. */
    CONNECT_ALONE
  }

  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final Map<Address, Connect> inFlight = new HashMap<>();

  /**
   * Returns what {@code participant} should do about connecting to {@code address}: lead a new
   * connect if none is in flight, else wait for the one in flight to end, at most
   * {@code timeoutNanos} (0 for no limit), and say what then.
   *
   * @throws IOException "Canceled" if the participant is or gets canceled while waiting
   * @throws InterruptedIOException if the thread is interrupted while waiting
   * @throws IllegalStateException if the participant already leads a connect
   */
  Turn awaitTurn(Address address, Participant participant, long timeoutNanos) throws IOException {
    lock.lock();
    try {
      if (participant.leading != null) {
        throw new IllegalStateException("already leading a connect to " + address.host());
      }
      if (participant.canceled) {
        throw new IOException("Canceled");
      }
      Connect connect = inFlight.get(address);
      if (connect == null) {
        connect = new Connect(address);
        inFlight.put(address, connect);
        participant.leading = connect;
        return Turn.LEAD;
      }
      connect.waiters++;
      participant.waitingOn = connect;
      try {
        long remainingNanos = timeoutNanos;
        while (!connect.ended) {
          if (participant.canceled) {
            throw new IOException("Canceled");
          }
          if (timeoutNanos == 0) {
            connect.changed.await();
          } else if (remainingNanos <= 0) {
            return Turn.CONNECT_ALONE;
          } else {
            remainingNanos = connect.changed.awaitNanos(remainingNanos);
          }
        }
        return connect.shareable ? Turn.LOOK_IN_POOL : Turn.CONNECT_ALONE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException interrupted = new InterruptedIOException(
            "interrupted waiting for a connection to " + address.host() + ":" + address.port());
        interrupted.initCause(e);
        throw interrupted;
      } finally {
        connect.waiters--;
        participant.waitingOn = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the connect {@code participant} leads, if any, and wakes its waiters: they look in the
   * pool again if {@code shareable}, else connect on their own. Idempotent.
   */
  void end(Participant participant, boolean shareable) {
    lock.lock();
    try {
      Connect connect = participant.leading;
      if (connect == null) {
        return;
      }
      participant.leading = null;
      connect.ended = true;
      connect.shareable = shareable;
      inFlight.remove(connect.address, connect);
      connect.changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many calls wait for the connect in flight to {@code address}; for tests. */
  int waiterCount(Address address) {
    lock.lock();
    try {
      Connect connect = inFlight.get(address);
      return connect != null ? connect.waiters : 0;
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many connects are in flight; for tests. */
  int inFlightCount() {
    lock.lock();
    try {
      return inFlight.size();
    } finally {
      lock.unlock();
    }
  }

  /** Returns a participant for one call's connection search. */
  Participant newParticipant() {
    return new Participant();
  }

  /**
   * One call's part in the connects to one address: the connect it leads or waits for. Used by one
   * thread at a time, except {@link #cancel()}, which may be called from any thread.
   */
  final class Participant {
    // Guarded by lock.
    private Connect leading;
    private Connect waitingOn;
    private boolean canceled;

    private Participant() {}

    /** Ends this participant's wait, if any, and fails any later one. Idempotent. */
    void cancel() {
      lock.lock();
      try {
        canceled = true;
        if (waitingOn != null) {
          waitingOn.changed.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** One connect in flight. Guarded by lock. */
  private final class Connect {
    final Address address;
    final Condition changed = lock.newCondition();
    boolean ended;
    boolean shareable;
    int waiters;

    Connect(Address address) {
      this.address = address;
    }
  }
}
