package io.tms.domain.loading;

/**
 * What the meter of one compartment reported at the end of flow. The density may be given as
 * {@code baseDensityKgM3} (at 60 °F), {@code apiGravity} (at 60 °F) or {@code observedDensityKgM3}
 * (a densitometer at the flowing temperature); when none is given the tank's lab density is used.
 */
public record MeterReading(
    int compartment,
    double grossGallons,
    double temperatureF,
    Double baseDensityKgM3,
    Double apiGravity,
    Double observedDensityKgM3) {

  public int densitiesGiven() {
    return (baseDensityKgM3 != null ? 1 : 0) + (apiGravity != null ? 1 : 0) + (observedDensityKgM3 != null ? 1 : 0);
  }
}
