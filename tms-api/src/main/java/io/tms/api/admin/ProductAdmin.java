package io.tms.api.admin;

import io.tms.api.store.MasterTable;
import io.tms.domain.volume.CommodityGroup;
import io.tms.protocol.v1.sync.ProductV1;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Products with their API MPMS 11.1 commodity group ({@code AUTO}: chosen by each batch's density). */
final class ProductAdmin implements AdminEntity<ProductAdmin.Body, ProductV1> {
  record Body(String code, String name, String commodityGroup, Boolean active, Long version) {}

  static final Set<String> GROUPS = Stream.concat(Arrays.stream(CommodityGroup.values()).map(Enum::name),
      Stream.of("AUTO")).collect(Collectors.toUnmodifiableSet());

  private static final MasterTable<ProductV1> TABLE = new MasterTable<>("product", null, List.of("code"), Set.of(),
      p -> MasterTable.columns(
          "code", p.code(), "name", p.name(), "commodity_group", p.commodityGroup(), "active", p.active()),
      rs -> new ProductV1(
          rs.getString("code"), rs.getString("name"), rs.getString("commodity_group"), rs.getBoolean("active")));

  @Override
  public String collection() {
    return "products";
  }

  @Override
  public Class<Body> bodyType() {
    return Body.class;
  }

  @Override
  public MasterTable<ProductV1> table() {
    return TABLE;
  }

  @Override
  public String keyField() {
    return "code";
  }

  @Override
  public ProductV1 record(String site, String key, Body b, ProductV1 current) {
    String code = Fields.id("code", Fields.key("code", b.code(), key));
    String group = Fields.required("commodityGroup", b.commodityGroup());
    if (!GROUPS.contains(group)) {
      throw Fields.invalid("commodityGroup", "commodityGroup must be one of " + GROUPS.stream().sorted().toList());
    }
    return new ProductV1(code, Fields.name("name", b.name()), group,
        Fields.active(b.active(), current == null ? null : current.active()));
  }

  @Override
  public boolean active(ProductV1 r) {
    return r.active();
  }

  @Override
  public ProductV1 deactivated(ProductV1 r) {
    return new ProductV1(r.code(), r.name(), r.commodityGroup(), false);
  }
}
