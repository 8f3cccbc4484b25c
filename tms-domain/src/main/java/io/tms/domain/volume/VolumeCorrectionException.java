package io.tms.domain.volume;
/** PLACEHOLDER. */
public class VolumeCorrectionException extends RuntimeException {
  public enum Reason { TEMPERATURE_OUT_OF_RANGE, DENSITY_OUT_OF_RANGE, NON_CONVERGENCE, INVALID_VOLUME }
  private final Reason reason;
  public VolumeCorrectionException(Reason r, String m) { super(m); reason = r; }
  public Reason reason() { return reason; }
}
