package io.tms.domain.masterdata;

/** One compartment of a tank trailer, numbered from 1. */
public record Compartment(int number, long capacityGallons) {
  public Compartment {
    if (number < 1) {
      throw new IllegalArgumentException("compartment number must be >= 1 (was " + number + ")");
    }
    if (capacityGallons <= 0) {
      throw new IllegalArgumentException("compartment capacity must be > 0 (was " + capacityGallons + ")");
    }
  }
}
