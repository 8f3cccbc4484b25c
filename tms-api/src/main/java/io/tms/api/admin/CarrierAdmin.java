package io.tms.api.admin;

import io.tms.api.store.MasterTable;
import io.tms.protocol.v1.sync.CarrierV1;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** Carriers (trucking companies), insured through {@code insuranceExpires}. */
final class CarrierAdmin implements AdminEntity<CarrierAdmin.Body, CarrierV1> {
  record Body(String id, String name, LocalDate insuranceExpires, Boolean active, Long version) {}

  private static final MasterTable<CarrierV1> TABLE = new MasterTable<>("carrier", null, List.of("id"), Set.of(),
      c -> MasterTable.columns(
          "id", c.id(), "name", c.name(), "insurance_expires", c.insuranceExpires(), "active", c.active()),
      rs -> new CarrierV1(rs.getString("id"), rs.getString("name"), rs.getBoolean("active"),
          rs.getObject("insurance_expires", LocalDate.class)));

  @Override
  public String collection() {
    return "carriers";
  }

  @Override
  public Class<Body> bodyType() {
    return Body.class;
  }

  @Override
  public MasterTable<CarrierV1> table() {
    return TABLE;
  }

  @Override
  public String keyField() {
    return "id";
  }

  @Override
  public CarrierV1 record(String site, String key, Body b, CarrierV1 current) {
    return new CarrierV1(Fields.id("id", Fields.key("id", b.id(), key)), Fields.name("name", b.name()),
        Fields.active(b.active(), current == null ? null : current.active()),
        Fields.required("insuranceExpires", b.insuranceExpires()));
  }

  @Override
  public boolean active(CarrierV1 r) {
    return r.active();
  }

  @Override
  public CarrierV1 deactivated(CarrierV1 r) {
    return new CarrierV1(r.id(), r.name(), false, r.insuranceExpires());
  }
}
