package io.tms.agent.seed;

import io.tms.agent.seed.SeedData.LiftingRight;
import io.tms.agent.seed.SeedRoster.DeniedLifting;
import io.tms.agent.seed.SeedRoster.Lifting;
import io.tms.domain.authorization.DenyCode;
import io.tms.domain.authorization.PinHash;
import io.tms.domain.masterdata.Allocation;
import io.tms.domain.masterdata.Arm;
import io.tms.domain.masterdata.Bay;
import io.tms.domain.masterdata.Compartment;
import io.tms.domain.masterdata.Customer;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Site;
import io.tms.domain.masterdata.Tank;
import io.tms.domain.volume.CommodityGroup;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Generates one site's seed. Every section draws from its own {@link Random}, seeded from the site
 * code, the profile and the section name, so sections do not disturb each other; dates are offsets
 * from {@code today}. Only {@code Random.nextInt(bound)}, {@code nextDouble()} and
 * {@code Collections.shuffle} are used: their algorithms are specified, so any JVM gets the same data.
 */
final class SeedGenerator {
  private static final ZoneId ZONE = ZoneId.of("America/Chicago");
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

  /** A product of the catalog: code, name, commodity group, typical base density (kg/m³ at 60 °F). */
  record ProductSpec(String code, String name, CommodityGroup group, double densityKgM3, boolean bulk) {
    Product product() {
      return new Product(code, name, group);
    }
  }

  static final List<ProductSpec> CATALOG = List.of(
      new ProductSpec("RUL", "Regular Unleaded 87 E10", CommodityGroup.GASOLINES, 744.0, true),
      new ProductSpec("PUL", "Premium Unleaded 93 E10", CommodityGroup.GASOLINES, 752.0, true),
      new ProductSpec("ULSD", "No. 2 Ultra-Low-Sulfur Diesel, clear", CommodityGroup.FUEL_OILS, 850.0, true),
      new ProductSpec("ULSD-DY", "No. 2 Ultra-Low-Sulfur Diesel, dyed (off-road)", CommodityGroup.FUEL_OILS, 851.0, false),
      new ProductSpec("JET-A", "Jet A aviation turbine fuel", CommodityGroup.JET_FUELS, 805.0, false),
      new ProductSpec("KERO", "No. 1-K Kerosene", CommodityGroup.JET_FUELS, 810.0, false));

  /** Which products get the tanks beyond one per product: the big sellers first. */
  private static final List<String> EXTRA_TANKS =
      List.of("RUL", "ULSD", "PUL", "RUL", "ULSD", "ULSD-DY", "JET-A", "RUL", "ULSD", "KERO");

  /** Standard shell sizes in barrels (42 US gal): 420,000 to 3,990,000 gal. */
  private static final int[] SHELL_BBL = {10_000, 15_000, 20_000, 30_000, 40_000, 55_000, 67_000, 80_000, 95_000};

  /** Arm families: the products one arm carries (gasoline grades share a blend header, diesel is dyed at the arm). */
  private static final List<List<String>> SMALL_RACK = List.of(
      List.of("RUL", "PUL"), List.of("ULSD", "ULSD-DY"), List.of("JET-A", "KERO"));
  private static final List<List<String>> BIG_RACK = List.of(
      List.of("RUL", "PUL"), List.of("ULSD", "ULSD-DY"), List.of("JET-A", "KERO"), List.of("RUL"), List.of("ULSD"));

  /** Trailer compartment layouts, 8,000–11,600 gal in all; the 4 × 2,900 is the common one. */
  private static final List<long[]> TRAILERS = List.of(
      new long[] {2900, 2900, 2900, 2900}, new long[] {2900, 2900, 2900, 2900}, new long[] {2900, 2900, 2900, 2900},
      new long[] {3000, 3000, 3000}, new long[] {3600, 2000, 1600, 2400}, new long[] {2200, 1800, 1500, 1800, 1700},
      new long[] {4600, 4000}, new long[] {8800}, new long[] {3500, 2500, 2500, 2500});

