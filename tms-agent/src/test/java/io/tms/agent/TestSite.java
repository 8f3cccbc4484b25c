package io.tms.agent;

import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.WriteContext;
import io.tms.domain.authorization.PinHash;
import io.tms.domain.masterdata.Allocation;
import io.tms.domain.masterdata.Arm;
import io.tms.domain.masterdata.Bay;
import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Compartment;
import io.tms.domain.masterdata.Customer;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Site;
import io.tms.domain.masterdata.Tank;
import io.tms.domain.masterdata.Vehicle;
import io.tms.domain.volume.CommodityGroup;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A small, exact site for agent tests: every deny code has a driver, vehicle or customer that
 * triggers it. "Today" is {@link #TODAY} (the fixed clock's date in the site's zone).
 */
public final class TestSite {
  public static final String CODE = "TEST1";
  public static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");
  public static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  // drivers: card → PIN
  public static final String GOOD_CARD = "C100";
  public static final String SECOND_CARD = "C101";
  public static final String EXPIRED_CERT_CARD = "C102";
  public static final String INACTIVE_CARD = "C103";
  public static final String PIN = "4321";

  // vehicles
  public static final String TRUCK = "T1";          // 3 compartments of 3,000 gal, carrier ACME
  public static final String TRUCK2 = "T2";         // same carrier
  public static final String INSPECTION_EXPIRED = "T3";
  public static final String OTHER_CARRIER_TRUCK = "T4"; // carrier UNINS (insurance expired)

  public static final String CUSTOMER = "CUST1";
  public static final String SMALL_RESERVE_CUSTOMER = "CUST2"; // 4,000 gal of ULSD left
  public static final String ULSD = "ULSD";
  public static final String RUL = "RUL";
  public static final String JET = "JETA";           // nobody may lift it

  private TestSite() {}

  public static Consumer<WriteContext> seed() {
    return ctx -> write(ctx, new MasterDataStore());
  }

  static PinHash pin(String card) {
    return PinHash.create(PIN, ("salt-" + card).getBytes(StandardCharsets.UTF_8), 1_000);
  }

  private static void write(WriteContext ctx, MasterDataStore s) {
    var h = ctx.handle();
    s.upsertSite(h, new Site(CODE, "Test Terminal", ZoneId.of("UTC")));
    io.tms.agent.security.SeedTerminals.write(h);
    s.upsertProduct(h, new Product(ULSD, "Ultra-low-sulfur diesel", CommodityGroup.FUEL_OILS));
    s.upsertProduct(h, new Product(RUL, "Regular unleaded 87", CommodityGroup.GASOLINES));
    s.upsertProduct(h, new Product(JET, "Jet A", CommodityGroup.JET_FUELS));
    s.upsertTank(h, new Tank("TK1", ULSD, 1_000_000, 850.0));
    s.upsertTank(h, new Tank("TK2", RUL, 1_000_000, 740.0));
    s.upsertTank(h, new Tank("TK3", JET, 500_000, 805.0));
    for (String tank : List.of("TK1", "TK2", "TK3")) {
      s.setBookInventory(h, tank, 500_000, NOW.toString());
    }
    s.upsertBay(h, new Bay("B1", "Bay 1", true, List.of(
        new Arm("B1A1", "B1", "M11", Map.of(ULSD, "TK1")),
        new Arm("B1A2", "B1", "M12", Map.of(RUL, "TK2")))));
    s.upsertBay(h, new Bay("B2", "Bay 2", true, List.of(
        new Arm("B2A1", "B2", "M21", Map.of(ULSD, "TK1", JET, "TK3")))));
    s.upsertCustomer(h, new Customer(CUSTOMER, "Gulf Coast Fuels", true));
    s.upsertCustomer(h, new Customer(SMALL_RESERVE_CUSTOMER, "Bayou Farm Supply", true));
    s.upsertCarrier(h, new Carrier("ACME", "Acme Transport", true, TODAY.plusYears(1)));
    s.upsertCarrier(h, new Carrier("UNINS", "Uninsured Hauling", true, TODAY.minusDays(1)));
    var certs = Map.of("HAZMAT", TODAY.plusMonths(6), "TWIC", TODAY);
    s.upsertDriver(h, new Driver("D1", "Dana Driver", GOOD_CARD, true, pin(GOOD_CARD), Set.of("ACME", "UNINS"), certs));
    s.upsertDriver(h, new Driver("D2", "Sam Second", SECOND_CARD, true, pin(SECOND_CARD), Set.of("ACME"), certs));
    s.upsertDriver(h, new Driver("D3", "Ed Expired", EXPIRED_CERT_CARD, true, pin(EXPIRED_CERT_CARD), Set.of("ACME"),
        Map.of("HAZMAT", TODAY.minusDays(1))));
    s.upsertDriver(h, new Driver("D4", "Ivy Inactive", INACTIVE_CARD, false, pin(INACTIVE_CARD), Set.of("ACME"), certs));
    List<Compartment> three = List.of(new Compartment(1, 3_000), new Compartment(2, 3_000), new Compartment(3, 3_000));
    s.upsertVehicle(h, new Vehicle(TRUCK, "ACME", true, TODAY.plusMonths(3), three));
    s.upsertVehicle(h, new Vehicle(TRUCK2, "ACME", true, TODAY.plusMonths(3), three));
    s.upsertVehicle(h, new Vehicle(INSPECTION_EXPIRED, "ACME", true, TODAY.minusDays(3), three));
    s.upsertVehicle(h, new Vehicle(OTHER_CARRIER_TRUCK, "UNINS", true, TODAY.plusMonths(3), three));
    s.grantLifting(h, CUSTOMER, ULSD);
    s.grantLifting(h, CUSTOMER, RUL);
    s.grantLifting(h, SMALL_RESERVE_CUSTOMER, ULSD);
    LocalDate first = TODAY.withDayOfMonth(1);
    LocalDate last = first.plusMonths(1).minusDays(1);
    s.upsertAllocation(h, new Allocation("AL1", CUSTOMER, ULSD, first, last, 1_000_000));
    s.upsertAllocation(h, new Allocation("AL2", CUSTOMER, RUL, first, last, 1_000_000));
    s.upsertAllocation(h, new Allocation("AL3", SMALL_RESERVE_CUSTOMER, ULSD, first, last, 100_000));
    s.grantReserve(h, "AL1", 200_000);
    s.grantReserve(h, "AL2", 200_000);
    s.grantReserve(h, "AL3", 4_000);
  }
}
