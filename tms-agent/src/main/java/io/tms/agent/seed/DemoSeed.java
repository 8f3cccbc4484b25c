package io.tms.agent.seed;

import io.tms.agent.seed.SeedData.LiftingRight;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.WriteContext;
import io.tms.domain.masterdata.Site;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A built-in, realistic data set for a standalone site ({@code tms agent --seed demo}).
 *
 * <p>{@link #generate} is a pure function of the site code, the profile and {@code today}. The
 * random draws (names, PINs, capacities, which cases are bad) depend on the site code and profile
 * only, and dates are offsets from {@code today}: re-seeding the same site on another day keeps its
 * drivers, cards and PINs and just moves the expiry dates along, instead of handing every driver a
 * new PIN at midnight. Allocations cover the month of {@code today}.
 *
 * <p>{@link #write} upserts the master data and is safe on a site that has already run: it only
 * opens the book inventory of tanks that have none, and re-grants reserves without touching what was
 * consumed or held (never below it). Nothing is deleted, so re-seeding with a smaller profile leaves
 * the larger profile's extra entities in place.
 */
public final class DemoSeed {
  private static final Logger log = LoggerFactory.getLogger(DemoSeed.class);

  /**
   * PBKDF2 iterations for seeded PIN hashes: cheap, so that seeding and a simulator's checks stay
   * fast. In production the cloud chooses the iteration count and it travels inside each hash.
   */
  public static final int PIN_ITERATIONS = 1000;

  /** The time zone of every seeded site; use it to compute {@code today} for {@link #generate}. */
  public static final ZoneId ZONE = ZoneId.of("America/Chicago");

  private DemoSeed() {}

  /** Generates the data set; pure and deterministic. */
  public static SeedData generate(String siteCode, SeedProfile profile, LocalDate today) {
    if (!Site.isValidCode(siteCode)) {
      throw new IllegalArgumentException(
          "site code must be 2-10 upper-case letters or digits starting with a letter (was " + siteCode + ")");
    }
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(today, "today");
    return new SeedGenerator(siteCode, profile, today).generate();
  }

  /** What a terminal simulator needs (cards, plain PINs, vehicles, liftings, bays), without a database. */
  public static SeedRoster roster(String siteCode, SeedProfile profile, LocalDate today) {
    return generate(siteCode, profile, today).roster();
  }

  /**
   * Writes the data set inside the caller's write transaction; see the class comment for what an
   * already-running site keeps. Returns how many tanks got their opening inventory.
   *
   * @throws IllegalStateException if the database belongs to another site
   */
  public static int write(Handle h, MasterDataStore store, SeedData data, Instant now) {
    String code = data.site().code();
    Optional<String> other = h.createQuery("SELECT code FROM site WHERE code <> ?").bind(0, code)
        .mapTo(String.class).findFirst();
    if (other.isPresent()) {
      throw new IllegalStateException("database belongs to site " + other.get() + ", cannot seed site " + code);
    }
    store.upsertSite(h, data.site());
    data.products().forEach(p -> store.upsertProduct(h, p));
    data.tanks().forEach(t -> store.upsertTank(h, t));
    data.bays().forEach(b -> store.upsertBay(h, b));
    data.customers().forEach(c -> store.upsertCustomer(h, c));
    data.carriers().forEach(c -> store.upsertCarrier(h, c));
    data.drivers().forEach(d -> store.upsertDriver(h, d));
    data.vehicles().forEach(v -> store.upsertVehicle(h, v));
    for (LiftingRight right : data.liftingRights()) {
      store.grantLifting(h, right.customerId(), right.productCode());
    }
    data.allocations().forEach(a -> store.upsertAllocation(h, a));
    io.tms.agent.security.SeedTerminals.write(h);
    for (Map.Entry<String, Long> reserve : data.reserveGallons().entrySet()) {
      long spent = h.createQuery("SELECT consumed_gal + held_gal + released_gal FROM reserve WHERE allocation_id = ?")
          .bind(0, reserve.getKey()).mapTo(Long.class).findOne().orElse(0L);
      store.grantReserve(h, reserve.getKey(), Math.max(reserve.getValue(), spent));
    }
    int opened = 0;
    for (Map.Entry<String, Double> opening : data.openingNetGallons().entrySet()) {
      boolean booked = h.createQuery("SELECT 1 FROM tank_inventory WHERE tank_id = ?")
          .bind(0, opening.getKey()).mapTo(Integer.class).findOne().isPresent();
      if (!booked) {
        store.setBookInventory(h, opening.getKey(), opening.getValue(), now.toString());
        opened++;
      }
    }
    log.info("site={} seed={} products={} tanks={} bays={} arms={} drivers={} vehicles={} customers={} "
            + "allocations={} tanks_opened={}",
        code, data.profile().cliName(), data.products().size(), data.tanks().size(), data.bays().size(), data.arms(),
        data.drivers().size(), data.vehicles().size(), data.customers().size(), data.allocations().size(), opened);
    return opened;
  }

  /**
   * {@link #write} as a unit of work for the site writer:
   * {@code db.writer().write(ctx -> DemoSeed.apply(ctx, store, data))}.
   */
  public static int apply(WriteContext ctx, MasterDataStore store, SeedData data) {
    return write(ctx.handle(), store, data, ctx.now());
  }
}
