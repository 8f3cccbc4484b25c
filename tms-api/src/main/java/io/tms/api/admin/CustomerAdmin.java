package io.tms.api.admin;

import io.tms.api.store.MasterTable;
import io.tms.protocol.v1.sync.CustomerV1;
import java.util.List;
import java.util.Set;

/** Customers (consignees). */
final class CustomerAdmin implements AdminEntity<CustomerAdmin.Body, CustomerV1> {
  record Body(String id, String name, Boolean active, Long version) {}

  private static final MasterTable<CustomerV1> TABLE = new MasterTable<>("customer", null, List.of("id"), Set.of(),
      c -> MasterTable.columns("id", c.id(), "name", c.name(), "active", c.active()),
      rs -> new CustomerV1(rs.getString("id"), rs.getString("name"), rs.getBoolean("active")));

  @Override
  public String collection() {
    return "customers";
  }

  @Override
  public Class<Body> bodyType() {
    return Body.class;
  }

  @Override
  public MasterTable<CustomerV1> table() {
    return TABLE;
  }

  @Override
  public String keyField() {
    return "id";
  }

  @Override
  public CustomerV1 record(String site, String key, Body b, CustomerV1 current) {
    return new CustomerV1(Fields.id("id", Fields.key("id", b.id(), key)), Fields.name("name", b.name()),
        Fields.active(b.active(), current == null ? null : current.active()));
  }

  @Override
  public boolean active(CustomerV1 r) {
    return r.active();
  }

  @Override
  public CustomerV1 deactivated(CustomerV1 r) {
    return new CustomerV1(r.id(), r.name(), false);
  }
}
