package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A storage tank at one site. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TankV1(
    String id, String siteCode, String productCode, double capacityGallons, double baseDensityKgM3, boolean active)
    implements MasterRecordV1 {
  /** {@code site/id}: a tank id names a thing within its site only (every site may have its own). */
  @Override
  public String key() {
    return siteCode + "/" + id;
  }
}
