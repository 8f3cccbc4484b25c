package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.LocalDate;

/** A carrier (trucking company); its insurance is valid through {@code insuranceExpires}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CarrierV1(String id, String name, boolean active, LocalDate insuranceExpires) implements MasterRecordV1 {
  @Override
  public String key() {
    return id;
  }
}
