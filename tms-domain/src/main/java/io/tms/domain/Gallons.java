package io.tms.domain;

/** Small arithmetic on volumes kept in one place so every rounding is the same. */
public final class Gallons {
  private Gallons() {}

  /** Rounds a volume to 0.1 gallon, half away from zero. */
  public static double tenths(double gallons) {
    return Math.round(gallons * 10.0) / 10.0;
  }

  /**
   * The whole gallons a metered gross volume consumes from a reserve: rounded up, so that the
   * escrow never under-counts what left the terminal.
   */
  public static long consumed(double grossGallons) {
    return (long) Math.ceil(grossGallons - 1e-9);
  }
}