  private enum CustomerKind {
    DISTRIBUTOR(List.of("Petroleum", "Fuels", "Oil Company", "Energy Partners"),
        List.of("RUL", "PUL", "ULSD", "ULSD-DY", "KERO"), 300_000, 2_000_000),
    RETAIL(List.of("Food Marts", "Stop & Go", "Travel Centers", "Quick Stop"), List.of("RUL", "PUL", "ULSD"),
        150_000, 900_000),
    FARM(List.of("Farmers Co-op", "Ag Supply"), List.of("ULSD-DY", "ULSD", "RUL"), 40_000, 250_000),
    FLEET(List.of("Fleet Services", "Construction", "Logistics"), List.of("ULSD", "ULSD-DY"), 60_000, 400_000),
    AVIATION(List.of("Aviation", "Jet Center"), List.of("JET-A"), 100_000, 600_000);

    final List<String> suffixes;
    final List<String> products;
    final int minMonthly;
    final int maxMonthly;

    CustomerKind(List<String> suffixes, List<String> products, int minMonthly, int maxMonthly) {
      this.suffixes = suffixes;
      this.products = products;
      this.minMonthly = minMonthly;
      this.maxMonthly = maxMonthly;
    }
  }

  private static final CustomerKind[] KIND_MIX = {
      CustomerKind.RETAIL, CustomerKind.RETAIL, CustomerKind.RETAIL, CustomerKind.DISTRIBUTOR,
      CustomerKind.DISTRIBUTOR, CustomerKind.FLEET, CustomerKind.FLEET, CustomerKind.FARM,
      CustomerKind.FARM, CustomerKind.AVIATION};

  private final String siteCode;
  private final SeedProfile profile;
  private final LocalDate today;

  SeedGenerator(String siteCode, SeedProfile profile, LocalDate today) {
    this.siteCode = siteCode;
    this.profile = profile;
    this.today = today;
  }

  SeedData generate() {
    Site site = new Site(siteCode, pick(random("site"), SeedNames.CITIES) + " Terminal", ZONE);
    List<Product> products = CATALOG.stream().map(ProductSpec::product).toList();
    List<Tank> tanks = tanks();
    List<Bay> bays = bays(tanks);
    Sales sales = sales();
    People people = new PeopleGenerator(siteCode, profile, today, this::random).generate();
    SeedRoster roster = RosterBuilder.build(siteCode, profile, today, products, bays, people, sales.liftings, sales.denied);
    return new SeedData(site, profile, today, products, tanks, bays, sales.customers, people.carriers(),
        people.drivers(), people.vehicles(), sales.rights, sales.allocations, sales.reserves,
        openingInventory(tanks), roster);
  }

  private List<Tank> tanks() {
    Random r = random("tanks");
    List<Tank> tanks = new ArrayList<>();
    for (int i = 0; i < profile.tanks(); i++) {
      String code = i < CATALOG.size() ? CATALOG.get(i).code() : EXTRA_TANKS.get((i - CATALOG.size()) % EXTRA_TANKS.size());
      ProductSpec spec = spec(code);
      int shell = spec.bulk() ? SHELL_BBL[3 + r.nextInt(6)] : SHELL_BBL[r.nextInt(5)];
      double density = Math.round((spec.densityKgM3() - 2.5 + 5.0 * r.nextDouble()) * 10.0) / 10.0;
      tanks.add(new Tank("TK-" + (101 + i), code, shell * 42.0, density));
    }
    return tanks;
  }

  private Map<String, Double> openingInventory(List<Tank> tanks) {
    Random r = random("inventory");
    Map<String, Double> opening = new LinkedHashMap<>();
    for (Tank t : tanks) {
      opening.put(t.id(), (double) Math.round(t.capacityGallons() * (0.40 + 0.40 * r.nextDouble())));
    }
    return opening;
  }

