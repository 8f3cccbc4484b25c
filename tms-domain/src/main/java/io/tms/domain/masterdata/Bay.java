package io.tms.domain.masterdata;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A loading bay (lane) with its arms. */
public record Bay(String id, String name, boolean active, List<Arm> arms) {
  public Bay {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    arms = List.copyOf(arms);
  }

  /** The first arm of this bay that carries the product. */
  public Optional<Arm> armFor(String productCode) {
    return arms.stream().filter(a -> a.carries(productCode)).findFirst();
  }

  public boolean carriesAll(Collection<String> productCodes) {
    return productCodes.stream().allMatch(p -> armFor(p).isPresent());
  }
}
