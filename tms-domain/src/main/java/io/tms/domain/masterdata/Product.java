package io.tms.domain.masterdata;

import io.tms.domain.volume.CommodityGroup;
import java.util.Objects;

/**
 * A product the terminal loads. Its commodity group selects the volume-correction constants for the
 * densities that group covers; a batch whose density falls in a neighbouring group's band (a light
 * diesel, say) takes that group's constants, as the generalized refined-products tables do — the
 * constants of one group are never stretched over another group's densities. A deactivated product
 * ({@code active=false}) is no longer authorized for loading; loads already under way complete.
 */
public record Product(String code, String name, CommodityGroup commodityGroup, boolean active) {
  public Product {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(commodityGroup, "commodityGroup");
  }

  /** An active product. */
  public Product(String code, String name, CommodityGroup commodityGroup) {
    this(code, name, commodityGroup, true);
  }

  /** The group to correct a batch of this base density with; {@code null} selects by density. */
  public CommodityGroup volumeGroupFor(double baseDensityKgM3) {
    return commodityGroup.covers(baseDensityKgM3) ? commodityGroup : null;
  }
}