  /**
   * Arms take their families in turn across the whole rack, so bay b's arms start where bay b-1's
   * stopped: with two arms per bay and three families each family still reaches half the bays;
   * bigger racks add dedicated gasoline and diesel arms, so bays differ.
   */
  private List<Bay> bays(List<Tank> tanks) {
    List<List<String>> families = profile.armsPerBay() <= 2 ? SMALL_RACK : BIG_RACK;
    Map<String, List<String>> tanksByProduct = new LinkedHashMap<>();
    tanks.forEach(t -> tanksByProduct.computeIfAbsent(t.productCode(), k -> new ArrayList<>()).add(t.id()));
    Map<String, Integer> nextTank = new HashMap<>();
    List<Bay> bays = new ArrayList<>();
    for (int b = 1; b <= profile.bays(); b++) {
      String bayId = String.format("B%02d", b);
      List<Arm> arms = new ArrayList<>();
      for (int a = 1; a <= profile.armsPerBay(); a++) {
        List<String> family = families.get(((b - 1) * profile.armsPerBay() + a - 1) % families.size());
        Map<String, String> tankByProduct = new LinkedHashMap<>();
        for (String product : family) {
          List<String> candidates = tanksByProduct.get(product);
          int n = nextTank.merge(product, 1, Integer::sum) - 1;
          tankByProduct.put(product, candidates.get(n % candidates.size()));
        }
        arms.add(new Arm(bayId + "-A" + a, bayId, String.format("M%02d%d", b, a), tankByProduct));
      }
      bays.add(new Bay(bayId, "Bay " + b, true, arms));
    }
    return bays;
  }

  /** Customers, their lifting rights, this month's allocations and this site's reserves. */
  private record Sales(
      List<Customer> customers, List<LiftingRight> rights, List<Allocation> allocations, Map<String, Long> reserves,
      List<Lifting> liftings, List<DeniedLifting> denied) {}

