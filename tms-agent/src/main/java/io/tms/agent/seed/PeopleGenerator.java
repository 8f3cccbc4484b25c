package io.tms.agent.seed;

import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Vehicle;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Carriers, drivers and vehicles, with the bad cases the gate should catch: one inactive carrier,
 * one with expired insurance, drivers with an expired certification or an inactive card, vehicles
 * with an expired inspection and one taken out of service. A carrier's first vehicle is never
 * made bad, so every good carrier has a truck that passes.
 */
final class PeopleGenerator {
  static final List<String> CERTIFICATIONS = List.of("HAZMAT", "TWIC", "SITE_SAFETY");

  private final String siteCode;
  private final SeedProfile profile;
  private final LocalDate today;
  private final Function<String, Random> random;

  PeopleGenerator(String siteCode, SeedProfile profile, LocalDate today, Function<String, Random> random) {
    this.siteCode = siteCode;
    this.profile = profile;
    this.today = today;
    this.random = random;
  }

  People generate() {
    List<Carrier> carriers = carriers();
    Map<String, String> pins = new LinkedHashMap<>();
    List<Driver> drivers = drivers(carriers, pins);
    return new People(carriers, drivers, pins, vehicles(carriers));
  }

  private List<Carrier> carriers() {
    Random r = random.apply("carriers");
    int n = profile.carriers();
    List<Integer> bad = SeedGenerator.shuffled(r, n - 1);
    int inactive = 1 + bad.get(0);
    int uninsured = 1 + bad.get(1);
    Set<String> names = new HashSet<>();
    List<Carrier> carriers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = SeedGenerator.unique(names,
          () -> SeedGenerator.pick(r, SeedNames.PLACES) + " " + SeedGenerator.pick(r, SeedNames.CARRIER_SUFFIXES));
      LocalDate insurance = i == uninsured ? today.minusDays(1 + r.nextInt(45)) : today.plusDays(20 + r.nextInt(380));
      carriers.add(new Carrier(String.format("CR%03d", i + 1), name, i != inactive, insurance));
    }
    return carriers;
  }

  private List<Driver> drivers(List<Carrier> carriers, Map<String, String> pins) {
    Random r = random.apply("drivers");
    int n = profile.drivers();
    List<Integer> order = SeedGenerator.shuffled(r, n);
    Set<Integer> expiredCert = new HashSet<>(order.subList(0, expiredCertifications(n)));
    Set<Integer> inactiveCard =
        new HashSet<>(order.subList(expiredCertifications(n), expiredCertifications(n) + inactiveCards(n)));
    Set<String> names = new HashSet<>();
    List<Driver> drivers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("DR%05d", i + 1);
      String name = SeedGenerator.unique(names,
          () -> SeedGenerator.pick(r, SeedNames.FIRST_NAMES) + " " + SeedGenerator.pick(r, SeedNames.LAST_NAMES));
      String pin = String.format("%04d", r.nextInt(10_000));
      Set<String> carrierIds = new LinkedHashSet<>();
      carrierIds.add(carriers.get(i % carriers.size()).id());
      if (r.nextDouble() < 0.15) {
        carrierIds.add(carriers.get(r.nextInt(carriers.size())).id());
      }
      Map<String, LocalDate> certs = new LinkedHashMap<>();
      certs.put("HAZMAT", today.plusDays(30 + r.nextInt(1400)));
      certs.put("TWIC", today.plusDays(30 + r.nextInt(1800)));
      certs.put("SITE_SAFETY", today.plusDays(10 + r.nextInt(355)));
      if (expiredCert.contains(i)) {
        certs.put(SeedGenerator.pick(r, CERTIFICATIONS), today.minusDays(1 + r.nextInt(60)));
      }
      pins.put(id, pin);
      drivers.add(new Driver(id, name, cardNumber(i + 1), !inactiveCard.contains(i),
          SeedGenerator.pinHash(siteCode, id, pin), carrierIds, certs));
    }
    return drivers;
  }

  private List<Vehicle> vehicles(List<Carrier> carriers) {
    Random r = random.apply("vehicles");
    int n = profile.vehicles();
    int c = carriers.size();
    // Indices below c are each carrier's first vehicle and stay good.
    List<Integer> order = SeedGenerator.shuffled(r, n - c);
    Set<Integer> expired = new HashSet<>();
    order.subList(0, expiredInspections(n)).forEach(k -> expired.add(c + k));
    int outOfService = c + order.get(expiredInspections(n));
    List<Vehicle> vehicles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LocalDate inspection = expired.contains(i) ? today.minusDays(1 + r.nextInt(90)) : today.plusDays(15 + r.nextInt(350));
      vehicles.add(new Vehicle(String.format("TT%04d", i + 1), carriers.get(i % c).id(), i != outOfService, inspection,
          SeedGenerator.compartments(SeedGenerator.pickTrailer(r))));
    }
    return vehicles;
  }

  static int expiredCertifications(int drivers) {
    return Math.max(2, drivers / 25);
  }

  static int inactiveCards(int drivers) {
    return Math.max(2, drivers / 40);
  }

  static int expiredInspections(int vehicles) {
    return Math.max(2, vehicles / 30);
  }

  /**
   * Card numbers follow the driver's number, not the random draw, so re-seeding with another
   * profile never gives one driver's card to another (the card column is unique). The last digit
   * is a Luhn check digit, as on real fleet cards.
   */
  static String cardNumber(int driverNumber) {
    String body = String.format("8801%06d", driverNumber);
    int sum = 0;
    for (int i = 0; i < body.length(); i++) {
      int d = body.charAt(body.length() - 1 - i) - '0';
      if (i % 2 == 0) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return body + (10 - sum % 10) % 10;
  }
}
