package io.tms.agent.seed;

import io.tms.domain.allocation.Reserve;
import io.tms.domain.authorization.AuthorizationFacts;
import io.tms.domain.authorization.CardState;
import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Customer;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Vehicle;
import java.time.LocalDate;
import java.util.Optional;

/** The authorizer's view of a freshly seeded site, straight from {@link SeedData} (a fake of the port). */
final class SeedDataFacts implements AuthorizationFacts {
  private final SeedData data;

  SeedDataFacts(SeedData data) {
    this.data = data;
  }

  @Override
  public Optional<Driver> driverByCard(String cardNumber) {
    return data.drivers().stream().filter(d -> d.cardNumber().equals(cardNumber)).findFirst();
  }

  @Override
  public CardState cardState(String cardNumber) {
    return CardState.FRESH;
  }

  @Override
  public Optional<Vehicle> vehicle(String vehicleId) {
    return data.vehicles().stream().filter(v -> v.id().equals(vehicleId)).findFirst();
  }

  @Override
  public Optional<Carrier> carrier(String carrierId) {
    return data.carriers().stream().filter(c -> c.id().equals(carrierId)).findFirst();
  }

  @Override
  public Optional<Customer> customer(String customerId) {
    return data.customers().stream().filter(c -> c.id().equals(customerId)).findFirst();
  }

  @Override
  public Optional<Product> product(String productCode) {
    return data.products().stream().filter(p -> p.code().equals(productCode)).findFirst();
  }

  @Override
  public boolean customerMayLift(String customerId, String productCode) {
    return data.liftingRights().contains(new SeedData.LiftingRight(customerId, productCode));
  }

  @Override
  public Optional<Reserve> reserveFor(String customerId, String productCode, LocalDate day) {
    return data.allocations().stream()
        .filter(a -> a.customerId().equals(customerId) && a.productCode().equals(productCode) && a.covers(day))
        .findFirst()
        .map(a -> new Reserve(a.id(), data.reserveGallons().get(a.id()), 0, 0));
  }
}
