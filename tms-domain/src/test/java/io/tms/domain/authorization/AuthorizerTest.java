package io.tms.domain.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.domain.DomainException;
import io.tms.domain.allocation.Reserve;
import io.tms.domain.authorization.AuthorizationRequest.CompartmentRequest;
import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Compartment;
import io.tms.domain.masterdata.Customer;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Vehicle;
import io.tms.domain.volume.CommodityGroup;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizerTest {
  static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
  static final PinHash PIN = PinHash.create("1234", new byte[] {9}, 10);

  /** A hand-written fake of the facts port. */
  static final class Facts implements AuthorizationFacts {
    final Map<String, Driver> drivers = new HashMap<>();
    final Map<String, CardState> cards = new HashMap<>();
    final Map<String, Vehicle> vehicles = new HashMap<>();
    final Map<String, Carrier> carriers = new HashMap<>();
    final Map<String, Customer> customers = new HashMap<>();
    final Map<String, Product> products = new HashMap<>();
    final Set<String> rights = new java.util.HashSet<>();
    final Map<String, Reserve> reserves = new HashMap<>();

    public Optional<Driver> driverByCard(String c) { return Optional.ofNullable(drivers.get(c)); }
    public CardState cardState(String c) { return cards.getOrDefault(c, CardState.FRESH); }
    public Optional<Vehicle> vehicle(String id) { return Optional.ofNullable(vehicles.get(id)); }
    public Optional<Carrier> carrier(String id) { return Optional.ofNullable(carriers.get(id)); }
    public Optional<Customer> customer(String id) { return Optional.ofNullable(customers.get(id)); }
    public Optional<Product> product(String code) { return Optional.ofNullable(products.get(code)); }
    public boolean customerMayLift(String c, String p) { return rights.contains(c + "/" + p); }
    public Optional<Reserve> reserveFor(String c, String p, LocalDate d) {
      return Optional.ofNullable(reserves.get(c + "/" + p));
    }
  }

  Facts facts() {
    Facts f = new Facts();
    f.drivers.put("C1", new Driver("D1", "Dana", "C1", true, PIN, Set.of("K1"), Map.of("HAZMAT", TODAY)));
    f.carriers.put("K1", new Carrier("K1", "Acme", true, TODAY));
    f.vehicles.put("V1", new Vehicle("V1", "K1", true, TODAY,
        List.of(new Compartment(1, 3_000), new Compartment(2, 2_000))));
    f.customers.put("CU", new Customer("CU", "Customer", true));
    f.products.put("ULSD", new Product("ULSD", "Diesel", CommodityGroup.FUEL_OILS));
    f.rights.add("CU/ULSD");
    f.reserves.put("CU/ULSD", new Reserve("AL", 10_000, 0, 0));
    return f;
  }

  static AuthorizationRequest req(String card, String pin, CompartmentRequest... c) {
    return new AuthorizationRequest(card, pin, "V1", null, List.of(c));
  }

  static CompartmentRequest c(int n, Long gallons) {
    return new CompartmentRequest(n, "CU", "ULSD", gallons);
  }

  final Authorizer authorizer = new Authorizer(3);

  @Test
  void approves_on_the_last_valid_day_and_says_what_each_compartment_may_take() {
    var d = authorizer.decide(req("C1", "1234", c(1, null), c(2, 1_500L)), facts(), TODAY);
    assertThat(d.approved()).isTrue();
    assertThat(d.compartments()).extracting(x -> x.maxGallons()).containsExactly(3_000L, 2_000L);
    assertThat(d.compartments().get(0).allocationId()).isEqualTo("AL");
    assertThat(d.carrierId()).isEqualTo("K1");
  }

  @Test
  void every_expiry_is_checked_the_day_after() {
    var d = authorizer.decide(req("C1", "1234", c(1, null)), facts(), TODAY.plusDays(1));
    assertThat(d.approved()).isFalse();
    assertThat(d.denyCodes()).containsExactly(
        DenyCode.DRIVER_CERTIFICATION_EXPIRED, DenyCode.VEHICLE_INSPECTION_EXPIRED,
        DenyCode.CARRIER_INSURANCE_EXPIRED);
  }

  @Test
  void inactive_things_are_denied() {
    Facts f = facts();
    f.carriers.put("K1", new Carrier("K1", "Acme", false, TODAY));
    f.vehicles.put("V1", new Vehicle("V1", "K1", false, TODAY, List.of(new Compartment(1, 3_000))));
    f.customers.put("CU", new Customer("CU", "Customer", false));
    f.products.put("ULSD", new Product("ULSD", "Diesel", CommodityGroup.FUEL_OILS, false));
    var d = authorizer.decide(req("C1", "1234", c(1, null)), f, TODAY);
    assertThat(d.allDenyCodes()).containsExactly(
        DenyCode.VEHICLE_INACTIVE, DenyCode.CARRIER_INACTIVE, DenyCode.CUSTOMER_INACTIVE, DenyCode.PRODUCT_INACTIVE);
  }

  @Test
  void a_vehicle_of_a_carrier_the_driver_does_not_drive_for_is_denied() {
    Facts f = facts();
    f.carriers.put("K2", new Carrier("K2", "Other", true, TODAY));
    f.vehicles.put("V1", new Vehicle("V1", "K2", true, TODAY, List.of(new Compartment(1, 3_000))));
    assertThat(authorizer.decide(req("C1", "1234", c(1, null)), f, TODAY).denyCodes())
        .containsExactly(DenyCode.DRIVER_NOT_ALLOWED_FOR_CARRIER);
  }

  @Test
  void a_wrong_pin_that_reaches_the_limit_reports_the_lock() {
    Facts f = facts();
    f.cards.put("C1", new CardState(2, false));
    var d = authorizer.decide(req("C1", "9999", c(1, null)), f, TODAY);
    assertThat(d.pinOutcome()).isEqualTo(PinOutcome.MISMATCHED);
    assertThat(d.denyCodes()).containsExactly(DenyCode.PIN_INVALID, DenyCode.CARD_LOCKED);
    assertThat(d.compartments()).isEmpty();
  }

  @Test
  void a_named_carrier_must_own_the_vehicle() {
    Facts f = facts();
    f.carriers.put("K2", new Carrier("K2", "Other", true, TODAY));
    var d = authorizer.decide(new AuthorizationRequest("C1", "1234", "V1", "K2", List.of(c(1, null))), f, TODAY);
    assertThat(d.denyCodes()).containsExactly(DenyCode.VEHICLE_NOT_OF_CARRIER, DenyCode.DRIVER_NOT_ALLOWED_FOR_CARRIER);
    assertThat(d.carrierId()).isEqualTo("K2");
  }

  @Test
  void an_empty_reserve_and_a_missing_allocation_are_denied_per_compartment() {
    Facts f = facts();
    f.reserves.put("CU/ULSD", new Reserve("AL", 1_000, 1_000, 0));
    var d = authorizer.decide(req("C1", "1234", c(1, null)), f, TODAY);
    assertThat(d.compartments().get(0).denyCodes()).containsExactly(DenyCode.RESERVE_INSUFFICIENT);
    assertThat(d.compartments().get(0).maxGallons()).isZero();
    f.reserves.clear();
    assertThat(authorizer.decide(req("C1", "1234", c(1, null)), f, TODAY).allDenyCodes())
        .containsExactly(DenyCode.NO_ALLOCATION);
  }

  @Test
  void a_reserve_shared_by_compartments_must_cover_their_sum() {
    Facts f = facts();
    f.reserves.put("CU/ULSD", new Reserve("AL", 4_000, 0, 0));
    var d = authorizer.decide(req("C1", "1234", c(1, 2_500L), c(2, 1_500L)), f, TODAY);
    assertThat(d.approved()).isTrue();
    var over = authorizer.decide(req("C1", "1234", c(1, 2_500L), c(2, 1_501L)), f, TODAY);
    assertThat(over.compartments()).allSatisfy(x -> assertThat(x.denyCodes()).contains(DenyCode.RESERVE_INSUFFICIENT));
  }

  @Test
  void malformed_requests_are_input_errors() {
    assertThatThrownBy(() -> authorizer.decide(req("C1", "1234"), facts(), TODAY)).isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> authorizer.decide(req("C1", "1234", c(1, null), c(1, null)), facts(), TODAY))
        .isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> authorizer.decide(req("C1", "1234", c(1, 0L)), facts(), TODAY))
        .isInstanceOf(DomainException.class);
  }
}
