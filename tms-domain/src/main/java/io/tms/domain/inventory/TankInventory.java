package io.tms.domain.inventory;

import io.tms.domain.Gallons;
import java.util.Objects;
import java.util.Optional;

/**
 * A tank's book inventory (net gallons) and its last gauge reading. The book follows the gauge when
 * a reading is recorded only if the operator reconciles; until then the difference shows the gain or
 * loss (book minus gauge) since.
 */
public record TankInventory(String tankId, String productCode, double capacityGallons, double bookNetGallons,
    GaugeReading lastGauge) {

  public TankInventory {
    Objects.requireNonNull(tankId, "tankId");
  }

  /** The book after a load took {@code netGallons} out of the tank. */
  public TankInventory afterLoad(double netGallons) {
    return new TankInventory(tankId, productCode, capacityGallons, Gallons.tenths(bookNetGallons - netGallons), lastGauge);
  }

  public TankInventory withGauge(GaugeReading reading) {
    return new TankInventory(tankId, productCode, capacityGallons, bookNetGallons, reading);
  }

  /** Book minus gauge, in net gallons; empty before the first gauge reading. */
  public Optional<Double> bookMinusGauge() {
    return Optional.ofNullable(lastGauge).map(g -> Gallons.tenths(bookNetGallons - g.netGallons()));
  }
}
