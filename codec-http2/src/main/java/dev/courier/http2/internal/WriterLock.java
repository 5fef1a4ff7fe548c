package dev.courier.http2.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock around a connection's {@link FrameWriter}, with a backlog of writes that threads which
 * found it held leave for its holder: whoever releases it writes the backlog first (flat
 * combining). Every release by the outermost holder writes what is queued, so a queued write
 * waits at most for the holder's current work, never for a thread that might not come.
 *
 * <p>After the release, the holder looks at the backlog once more and takes the lock again if
 * something arrived meanwhile: a thread that queued a write and then failed to take the lock
 * did so while it was held, so the holder's second look sees its write.
 */
final class WriterLock extends ReentrantLock {
  /** Writes other threads queued; called with the lock held. */
  interface Backlog {
    /** Returns true if writes are queued; cheap and safe without any lock. */
    boolean hasQueued();

    /** Writes everything queued; never throws: a failure fails the connection. */
    void writeQueued();
  }

  private static final Backlog NONE = new Backlog() {
    @Override
    public boolean hasQueued() {
      return false;
    }

    @Override
    public void writeQueued() {
    }
  };

  private volatile Backlog backlog = NONE;

  /** Sets the backlog written on every release; none until set. */
  void backlog(Backlog backlog) {
    this.backlog = backlog;
  }

  /**
   * Leaves a queued write to the holder if the lock is held, or else takes the lock, writes the
   * backlog (the caller's write included) and releases it. Never waits. Returns false if another
   * thread holds the lock, which then writes the backlog as it lets go.
   */
  boolean releaseOrLeaveToHolder() {
    if (!tryLock()) {
      return false;
    }
    unlock();
    return true;
  }

  /** Writes the backlog if this is the outermost hold, then releases the lock. */
  @Override
  public void unlock() {
    if (getHoldCount() != 1) {
      super.unlock();
      return;
    }
    Backlog queued = backlog;
    while (true) {
      try {
        if (queued.hasQueued()) {
          queued.writeQueued();
        }
      } finally {
        super.unlock();
      }
      if (!queued.hasQueued() || !tryLock()) {
        return;
      }
    }
  }
}
