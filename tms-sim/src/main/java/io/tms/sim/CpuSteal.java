package io.tms.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the hypervisor gave to other guests while a benchmark ran ("steal", the eighth figure of
 * {@code /proc/stat}'s {@code cpu} line). On a virtual machine the same run moves by a quarter and
 * more with it — a 2-core guest that loses 0.1 of a core loses 5 % of what it measures, and its
 * latency tails move more — so each benchmark reports it beside its figures, in cores (steal seconds
 * ÷ wall-clock seconds): a figure read with it can be told from a slower machine. NaN off Linux.
 */
final class CpuSteal {
  private static final Path STAT = Path.of("/proc/stat");
  private static final double USER_HZ = 100; // /proc/stat counts in USER_HZ on every Linux ABI

  private final double steal0;
  private final long t0 = System.nanoTime();

  private CpuSteal(double steal0) {
    this.steal0 = steal0;
  }

  /** Starts a window now. */
  static CpuSteal start() {
    return new CpuSteal(stealSeconds());
  }

  /** Cores stolen on average since {@link #start()}. */
  double cores() {
    double seconds = (System.nanoTime() - t0) / 1e9;
    return seconds <= 0 ? Double.NaN : (stealSeconds() - steal0) / seconds;
  }

  /** Steal seconds of all CPUs since boot, or NaN when unknown. */
  static double stealSeconds() {
    try {
      for (String line : Files.readAllLines(STAT)) {
        if (line.startsWith("cpu ")) {
          return stealSeconds(line);
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return Double.NaN;
  }

  /**
   * The steal seconds of {@code /proc/stat}'s {@code cpu} line ({@code cpu user nice system idle
   * iowait irq softirq steal ...}, in USER_HZ ticks), or NaN for a line without them.
   */
  static double stealSeconds(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    try {
      return f.length > 8 && f[0].equals("cpu") ? Long.parseLong(f[8]) / USER_HZ : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
