package io.tms.agent.seed;

import io.tms.domain.masterdata.Allocation;
import io.tms.domain.masterdata.Bay;
import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Customer;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Site;
import io.tms.domain.masterdata.Tank;
import io.tms.domain.masterdata.Vehicle;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A generated site: the master data the cloud would own, this site's reserve of each allocation
 * ({@code reserveGallons} by allocation id), the opening book inventory of each tank
 * ({@code openingNetGallons} by tank id, net gallons at 60 °F), and the roster a simulator drives
 * traffic with. Immutable.
 */
public record SeedData(
    Site site,
    SeedProfile profile,
    LocalDate today,
    List<Product> products,
    List<Tank> tanks,
    List<Bay> bays,
    List<Customer> customers,
    List<Carrier> carriers,
    List<Driver> drivers,
    List<Vehicle> vehicles,
    List<LiftingRight> liftingRights,
    List<Allocation> allocations,
    Map<String, Long> reserveGallons,
    Map<String, Double> openingNetGallons,
    SeedRoster roster) {

  public SeedData {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(today, "today");
    products = List.copyOf(products);
    tanks = List.copyOf(tanks);
    bays = List.copyOf(bays);
    customers = List.copyOf(customers);
    carriers = List.copyOf(carriers);
    drivers = List.copyOf(drivers);
    vehicles = List.copyOf(vehicles);
    liftingRights = List.copyOf(liftingRights);
    allocations = List.copyOf(allocations);
    reserveGallons = Map.copyOf(reserveGallons);
    openingNetGallons = Map.copyOf(openingNetGallons);
    Objects.requireNonNull(roster, "roster");
  }

  /** A customer's right to lift a product at this site. */
  public record LiftingRight(String customerId, String productCode) {}

  public int arms() {
    return bays.stream().mapToInt(b -> b.arms().size()).sum();
  }
}
