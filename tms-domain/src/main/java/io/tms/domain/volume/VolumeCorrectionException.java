package io.tms.domain.volume;

/**
 * A volume correction that API MPMS Chapter 11.1-2004 does not define for the given inputs.
 *
 * <p>The standard is an implementation procedure with hard limits; outside them it gives no
 * answer, so neither do we: a load is never corrected by extrapolating the correlation.
 */
public final class VolumeCorrectionException extends RuntimeException {

  /** Why the correction was refused; stable, so callers can map it to an operator message. */
  public enum Reason {
    /** Temperature not finite or, after rounding to 0.1 °F, outside −58.0 … 302.0 °F. */
    TEMPERATURE_OUT_OF_RANGE,
    /**
     * Density (or API gravity) not finite, not physical, or outside the limits of the
     * standard or of the requested commodity group.
     */
    DENSITY_OUT_OF_RANGE,
    /** The observed-to-base density iteration did not converge within its iteration limit. */
    NON_CONVERGENCE,
    /** Gross volume not finite or negative. */
    INVALID_VOLUME
  }

  private final Reason reason;

  public VolumeCorrectionException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
