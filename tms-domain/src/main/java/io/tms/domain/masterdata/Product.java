package io.tms.domain.masterdata;

import io.tms.domain.volume.CommodityGroup;
import java.util.Objects;

/** A product the terminal loads; its commodity group selects the volume-correction constants. */
public record Product(String code, String name, CommodityGroup commodityGroup) {
  public Product {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(commodityGroup, "commodityGroup");
  }
}
