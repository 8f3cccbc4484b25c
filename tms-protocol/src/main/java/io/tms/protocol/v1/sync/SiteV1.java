package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A terminal site; {@code zone} is its IANA time zone (expiry dates are judged in it). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SiteV1(String code, String name, String zone, boolean active) implements MasterRecordV1 {
  @Override
  public String key() {
    return code;
  }
}
