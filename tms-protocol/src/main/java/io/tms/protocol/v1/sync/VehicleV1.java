package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.LocalDate;
import java.util.List;

/** A truck with its compartments (number → capacity in gallons). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VehicleV1(
    String id, String carrierId, boolean active, LocalDate inspectionExpires, List<Compartment> compartments)
    implements MasterRecordV1 {
  @Override
  public String key() {
    return id;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Compartment(int number, long capacityGallons) {}
}
