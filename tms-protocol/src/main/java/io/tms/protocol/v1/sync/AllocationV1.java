package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.LocalDate;

/** How much of a product a customer may lift in a period, across all sites, in whole gross gallons. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AllocationV1(
    String id, String customerId, String productCode, LocalDate periodStart, LocalDate periodEnd, long quantityGallons,
    boolean active)
    implements MasterRecordV1 {
  @Override
  public String key() {
    return id;
  }
}
