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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import io.tms.agent.store.PreparedSql;

/**
 * The authorizer's view of a site: master data from memory, card state and reserves from the
 * transaction. Lives for one decision, inside one unit of work: a reserve read once is not read
 * again for the next compartment of the same allocation, nor a card's state when the decision is
 * recorded (nothing else writes them meanwhile).
 */
final class SiteFacts implements AuthorizationFacts {
  private final MasterData md;
  private final PreparedSql sql;
  private final LoadingStore loading;
  private final Map<String, Optional<Reserve>> reserves = new HashMap<>(4);
  private final Map<String, CardState> cards = new HashMap<>(2);

  SiteFacts(MasterData md, PreparedSql sql, LoadingStore loading) {
    this.md = md;
    this.sql = sql;
    this.loading = loading;
  }

  @Override
  public Optional<Driver> driverByCard(String cardNumber) {
    return Optional.ofNullable(md.driversByCard().get(cardNumber));
  }

  @Override
  public CardState cardState(String cardNumber) {
    return cards.computeIfAbsent(cardNumber, c -> loading.cardState(sql, c)); // the decision's, then its record's
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
        .flatMap(a -> reserves.computeIfAbsent(a.id(), id -> loading.reserve(sql, id)));
  }
}
