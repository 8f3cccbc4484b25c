package io.tms.api.admin;

import io.tms.api.store.MasterTable;
import io.tms.domain.volume.CommodityGroup;
import io.tms.protocol.v1.sync.TankV1;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Storage tanks of one site; the base density must lie in the refined-products range of API MPMS 11.1. */
final class TankAdmin implements AdminEntity<TankAdmin.Body, TankV1> {
  record Body(
      String id, String siteCode, String productCode, Double capacityGallons, Double baseDensityKgM3, Boolean active,
      Long version) {}

  private static final double MIN_DENSITY = CommodityGroup.GASOLINES.minBaseDensityKgM3();
  private static final double MAX_DENSITY = CommodityGroup.FUEL_OILS.maxBaseDensityKgM3();

  private static final MasterTable<TankV1> TABLE = new MasterTable<>("tank", "site_code", List.of("id"), Set.of(),
      t -> MasterTable.columns("id", t.id(), "site_code", t.siteCode(), "product_code", t.productCode(),
          "capacity_gal", t.capacityGallons(), "base_density", t.baseDensityKgM3(), "active", t.active()),
      rs -> new TankV1(rs.getString("id"), rs.getString("site_code"), rs.getString("product_code"),
          rs.getDouble("capacity_gal"), rs.getDouble("base_density"), rs.getBoolean("active")));

  @Override
  public String collection() {
    return "tanks";
  }

  @Override
  public Class<Body> bodyType() {
    return Body.class;
  }

  @Override
  public MasterTable<TankV1> table() {
    return TABLE;
  }

  @Override
  public String keyField() {
    return "id";
  }

  @Override
  public boolean siteScoped() {
    return true;
  }

  /** Within the site's scope the key is the id alone (the feed's key adds the site). */
  @Override
  public List<String> key(TankV1 r) {
    return List.of(r.id());
  }

  @Override
  public TankV1 record(String site, String key, Body b, TankV1 current) {
    String id = Fields.id("id", Fields.key("id", b.id(), key));
    Fields.key("siteCode", b.siteCode(), site);
    double density = Fields.required("baseDensityKgM3", b.baseDensityKgM3());
    if (!(density >= MIN_DENSITY && density <= MAX_DENSITY)) {
      throw Fields.invalid("baseDensityKgM3", "baseDensityKgM3 must be " + MIN_DENSITY + "-" + MAX_DENSITY);
    }
    return new TankV1(id, site, Fields.id("productCode", b.productCode()),
        Fields.positive("capacityGallons", b.capacityGallons()), density,
        Fields.active(b.active(), current == null ? null : current.active()));
  }

  @Override
  public void checkReferences(Handle h, TankV1 t) {
    References.exists(h, "product", "code", t.productCode(), "productCode");
  }

  @Override
  public boolean active(TankV1 r) {
    return r.active();
  }

  @Override
  public TankV1 deactivated(TankV1 r) {
    return new TankV1(r.id(), r.siteCode(), r.productCode(), r.capacityGallons(), r.baseDensityKgM3(), false);
  }

  @Override
  public String feedScope(TankV1 r) {
    return r.siteCode();
  }
}
