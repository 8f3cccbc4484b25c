package io.tms.agent.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.agent.seed.SeedRoster.DeniedLifting;
import io.tms.agent.seed.SeedRoster.DriverEntry;
import io.tms.agent.seed.SeedRoster.Lifting;
import io.tms.agent.seed.SeedRoster.VehicleEntry;
import io.tms.domain.authorization.AuthorizationDecision;
import io.tms.domain.authorization.AuthorizationRequest;
import io.tms.domain.authorization.AuthorizationRequest.CompartmentRequest;
import io.tms.domain.authorization.Authorizer;
import io.tms.domain.authorization.DenyCode;
import io.tms.domain.masterdata.Allocation;
import io.tms.domain.masterdata.Arm;
import io.tms.domain.masterdata.Bay;
import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Compartment;
import io.tms.domain.masterdata.Customer;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Tank;
import io.tms.domain.masterdata.Vehicle;
import io.tms.domain.volume.CommodityGroup;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DemoSeedTest {
  private static final LocalDate TODAY = LocalDate.of(2025, 11, 25);
  private static final Authorizer AUTHORIZER = new Authorizer(3);

  @Test
  void equalInputsGiveEqualData() {
    SeedData first = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY);
    SeedData second = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY);

    assertThat(second).isEqualTo(first);
    assertThat(DemoSeed.roster("DEMO1", SeedProfile.DEMO, TODAY)).isEqualTo(first.roster());
  }

  @Test
  void anotherSiteGetsOtherPeopleAndPins() {
    SeedRoster demo1 = DemoSeed.roster("DEMO1", SeedProfile.DEMO, TODAY);
    SeedRoster demo2 = DemoSeed.roster("DEMO2", SeedProfile.DEMO, TODAY);

    assertThat(demo2.drivers().stream().map(DriverEntry::pin).toList())
        .isNotEqualTo(demo1.drivers().stream().map(DriverEntry::pin).toList());
    assertThat(demo2.drivers().stream().map(DriverEntry::name).toList())
        .isNotEqualTo(demo1.drivers().stream().map(DriverEntry::name).toList());
  }

  @Test
  void anotherDayKeepsCardsAndPinsAndMovesTheDates() {
    SeedData today = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY);
    SeedData tomorrow = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY.plusDays(1));

    assertThat(tomorrow.roster().drivers().stream().map(d -> d.cardNumber() + d.pin()).toList())
        .isEqualTo(today.roster().drivers().stream().map(d -> d.cardNumber() + d.pin()).toList());
    assertThat(tomorrow.carriers().get(0).insuranceExpires())
        .isEqualTo(today.carriers().get(0).insuranceExpires().plusDays(1));
  }

  @ParameterizedTest
  @EnumSource(SeedProfile.class)
  void sizesFollowTheProfile(SeedProfile profile) {
    SeedData data = DemoSeed.generate("SIZE1", profile, TODAY);

    assertThat(data.bays()).hasSize(profile.bays());
    assertThat(data.arms()).isEqualTo(profile.arms());
    assertThat(data.tanks()).hasSize(profile.tanks());
    assertThat(data.products()).hasSizeGreaterThanOrEqualTo(4);
    assertThat(data.carriers()).hasSize(profile.carriers());
    assertThat(data.drivers()).hasSize(profile.drivers());
    assertThat(data.vehicles()).hasSize(profile.vehicles());
    assertThat(data.customers()).hasSize(profile.customers());
    assertThat(data.roster().drivers()).hasSize(profile.drivers());
    assertThat(data.drivers().stream().map(Driver::cardNumber).distinct()).hasSize(profile.drivers());
  }

  @Test
  void largeSiteHasHundredsOfDriversAndVehicles() {
    SeedData data = DemoSeed.generate("HOU1", SeedProfile.LARGE, TODAY);

    assertThat(data.bays()).hasSize(16);
    assertThat(data.arms()).isEqualTo(64);
    assertThat(data.tanks()).hasSize(40);
    assertThat(data.drivers()).hasSize(200);
    assertThat(data.vehicles()).hasSize(200);
    assertThat(data.carriers()).hasSize(40);
    assertThat(data.customers()).hasSize(60);
  }

  @ParameterizedTest
  @EnumSource(SeedProfile.class)
  void theTankFarmAndRackAreRealistic(SeedProfile profile) {
    SeedData data = DemoSeed.generate("RACK1", profile, TODAY);
    Map<String, Tank> tanks = data.tanks().stream().collect(Collectors.toMap(Tank::id, t -> t));

    for (Tank t : data.tanks()) {
      assertThat(t.capacityGallons()).isBetween(400_000.0, 4_000_000.0);
      assertThat(data.openingNetGallons().get(t.id()) / t.capacityGallons()).isBetween(0.40, 0.80);
    }
    for (Bay bay : data.bays()) {
      for (Arm arm : bay.arms()) {
        assertThat(arm.tankByProduct()).hasSizeBetween(1, 2);
        arm.tankByProduct().forEach((product, tank) -> assertThat(tanks.get(tank).productCode()).isEqualTo(product));
      }
    }
    for (Product p : data.products()) {
      assertThat(data.roster().baysFor(p.code())).as("bays loading %s", p.code()).hasSizeGreaterThanOrEqualTo(2);
    }
    for (Vehicle v : data.vehicles()) {
      long total = v.compartments().stream().mapToLong(Compartment::capacityGallons).sum();
      assertThat(v.compartments()).hasSizeBetween(1, 5);
      assertThat(total).isBetween(8_000L, 11_600L);
    }
  }

  @Test
  void productsCarryTheirCommodityGroups() {
    Map<String, CommodityGroup> groups = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY).products().stream()
        .collect(Collectors.toMap(Product::code, Product::commodityGroup));

    assertThat(groups).containsEntry("ULSD", CommodityGroup.FUEL_OILS)
        .containsEntry("RUL", CommodityGroup.GASOLINES)
        .containsEntry("PUL", CommodityGroup.GASOLINES)
        .containsEntry("JET-A", CommodityGroup.JET_FUELS);
  }

  @Test
  void allocationsCoverTodayAndReservesFitThem() {
    SeedData data = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY);

    assertThat(data.allocations()).isNotEmpty().allSatisfy(a -> {
      assertThat(a.covers(TODAY)).isTrue();
      assertThat(data.reserveGallons().get(a.id())).isBetween(1L, a.quantityGallons());
    });
    assertThat(data.reserveGallons().keySet())
        .containsExactlyInAnyOrderElementsOf(data.allocations().stream().map(Allocation::id).toList());
  }

  @Test
  void theDemoHasTheBadCasesTheGateMustCatch() {
    SeedData data = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY);

    assertThat(data.drivers().stream().filter(d -> d.expiredCertification(TODAY).isPresent())).hasSizeGreaterThanOrEqualTo(2);
    assertThat(data.drivers().stream().filter(d -> !d.cardActive())).hasSizeGreaterThanOrEqualTo(2);
    assertThat(data.carriers().stream().filter(c -> !c.active())).hasSize(1);
    assertThat(data.carriers().stream().filter(c -> !c.insuredOn(TODAY))).hasSize(1);
    assertThat(data.vehicles().stream().filter(v -> TODAY.isAfter(v.inspectionExpires()))).hasSizeGreaterThanOrEqualTo(2);
    assertThat(data.vehicles().stream().filter(v -> !v.active())).hasSize(1);
    assertThat(data.customers().stream().filter(c -> !c.active())).hasSize(1);
    assertThat(data.roster().deniedLiftings().stream().map(DeniedLifting::expected))
        .contains(DenyCode.CUSTOMER_NOT_AUTHORIZED_FOR_PRODUCT, DenyCode.NO_ALLOCATION, DenyCode.CUSTOMER_INACTIVE);
    assertThat(data.reserveGallons().values().stream().filter(r -> r < 2_000)).hasSizeGreaterThanOrEqualTo(2);
    assertThat(data.roster().approvedDrivers().size()).isGreaterThan(data.drivers().size() * 3 / 4);
  }

  @ParameterizedTest
  @EnumSource(value = SeedProfile.class, names = {"DEMO", "SMALL", "LARGE"})
  void theAuthorizerAgreesWithTheRoster(SeedProfile profile) {
    SeedData data = DemoSeed.generate("AUTH1", profile, TODAY);
    SeedDataFacts facts = new SeedDataFacts(data);
    SeedRoster roster = data.roster();

    for (DriverEntry driver : roster.drivers()) {
      if (driver.expectedApproved()) {
        VehicleEntry vehicle = driver.vehicleIds().stream().map(id -> roster.vehicle(id).orElseThrow())
            .filter(VehicleEntry::usable).findFirst().orElseThrow();
        long wanted = vehicle.compartments().get(0).capacityGallons();
        Lifting lifting = roster.liftings().stream()
            .filter(l -> l.reserveGallons() >= wanted && !roster.baysFor(l.productCode()).isEmpty())
            .findFirst().orElseThrow();
        AuthorizationDecision decision = decide(facts, driver, vehicle.id(), lifting.customerId(), lifting.productCode(), wanted);
        assertThat(decision.approved()).as("%s with %s: %s", driver, vehicle.id(), decision).isTrue();
      } else {
        for (String vehicleId : driver.vehicleIds()) {
          AuthorizationDecision decision = decide(facts, driver, vehicleId, "CU0001", "ULSD", 100);
          assertThat(decision.approved()).as("%s with %s", driver, vehicleId).isFalse();
          assertThat(decision.denyCodes()).containsAll(driver.denials());
          if (driver.denials().isEmpty()) {
            assertThat(decision.denyCodes()).containsAll(roster.vehicle(vehicleId).orElseThrow().denials());
          }
        }
      }
    }
  }

  @Test
  void deniedLiftingsAndTinyReservesAreRefused() {
    SeedData data = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY);
    SeedDataFacts facts = new SeedDataFacts(data);
    SeedRoster roster = data.roster();
    DriverEntry driver = roster.approvedDrivers().get(0);
    String vehicle = driver.vehicleIds().stream()
        .filter(id -> roster.vehicle(id).orElseThrow().usable()).findFirst().orElseThrow();

    for (DeniedLifting denied : roster.deniedLiftings()) {
      AuthorizationDecision decision = decide(facts, driver, vehicle, denied.customerId(), denied.productCode(), 100);
      assertThat(decision.approved()).isFalse();
      assertThat(decision.compartments().get(0).denyCodes()).contains(denied.expected());
    }
    List<Lifting> tiny = roster.liftings().stream().filter(l -> l.reserveGallons() < 2_000).toList();
    assertThat(tiny).isNotEmpty();
    for (Lifting lifting : tiny) {
      AuthorizationDecision decision = decide(facts, driver, vehicle, lifting.customerId(), lifting.productCode(), 2_000);
      assertThat(decision.compartments().get(0).denyCodes()).containsExactly(DenyCode.RESERVE_INSUFFICIENT);
    }
  }

  @Test
  void everyoneAtTheGateIsKnown() {
    SeedData data = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY);
    Set<String> carriers = data.carriers().stream().map(Carrier::id).collect(Collectors.toSet());
    Set<String> customers = data.customers().stream().map(Customer::id).collect(Collectors.toSet());

    assertThat(data.drivers()).allSatisfy(d -> {
      assertThat(carriers).containsAll(d.carrierIds());
      assertThat(d.certifications()).containsOnlyKeys("HAZMAT", "TWIC", "SITE_SAFETY");
      assertThat(d.pinHash().matches(data.roster().drivers().stream()
          .filter(e -> e.id().equals(d.id())).findFirst().orElseThrow().pin())).isTrue();
    });
    assertThat(data.vehicles()).allSatisfy(v -> assertThat(carriers).contains(v.carrierId()));
    assertThat(data.liftingRights()).allSatisfy(r -> assertThat(customers).contains(r.customerId()));
    assertThat(data.site().name()).endsWith(" Terminal");
    assertThat(data.roster().drivers().get(0).toString()).doesNotContain(data.roster().drivers().get(0).pin());
  }

  @Test
  void refusesAnInvalidSiteCode() {
    assertThatThrownBy(() -> DemoSeed.generate("demo-1", SeedProfile.DEMO, TODAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("site code");
  }

  private static AuthorizationDecision decide(
      SeedDataFacts facts, DriverEntry driver, String vehicleId, String customerId, String productCode, long gallons) {
    AuthorizationRequest request = new AuthorizationRequest(driver.cardNumber(), driver.pin(), vehicleId, null,
        List.of(new CompartmentRequest(1, customerId, productCode, gallons)));
    return AUTHORIZER.decide(request, facts, TODAY);
  }
}
