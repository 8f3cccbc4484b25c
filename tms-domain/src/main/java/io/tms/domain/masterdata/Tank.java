package io.tms.domain.masterdata;

import java.util.Objects;

/**
 * A storage tank. {@code baseDensityKgM3} is the density at 60 °F of what it holds (from the last
 * lab sample), used to correct gauge readings; its book inventory lives in the inventory package.
 */
public record Tank(String id, String productCode, double capacityGallons, double baseDensityKgM3) {
  public Tank {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(productCode, "productCode");
    if (!(capacityGallons > 0)) {
      throw new IllegalArgumentException("tank capacity must be > 0 (was " + capacityGallons + ")");
    }
  }
}
