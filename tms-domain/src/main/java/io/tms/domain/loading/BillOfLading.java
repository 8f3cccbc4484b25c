package io.tms.domain.loading;

import io.tms.domain.Gallons;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The document a driver leaves with: who loaded what, for whom, how much, gross and net. */
public record BillOfLading(
    BolNumber number,
    String siteCode,
    String loadId,
    String bayId,
    String driverId,
    String driverName,
    String carrierId,
    String carrierName,
    String vehicleId,
    Instant startedAt,
    Instant completedAt,
    List<BolLine> lines) {

  public BillOfLading {
    Objects.requireNonNull(number, "number");
    lines = List.copyOf(lines);
  }

  public double totalGrossGallons() {
    return Gallons.tenths(lines.stream().mapToDouble(BolLine::grossGallons).sum());
  }

  public double totalNetGallons() {
    return Gallons.tenths(lines.stream().mapToDouble(BolLine::netGallons).sum());
  }
}
