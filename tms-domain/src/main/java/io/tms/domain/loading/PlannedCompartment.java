package io.tms.domain.loading;

import java.util.Objects;

/** One compartment of a load: what goes in, from which arm, meter and tank, up to which preset. */
public record PlannedCompartment(
    int compartment,
    String customerId,
    String productCode,
    String allocationId,
    String armId,
    String meterId,
    String tankId,
    long presetGallons) {
  public PlannedCompartment {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(productCode, "productCode");
    Objects.requireNonNull(allocationId, "allocationId");
    Objects.requireNonNull(armId, "armId");
    Objects.requireNonNull(tankId, "tankId");
    if (presetGallons <= 0) {
      throw new IllegalArgumentException("preset must be > 0 (was " + presetGallons + ")");
    }
  }
}
