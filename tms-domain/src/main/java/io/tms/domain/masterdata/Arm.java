package io.tms.domain.masterdata;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loading arm at a bay with its meter. It carries one or more products, each fed from a tank
 * ({@code tankByProduct}).
 */
public record Arm(String id, String bayId, String meterId, Map<String, String> tankByProduct) {
  public Arm {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(bayId, "bayId");
    Objects.requireNonNull(meterId, "meterId");
    tankByProduct = Map.copyOf(tankByProduct);
    if (tankByProduct.isEmpty()) {
      throw new IllegalArgumentException("arm " + id + " carries no product");
    }
  }

  public boolean carries(String productCode) {
    return tankByProduct.containsKey(productCode);
  }

  public Optional<String> tankFor(String productCode) {
    return Optional.ofNullable(tankByProduct.get(productCode));
  }
}
