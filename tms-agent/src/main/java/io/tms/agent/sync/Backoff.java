package io.tms.agent.sync;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: after the n-th failure in a row, wait a random time in
 * {@code [0, min(max, initial * 2^n))}. Jitter spreads the retries of hundreds of sites that lost
 * the link at the same moment, so they do not come back at the same moment too. Not thread-safe:
 * one per loop.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int failures;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max (was " + initial + ", " + max + ")");
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** Records a failure and returns how long to wait before the next try. */
  public Duration failed() {
    long ceiling = ceilingMillis(failures);
    failures = Math.min(failures + 1, 62);
    return Duration.ofMillis(random.nextLong(ceiling) + 1);
  }

  /** Records a success: the next failure starts from {@code initial} again. */
  public void succeeded() {
    failures = 0;
  }

  /** Failures in a row so far. */
  public int failures() {
    return failures;
  }

  long ceilingMillis(int n) {
    long c = initialMillis;
    for (int i = 0; i < n && c < maxMillis; i++) {
      c *= 2;
    }
    return Math.min(c, maxMillis);
  }
}
