package io.tms.sim;

import java.util.Arrays;

/**
 * Request latencies in nanoseconds, kept whole so percentiles are exact. One recorder per thread;
 * {@link #merge} them at the end. Not thread-safe.
 */
public final class LatencyRecorder {
  private long[] values = new long[1024];
  private int size;

  public void record(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  public int count() {
    return size;
  }

  public static LatencyRecorder merge(Iterable<LatencyRecorder> parts) {
    LatencyRecorder all = new LatencyRecorder();
    for (LatencyRecorder p : parts) {
      for (int i = 0; i < p.size; i++) {
        all.record(p.values[i]);
      }
    }
    return all;
  }

  /** The value at quantile q (0..1) in milliseconds, nearest-rank; 0 when empty. */
  public double percentileMs(double q) {
    if (size == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
  }

  public double maxMs() {
    long max = 0;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, values[i]);
    }
    return max / 1e6;
  }
}
