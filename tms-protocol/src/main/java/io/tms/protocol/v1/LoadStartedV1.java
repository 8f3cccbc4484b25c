package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/** Flow was permitted at a bay; the presets hold that much of the site's reserves. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoadStartedV1(
    String loadId, String authorizationId, String bayId, String vehicleId, Instant startedAt, List<Compartment> compartments) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Compartment(
      int compartment,
      String customerId,
      String productCode,
      String allocationId,
      String armId,
      String meterId,
      String tankId,
      long presetGallons) {}
}
