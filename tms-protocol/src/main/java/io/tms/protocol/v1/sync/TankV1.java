package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A storage tank at one site. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TankV1(
    String id, String siteCode, String productCode, double capacityGallons, double baseDensityKgM3, boolean active)
    implements MasterRecordV1 {
  @Override
  public String key() {
    return id;
  }
}
