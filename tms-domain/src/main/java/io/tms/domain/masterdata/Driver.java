package io.tms.domain.masterdata;

import io.tms.domain.authorization.PinHash;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A driver with the card they present at the gate. {@code certifications} maps a certification
 * (e.g. {@code HAZMAT}, {@code TWIC}, {@code SITE_SAFETY}) to the last day it is valid.
 */
public record Driver(
    String id,
    String name,
    String cardNumber,
    boolean cardActive,
    PinHash pinHash,
    Set<String> carrierIds,
    Map<String, LocalDate> certifications) {

  public Driver {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cardNumber, "cardNumber");
    Objects.requireNonNull(pinHash, "pinHash");
    carrierIds = Set.copyOf(carrierIds);
    certifications = Map.copyOf(certifications);
  }

  /** The first certification (by name) that is expired on the given day. */
  public Optional<String> expiredCertification(LocalDate day) {
    String first = null; // a loop, not a stream: it runs in every authorization, on the site's writer
    for (Map.Entry<String, LocalDate> e : certifications.entrySet()) {
      if (day.isAfter(e.getValue()) && (first == null || e.getKey().compareTo(first) < 0)) {
        first = e.getKey();
      }
    }
    return Optional.ofNullable(first);
  }

  /** Never print the PIN hash. */
  @Override
  public String toString() {
    return "Driver[id=" + id + ", card=" + cardNumber + "]";
  }
}
