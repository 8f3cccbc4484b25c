package io.tms.domain.volume;

/**
 * Rounding to a power-of-ten increment, as API MPMS 11.1-2004 §11.1.5.4 prescribes.
 *
 * <p>The procedure (as coded in API's reference implementation of the standard) normalises |x| by the increment,
 * takes the nearest integer, resolves an exact half to the even integer, rescales and restores
 * the sign. "Exact half" is judged with a tolerance of 1e-7 on the normalised value because a
 * decimal such as 59.95 has no exact binary form; without it the result would depend on
 * representation noise instead of on the decimal the operator saw.
 *
 * <p>The increment is given as a number of decimals and the result is produced by dividing by
 * a power of ten, so that e.g. 600 / 10 yields the double nearest to 60.0 exactly.
 */
final class StandardRounding {

  private static final double HALF_TOLERANCE = 1.0e-7;

  private StandardRounding() {
  }

  /** Half-to-even rounding of the standard (§11.1.5.4); used for its inputs and for CTL. */
  static double halfEven(double value, int decimals) {
    return round(value, decimals, true);
  }

  /**
   * Half-up (away from zero) rounding; API MPMS Chapter 12 rounds calculated quantities this
   * way ("5 or greater increases the last retained figure"), so we use it for net volume.
   */
  static double halfUp(double value, int decimals) {
    return round(value, decimals, false);
  }

  private static double round(double value, int decimals, boolean halfToEven) {
    double scale = powerOfTen(decimals);
    double normalised = Math.abs(value) * scale;
    double whole = Math.floor(normalised);
    double fraction = normalised - whole;
    double nearest;
    if (Math.abs(fraction - 0.5) < HALF_TOLERANCE) {
      nearest = halfToEven && whole % 2.0 == 0.0 ? whole : whole + 1.0;
    } else {
      nearest = Math.floor(normalised + 0.5);
    }
    if (nearest == 0.0) {
      return 0.0; // never hand out −0.0: it prints as "-0.0" on a ticket
    }
    return Math.copySign(nearest / scale, value);
  }

  /** Exact powers of ten; Math.pow only promises to be within one ulp. */
  private static double powerOfTen(int decimals) {
    return switch (decimals) {
      case 0 -> 1.0;
      case 1 -> 10.0;
      case 2 -> 100.0;
      case 3 -> 1_000.0;
      case 4 -> 10_000.0;
      case 5 -> 100_000.0;
      case 6 -> 1_000_000.0;
      default -> throw new IllegalArgumentException("unsupported decimals: " + decimals);
    };
  }
}
