package io.tms.domain.masterdata;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A truck with its tank trailer's compartments; its inspection is valid through {@code inspectionExpires}. */
public record Vehicle(
    String id, String carrierId, boolean active, LocalDate inspectionExpires, List<Compartment> compartments) {
  public Vehicle {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(carrierId, "carrierId");
    Objects.requireNonNull(inspectionExpires, "inspectionExpires");
    compartments = List.copyOf(compartments);
    if (compartments.isEmpty()) {
      throw new IllegalArgumentException("vehicle " + id + " has no compartments");
    }
  }

  public Optional<Compartment> compartment(int number) {
    for (Compartment c : compartments) { // a loop: the edge agent's writer asks per compartment, on C1
      if (c.number() == number) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
