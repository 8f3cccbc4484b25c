package io.tms.agent.store;

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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An immutable in-memory copy of the site's master data. Master data changes rarely and only
 * through the writer (the change feed or a seed), which swaps in a new copy after commit; the hot
 * path then reads it without touching SQLite. Thread-safe (immutable).
 */
public record MasterData(
    Site site,
    Map<String, Product> products,
    Map<String, Tank> tanks,
    List<Bay> bays,
    Map<String, Customer> customers,
    Map<String, Carrier> carriers,
    Map<String, Driver> driversByCard,
    Map<String, Driver> driversById,
    Map<String, Vehicle> vehicles,
    Set<String> customerProducts,
    Map<String, List<Allocation>> allocationsByCustomerProduct) {

  public static MasterData of(
      Site site,
      List<Product> products,
      List<Tank> tanks,
      List<Bay> bays,
      List<Customer> customers,
      List<Carrier> carriers,
      List<Driver> drivers,
      List<Vehicle> vehicles,
      Set<String> customerProducts,
      List<Allocation> allocations) {
    return new MasterData(
        site,
        index(products, Product::code),
        index(tanks, Tank::id),
        bays.stream().sorted(Comparator.comparing(Bay::id)).toList(),
        index(customers, Customer::id),
        index(carriers, Carrier::id),
        index(drivers, Driver::cardNumber),
        index(drivers, Driver::id),
        index(vehicles, Vehicle::id),
        Set.copyOf(customerProducts),
        allocations.stream()
            .collect(Collectors.groupingBy(a -> key(a.customerId(), a.productCode()), Collectors.toUnmodifiableList())));
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> id) {
    return items.stream().collect(Collectors.toUnmodifiableMap(id, Function.identity()));
  }

  static String key(String customerId, String productCode) {
    return customerId + "\u0000" + productCode;
  }

  public boolean customerMayLift(String customerId, String productCode) {
    return customerProducts.contains(key(customerId, productCode));
  }

  // The two lookups below run on the writer for every compartment and start: loops, not streams
  // (the agent's C1-compiled code pays for every stage of a stream).

  public Optional<Allocation> allocationFor(String customerId, String productCode, LocalDate day) {
    List<Allocation> candidates = allocationsByCustomerProduct.get(key(customerId, productCode));
    if (candidates != null) {
      for (Allocation a : candidates) {
        if (a.covers(day)) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  public Optional<Bay> bay(String id) {
    for (Bay b : bays) {
      if (b.id().equals(id)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}
