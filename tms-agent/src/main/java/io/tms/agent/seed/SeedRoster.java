package io.tms.agent.seed;

import io.tms.domain.authorization.DenyCode;
import io.tms.domain.masterdata.Compartment;
import io.tms.domain.masterdata.Product;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a terminal simulator needs to drive realistic traffic against a seeded site, including the
 * plain PINs (which the site itself only has hashed). Computed without a database by
 * {@link DemoSeed#roster}; equal inputs give an equal roster in any process.
 *
 * <p>Denial codes are what the authorizer is expected to report for that driver, vehicle or
 * customer × product (at least these; it may report more for a combination).
 */
public record SeedRoster(
    String siteCode,
    SeedProfile profile,
    LocalDate today,
    List<Product> products,
    List<BayEntry> bays,
    List<DriverEntry> drivers,
    List<VehicleEntry> vehicles,
    List<Lifting> liftings,
    List<DeniedLifting> deniedLiftings) {

  public SeedRoster {
    Objects.requireNonNull(siteCode, "siteCode");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(today, "today");
    products = List.copyOf(products);
    bays = List.copyOf(bays);
    drivers = List.copyOf(drivers);
    vehicles = List.copyOf(vehicles);
    liftings = List.copyOf(liftings);
    deniedLiftings = List.copyOf(deniedLiftings);
  }

  /**
   * A driver and their card. {@code vehicleIds} are all vehicles of their carriers, usable or not;
   * {@code expectedApproved} says whether some vehicle among them (and some lifting) gets the driver
   * approved; {@code denials} are the driver's own problems (card, certifications).
   */
  public record DriverEntry(
      String id,
      String name,
      String cardNumber,
      String pin,
      List<String> carrierIds,
      List<String> vehicleIds,
      boolean expectedApproved,
      List<DenyCode> denials) {
    public DriverEntry {
      carrierIds = List.copyOf(carrierIds);
      vehicleIds = List.copyOf(vehicleIds);
      denials = List.copyOf(denials);
    }

    /** Leaves the PIN out. */
    @Override
    public String toString() {
      return "DriverEntry[id=" + id + ", card=" + cardNumber + ", expectedApproved=" + expectedApproved + "]";
    }
  }

  /** A vehicle; {@code denials} covers the vehicle itself and its carrier (inactive, uninsured). */
  public record VehicleEntry(String id, String carrierId, List<Compartment> compartments, List<DenyCode> denials) {
    public VehicleEntry {
      compartments = List.copyOf(compartments);
      denials = List.copyOf(denials);
    }

    public boolean usable() {
      return denials.isEmpty();
    }

    public long capacityGallons() {
      return compartments.stream().mapToLong(Compartment::capacityGallons).sum();
    }
  }

  /** A bay and the products its arms carry. */
  public record BayEntry(String id, String name, List<String> productCodes) {
    public BayEntry {
      productCodes = List.copyOf(productCodes);
    }
  }

  /**
   * A customer × product that an active customer may lift and that has an allocation this month;
   * {@code reserveGallons} is this site's granted reserve of it (small ones run out quickly).
   */
  public record Lifting(
      String customerId, String customerName, String productCode, String allocationId, long reserveGallons) {}

  /** A customer × product the authorizer refuses, with the code it is expected to give. */
  public record DeniedLifting(String customerId, String productCode, DenyCode expected) {}

  public List<DriverEntry> approvedDrivers() {
    return drivers.stream().filter(DriverEntry::expectedApproved).toList();
  }

  public Optional<VehicleEntry> vehicle(String id) {
    return vehicles.stream().filter(v -> v.id().equals(id)).findFirst();
  }

  /** The ids of the bays where the product can be loaded. */
  public List<String> baysFor(String productCode) {
    return bays.stream().filter(b -> b.productCodes().contains(productCode)).map(BayEntry::id).toList();
  }
}
