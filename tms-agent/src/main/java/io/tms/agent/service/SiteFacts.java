package io.tms.agent.service;

import io.tms.agent.store.LoadingStore;
import io.tms.agent.store.MasterData;
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
import io.tms.agent.store.WriteContext;

/**
 * The authorizer's view of a site: master data from its in-memory copy, card state and reserves as
 * the writer keeps them (in memory, written through: {@code WriterMemory}). Lives for one decision,
 * inside one unit of work.
 */
final class SiteFacts implements AuthorizationFacts {
  private final MasterData md;
  private final WriteContext ctx;
  private final LoadingStore loading;

  SiteFacts(MasterData md, WriteContext ctx, LoadingStore loading) {
    this.md = md;
    this.ctx = ctx;
    this.loading = loading;
  }

  @Override
  public Optional<Driver> driverByCard(String cardNumber) {
    return Optional.ofNullable(md.driversByCard().get(cardNumber));
  }

  @Override
  public CardState cardState(String cardNumber) {
    return loading.cardState(ctx, cardNumber);
  }

  @Override
  public Optional<Vehicle> vehicle(String vehicleId) {
    return Optional.ofNullable(md.vehicles().get(vehicleId));
  }

  @Override
  public Optional<Carrier> carrier(String carrierId) {
    return Optional.ofNullable(md.carriers().get(carrierId));
  }

  @Override
  public Optional<Customer> customer(String customerId) {
    return Optional.ofNullable(md.customers().get(customerId));
  }

  @Override
  public Optional<Product> product(String productCode) {
    return Optional.ofNullable(md.products().get(productCode));
  }

  @Override
  public boolean customerMayLift(String customerId, String productCode) {
    return md.customerMayLift(customerId, productCode);
  }

  @Override
  public Optional<Reserve> reserveFor(String customerId, String productCode, LocalDate day) {
    return md.allocationFor(customerId, productCode, day)
        .flatMap(a -> loading.reserve(ctx, a.id()));
  }
}
