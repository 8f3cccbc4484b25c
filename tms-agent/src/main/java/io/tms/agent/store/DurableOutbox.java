package io.tms.agent.store;

import io.tms.protocol.v1.Lane;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How far each outbox lane is on disk: the last seq whose commit the writer's sync thread has
 * flushed ({@link WriteQueue}). Events above it are committed, and visible to the site's readers,
 * but a power cut could still take them, so they must not leave the site: the uplink reads each lane
 * only up to {@link #through}. One per writer, shared by whatever appends through it.
 */
public final class DurableOutbox {
  // By Lane ordinal; -1: not loaded yet.
  private final AtomicLongArray through;
  private volatile Runnable listener = () -> {};

  DurableOutbox() {
    long[] initial = new long[Lane.values().length];
    Arrays.fill(initial, -1);
    this.through = new AtomicLongArray(initial);
  }

  /** The last seq of {@code lane} on disk; before the agent's first write loads it, no bound. */
  public long through(Lane lane) {
    long seq = through.get(lane.ordinal());
    return seq < 0 ? Long.MAX_VALUE : seq;
  }

  /**
   * Runs {@code listener} each time a lane advances (on the writer's sync thread: it must be cheap
   * and must not block, e.g. a semaphore release). The uplink wakes on it.
   */
  public void onAdvance(Runnable listener) {
    this.listener = listener;
  }

  /** What the database holds when the writer starts, flushed at open ({@link WalSync#flushAtOpen}). */
  void load(Lane lane, long seq) {
    through.accumulateAndGet(lane.ordinal(), seq, Math::max);
  }

  /** A commit that appended {@code seq} to {@code lane} is on disk. */
  void advance(Lane lane, long seq) {
    through.accumulateAndGet(lane.ordinal(), seq, Math::max);
    listener.run();
  }
}
