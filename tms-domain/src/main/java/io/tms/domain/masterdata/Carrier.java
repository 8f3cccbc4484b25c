package io.tms.domain.masterdata;

import java.time.LocalDate;
import java.util.Objects;

/** A trucking company. Its insurance is valid through {@code insuranceExpires} (site-local date). */
public record Carrier(String id, String name, boolean active, LocalDate insuranceExpires) {
  public Carrier {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(insuranceExpires, "insuranceExpires");
  }

  public boolean insuredOn(LocalDate day) {
    return !day.isAfter(insuranceExpires);
  }
}
