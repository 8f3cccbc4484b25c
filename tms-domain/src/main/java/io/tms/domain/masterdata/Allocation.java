package io.tms.domain.masterdata;

import java.time.LocalDate;
import java.util.Objects;

/**
 * How much of a product a customer may lift in a period, across all sites, in whole gross gallons.
 * A site spends only its own reserve of it (see {@link io.tms.domain.allocation.Reserve}).
 */
public record Allocation(
    String id, String customerId, String productCode, LocalDate periodStart, LocalDate periodEnd, long quantityGallons) {
  public Allocation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(productCode, "productCode");
    Objects.requireNonNull(periodStart, "periodStart");
    Objects.requireNonNull(periodEnd, "periodEnd");
    if (periodEnd.isBefore(periodStart)) {
      throw new IllegalArgumentException("allocation " + id + " ends before it starts");
    }
    if (quantityGallons < 0) {
      throw new IllegalArgumentException("allocation quantity must be >= 0 (was " + quantityGallons + ")");
    }
  }

  public boolean covers(LocalDate day) {
    return !day.isBefore(periodStart) && !day.isAfter(periodEnd);
  }
}
