package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/** A bill of lading, complete: the cloud lands the BOL, its lines and the reserve consumption from it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BolIssuedV1(
    String bolNumber,
    String siteCode,
    String loadId,
    String bayId,
    String driverId,
    String carrierId,
    String vehicleId,
    Instant startedAt,
    Instant completedAt,
    double totalGrossGallons,
    double totalNetGallons,
    List<Line> lines) {

  /** {@code consumedGallons} is what the line took from the allocation's reserve (whole gross gallons). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Line(
      int compartment,
      String productCode,
      String customerId,
      String allocationId,
      String armId,
      String meterId,
      String tankId,
      long presetGallons,
      double grossGallons,
      double netGallons,
      double temperatureF,
      double baseDensityKgM3,
      double apiGravity,
      double ctl,
      long consumedGallons) {}
}
