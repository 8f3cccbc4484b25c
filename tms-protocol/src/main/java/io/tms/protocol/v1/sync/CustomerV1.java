package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A customer (consignee). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CustomerV1(String id, String name, boolean active) implements MasterRecordV1 {
  @Override
  public String key() {
    return id;
  }
}
