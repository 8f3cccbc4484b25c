package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A product; {@code commodityGroup} names its API MPMS 11.1 volume-correction group (or AUTO by density). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductV1(String code, String name, String commodityGroup, boolean active) implements MasterRecordV1 {
  @Override
  public String key() {
    return code;
  }
}
