package dev.courier.chain.internal;

import java.util.Collection;

/**
 * Holds the synchronous calls running now, in the order they started, as a list linked through
 * the calls themselves: adding and removing a call take constant time and allocate nothing, where
 * a deque searched the calls running before it. Guarded by the {@link CallScheduler}'s lock.
 */
final class RunningSyncCalls {
  private RealCall first;
  private RealCall last;
  private int size;

  /** Appends {@code call}, which must not be in the list. */
  void add(RealCall call) {
    call.previousRunning = last;
    call.nextRunning = null;
    if (last == null) {
      first = call;
    } else {
      last.nextRunning = call;
    }
    last = call;
    call.runningSync = true;
    size++;
  }

  /** Removes {@code call}; returns false if it was not in the list. */
  boolean remove(RealCall call) {
    if (!call.runningSync) {
      return false;
    }
    RealCall previous = call.previousRunning;
    RealCall next = call.nextRunning;
    if (previous == null) {
      first = next;
    } else {
      previous.nextRunning = next;
    }
    if (next == null) {
      last = previous;
    } else {
      next.previousRunning = previous;
    }
    call.previousRunning = null;
    call.nextRunning = null;
    call.runningSync = false;
    size--;
    return true;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** Adds every call in the list to {@code target}, oldest first. */
  void addTo(Collection<? super RealCall> target) {
    for (RealCall call = first; call != null; call = call.nextRunning) {
      target.add(call);
    }
  }
}
