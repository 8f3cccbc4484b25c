package io.tms.domain.masterdata;

import java.util.Objects;

/** A customer (consignee) whose product a driver lifts. */
public record Customer(String id, String name, boolean active) {
  public Customer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
  }
}
