package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Whether a customer may lift a product at one site; withdrawn with {@code granted=false}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LiftingV1(String siteCode, String customerId, String productCode, boolean granted)
    implements MasterRecordV1 {
  @Override
  public String key() {
    return siteCode + "/" + customerId + "/" + productCode;
  }
}
