package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * A driver and their card. {@code pinHash} is the encoded PBKDF2 hash (never the PIN);
 * {@code certifications} maps a certification name to the last day it is valid.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DriverV1(
    String id,
    String name,
    String cardNumber,
    boolean cardActive,
    String pinHash,
    Set<String> carrierIds,
    Map<String, LocalDate> certifications)
    implements MasterRecordV1 {
  @Override
  public String key() {
    return id;
  }

  @Override
  public String toString() {
    return "DriverV1[id=" + id + ", card=" + cardNumber + "]";
  }
}
