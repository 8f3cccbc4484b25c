package io.tms.agent.service;

import io.tms.domain.loading.BillOfLading;
import io.tms.domain.loading.BolLine;
import io.tms.domain.loading.BolNumber;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A BOL as the terminal API shows it and as it is kept for reprints: the domain BOL plus the names
 * as they were when it was issued.
 */
public record BolDocument(
    String bolNumber,
    String siteCode,
    String siteName,
    String siteZone,
    String loadId,
    String bayId,
    String driverId,
    String driverName,
    String carrierId,
    String carrierName,
    String vehicleId,
    Instant startedAt,
    Instant completedAt,
    double totalGrossGallons,
    double totalNetGallons,
    List<BolLine> lines,
    Map<String, String> productNames,
    Map<String, String> customerNames) {

  static BolDocument of(
      BillOfLading b, String siteName, String siteZone, Map<String, String> products, Map<String, String> customers) {
    return new BolDocument(
        b.number().toString(), b.siteCode(), siteName, siteZone, b.loadId(), b.bayId(), b.driverId(), b.driverName(),
        b.carrierId(), b.carrierName(), b.vehicleId(), b.startedAt(), b.completedAt(), b.totalGrossGallons(),
        b.totalNetGallons(), b.lines(), Map.copyOf(products), Map.copyOf(customers));
  }

  public BillOfLading toBillOfLading() {
    return new BillOfLading(
        BolNumber.parse(bolNumber), siteCode, loadId, bayId, driverId, driverName, carrierId, carrierName, vehicleId,
        startedAt, completedAt, lines);
  }
}
