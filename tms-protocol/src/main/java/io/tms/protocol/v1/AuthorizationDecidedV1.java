package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/** A driver was approved or denied at the gate. The PIN is never part of it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuthorizationDecidedV1(
    String authorizationId,
    Instant decidedAt,
    Instant expiresAt,
    boolean approved,
    List<String> denyCodes,
    String cardNumber,
    String driverId,
    String carrierId,
    String vehicleId,
    boolean cardLocked,
    List<Compartment> compartments) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Compartment(
      int compartment,
      String customerId,
      String productCode,
      String allocationId,
      long capacityGallons,
      long maxGallons,
      List<String> denyCodes) {}
}
