package io.tms.api.admin;

import io.tms.api.store.MasterTable;
import io.tms.protocol.v1.sync.AllocationV1;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Allocations: how much of a product a customer may lift in a period, across all sites, in whole
 * gross gallons. The reserve ledger escrows slices of them to sites; this resource only keeps the
 * allocation itself.
 */
final class AllocationAdmin implements AdminEntity<AllocationAdmin.Body, AllocationV1> {
  record Body(
      String id, String customerId, String productCode, LocalDate periodStart, LocalDate periodEnd,
      Long quantityGallons, Boolean active, Long version) {}

  private static final MasterTable<AllocationV1> TABLE = new MasterTable<>("allocation", null, List.of("id"), Set.of(),
      a -> MasterTable.columns("id", a.id(), "customer_id", a.customerId(), "product_code", a.productCode(),
          "period_start", a.periodStart(), "period_end", a.periodEnd(), "quantity_gal", a.quantityGallons(),
          "active", a.active()),
      rs -> new AllocationV1(rs.getString("id"), rs.getString("customer_id"), rs.getString("product_code"),
          rs.getObject("period_start", LocalDate.class), rs.getObject("period_end", LocalDate.class),
          rs.getLong("quantity_gal"), rs.getBoolean("active")));

  @Override
  public String collection() {
    return "allocations";
  }

  @Override
  public Class<Body> bodyType() {
    return Body.class;
  }

  @Override
  public MasterTable<AllocationV1> table() {
    return TABLE;
  }

  @Override
  public String keyField() {
    return "id";
  }

  @Override
  public AllocationV1 record(String site, String key, Body b, AllocationV1 current) {
    String id = Fields.id("id", Fields.key("id", b.id(), key));
    LocalDate start = Fields.required("periodStart", b.periodStart());
    LocalDate end = Fields.required("periodEnd", b.periodEnd());
    if (end.isBefore(start)) {
      throw Fields.invalid("periodEnd", "periodEnd must not be before periodStart");
    }
    long quantity = Fields.required("quantityGallons", b.quantityGallons());
    if (quantity < 0) {
      throw Fields.invalid("quantityGallons", "quantityGallons must be >= 0");
    }
    return new AllocationV1(id, Fields.id("customerId", b.customerId()), Fields.id("productCode", b.productCode()),
        start, end, quantity, Fields.active(b.active(), current == null ? null : current.active()));
  }

  @Override
  public void checkReferences(Handle h, AllocationV1 a) {
    References.exists(h, "customer", "id", a.customerId(), "customerId");
    References.exists(h, "product", "code", a.productCode(), "productCode");
  }

  @Override
  public boolean active(AllocationV1 r) {
    return r.active();
  }

  @Override
  public AllocationV1 deactivated(AllocationV1 r) {
    return new AllocationV1(r.id(), r.customerId(), r.productCode(), r.periodStart(), r.periodEnd(),
        r.quantityGallons(), false);
  }
}