  private Sales sales() {
    Random r = random("customers");
    int n = profile.customers();
    Set<String> names = new HashSet<>();
    List<Customer> customers = new ArrayList<>();
    List<CustomerKind> kinds = new ArrayList<>();
    int inactive = 1 + r.nextInt(n - 1);
    for (int i = 0; i < n; i++) {
      CustomerKind kind = i == 0 ? CustomerKind.DISTRIBUTOR : KIND_MIX[r.nextInt(KIND_MIX.length)];
      String name = unique(names, () -> pick(r, SeedNames.PLACES) + " " + pick(r, kind.suffixes));
      customers.add(new Customer(String.format("CU%04d", i + 1), name, i != inactive));
      kinds.add(kind);
    }
    // The first customer, a distributor, may lift everything: every product has some traffic.
    List<LiftingRight> rights = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> products = i == 0 ? CATALOG.stream().map(ProductSpec::code).toList() : kinds.get(i).products;
      for (int p = 0; p < products.size(); p++) {
        if (i == 0 || p == 0 || r.nextDouble() >= 0.12) {
          rights.add(new LiftingRight(customers.get(i).id(), products.get(p)));
        }
      }
    }
    // A few active customers' rights have no allocation this month (NO_ALLOCATION) ...
    List<Integer> order = shuffled(r, rights.size());
    Set<LiftingRight> withoutAllocation = new HashSet<>();
    for (int k = 0; k < order.size() && withoutAllocation.size() < 2; k++) {
      LiftingRight right = rights.get(order.get(k));
      if (!right.customerId().equals(customers.get(0).id()) && !right.customerId().equals(customers.get(inactive).id())) {
        withoutAllocation.add(right);
      }
    }
    LocalDate start = today.withDayOfMonth(1);
    LocalDate end = today.withDayOfMonth(today.lengthOfMonth());
    List<Allocation> allocations = new ArrayList<>();
    Map<String, Long> reserves = new LinkedHashMap<>();
    for (LiftingRight right : rights) {
      if (withoutAllocation.contains(right)) {
        continue;
      }
      CustomerKind kind = kinds.get(Integer.parseInt(right.customerId().substring(2)) - 1);
      long monthly = 1_000L * ((kind.minMonthly + r.nextInt(kind.maxMonthly - kind.minMonthly)) / 1_000);
      String id = "AL-" + right.customerId() + "-" + right.productCode() + "-" + start.format(MONTH);
      allocations.add(new Allocation(id, right.customerId(), right.productCode(), start, end, monthly));
      reserves.put(id, 100L * Math.round(monthly * (0.25 + 0.35 * r.nextDouble()) / 100.0));
    }
    // ... and a few reserves are nearly spent: less than one compartment left (RESERVE_INSUFFICIENT).
    int tiny = Math.max(2, allocations.size() / 25);
    for (int k : shuffled(r, allocations.size())) {
      Allocation a = allocations.get(k);
      if (tiny > 0 && !a.customerId().equals(customers.get(0).id())) {
        reserves.put(a.id(), 200L + 10L * r.nextInt(170));
        tiny--;
      }
    }
    List<Lifting> liftings = new ArrayList<>();
    for (Allocation a : allocations) {
      Customer c = customers.get(Integer.parseInt(a.customerId().substring(2)) - 1);
      if (c.active()) {
        liftings.add(new Lifting(c.id(), c.name(), a.productCode(), a.id(), reserves.get(a.id())));
      }
    }
    return new Sales(customers, rights, allocations, reserves, liftings,
        denied(customers, rights, withoutAllocation));
  }

  private static List<DeniedLifting> denied(
      List<Customer> customers, List<LiftingRight> rights, Set<LiftingRight> withoutAllocation) {
    Set<LiftingRight> granted = new HashSet<>(rights);
    List<DeniedLifting> denied = new ArrayList<>();
    for (Customer c : customers) {
      for (ProductSpec p : CATALOG) {
        LiftingRight pair = new LiftingRight(c.id(), p.code());
        if (!c.active()) {
          denied.add(new DeniedLifting(c.id(), p.code(), DenyCode.CUSTOMER_INACTIVE));
        } else if (!granted.contains(pair)) {
          denied.add(new DeniedLifting(
              c.id(), p.code(), DenyCode.CUSTOMER_NOT_AUTHORIZED_FOR_PRODUCT));
        } else if (withoutAllocation.contains(pair)) {
          denied.add(new DeniedLifting(c.id(), p.code(), DenyCode.NO_ALLOCATION));
        }
      }
    }
    return denied;
  }

  // ---------------------------------------------------------------- helpers shared with PeopleGenerator

  Random random(String section) {
    return new Random(seed("tms-seed", siteCode, profile.name(), section));
  }

  static long seed(String... parts) {
    return ByteBuffer.wrap(sha256(String.join("|", parts))).getLong();
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** A deterministic per-driver salt: different for every driver and site, stable across runs. */
  static byte[] pinSalt(String siteCode, String driverId) {
    return Arrays.copyOf(sha256("tms-seed-pin|" + siteCode + "|" + driverId), 16);
  }

  static PinHash pinHash(String siteCode, String driverId, String pin) {
    return PinHash.create(pin, pinSalt(siteCode, driverId), DemoSeed.PIN_ITERATIONS);
  }

  static <T> T pick(Random r, List<T> items) {
    return items.get(r.nextInt(items.size()));
  }

  static long[] pickTrailer(Random r) {
    return TRAILERS.get(r.nextInt(TRAILERS.size()));
  }

  static List<Compartment> compartments(long[] capacities) {
    return IntStream.range(0, capacities.length).mapToObj(i -> new Compartment(i + 1, capacities[i])).toList();
  }

  static List<Integer> shuffled(Random r, int n) {
    List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    Collections.shuffle(order, r);
    return order;
  }

  /** Draws until the name is new; numbers it after many tries so a huge profile still terminates. */
  static String unique(Set<String> taken, Supplier<String> draw) {
    for (int attempt = 0; attempt < 200; attempt++) {
      String name = draw.get();
      if (taken.add(name)) {
        return name;
      }
    }
    String base = draw.get();
    for (int k = 2; ; k++) {
      if (taken.add(base + " " + k)) {
        return base + " " + k;
      }
    }
  }

  static ProductSpec spec(String code) {
    return CATALOG.stream().filter(p -> p.code().equals(code)).findFirst().orElseThrow();
  }
}
