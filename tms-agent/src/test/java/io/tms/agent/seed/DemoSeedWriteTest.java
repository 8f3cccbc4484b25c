package io.tms.agent.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.agent.seed.SeedRoster.DriverEntry;
import io.tms.agent.seed.SeedRoster.Lifting;
import io.tms.agent.store.MasterData;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.SiteDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSeedWriteTest {
  private static final LocalDate TODAY = LocalDate.of(2025, 11, 25);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-25T14:00:00Z"), ZoneOffset.UTC);

  private final MasterDataStore store = new MasterDataStore();

  @Test
  void writtenSeedLoadsBackWhole(@TempDir Path dir) {
    SeedData data = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY);
    try (SiteDatabase db = SiteDatabase.open(dir, "DEMO1", CLOCK, 64)) {
      int opened = db.writer().write(ctx -> DemoSeed.apply(ctx, store, data));
      MasterData loaded = db.reader().withHandle(store::load);

      assertThat(opened).isEqualTo(data.tanks().size());
      assertThat(loaded.site()).isEqualTo(data.site());
      assertThat(loaded.products()).hasSize(data.products().size());
      assertThat(loaded.tanks()).hasSize(data.tanks().size());
      assertThat(loaded.bays()).containsExactlyElementsOf(data.bays());
      assertThat(loaded.customers()).hasSize(data.customers().size());
      assertThat(loaded.carriers()).hasSize(data.carriers().size());
      assertThat(loaded.driversByCard()).hasSize(data.drivers().size());
      assertThat(loaded.vehicles()).hasSize(data.vehicles().size());
      assertThat(loaded.customerProducts()).hasSize(data.liftingRights().size());
      assertThat(loaded.allocationsByCustomerProduct().values().stream().mapToInt(List::size).sum())
          .isEqualTo(data.allocations().size());
      assertThat(count(db, "SELECT COUNT(*) FROM reserve")).isEqualTo(data.allocations().size());
      assertThat(count(db, "SELECT COUNT(*) FROM tank_inventory")).isEqualTo(data.tanks().size());

      DriverEntry driver = data.roster().approvedDrivers().get(0);
      assertThat(loaded.driversByCard().get(driver.cardNumber()).pinHash().matches(driver.pin())).isTrue();
      Lifting lifting = data.roster().liftings().get(0);
      assertThat(loaded.customerMayLift(lifting.customerId(), lifting.productCode())).isTrue();
      assertThat(loaded.allocationFor(lifting.customerId(), lifting.productCode(), TODAY)).isPresent();
    }
  }

  @Test
  void seedingASiteThatAlreadyRanKeepsItsEdgeState(@TempDir Path dir) {
    SeedData data = DemoSeed.generate("DEMO1", SeedProfile.DEMO, TODAY);
    Lifting generous = data.roster().liftings().stream().filter(l -> l.reserveGallons() > 20_000).findFirst().orElseThrow();
    Lifting tiny = data.roster().liftings().stream().filter(l -> l.reserveGallons() < 2_000).findFirst().orElseThrow();
    try (SiteDatabase db = SiteDatabase.open(dir, "DEMO1", CLOCK, 64)) {
      db.writer().write(ctx -> DemoSeed.apply(ctx, store, data));
      // The site ran: loads consumed and held reserve, a tank was drawn down.
      db.writer().write(ctx -> ctx.handle().execute(
          "UPDATE reserve SET consumed_gal = 12345, held_gal = 2900 WHERE allocation_id = ?", generous.allocationId()));
      db.writer().write(ctx -> ctx.handle().execute(
          "UPDATE reserve SET granted_gal = 5000, consumed_gal = 4000, held_gal = 1000 WHERE allocation_id = ?",
          tiny.allocationId()));
      db.writer().write(ctx -> ctx.handle().execute(
          "UPDATE tank_inventory SET book_net_gal = 4242.5, updated_at = 'later' WHERE tank_id = 'TK-101'"));

      int opened = db.writer().write(ctx -> DemoSeed.apply(ctx, store, data));

      assertThat(opened).isZero();
      assertThat(reserve(db, generous.allocationId())).containsExactly(generous.reserveGallons(), 12345L, 2900L);
      // Granted never drops below what was already spent, or the reserve's CHECK would fail.
      assertThat(reserve(db, tiny.allocationId())).containsExactly(5000L, 4000L, 1000L);
      String book = db.reader().withHandle(h -> h.createQuery(
              "SELECT book_net_gal || ' ' || updated_at FROM tank_inventory WHERE tank_id = 'TK-101'")
          .mapTo(String.class).one());
      assertThat(book).isEqualTo("4242.5 later");
      MasterData loaded = db.reader().withHandle(store::load);
      assertThat(loaded.driversByCard()).hasSize(data.drivers().size());
      assertThat(count(db, "SELECT COUNT(*) FROM tank_inventory")).isEqualTo(data.tanks().size());
    }
  }

  @Test
  void reseedingWithALargerProfileAddsToTheSite(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "DEMO1", CLOCK, 64)) {
      db.writer().write(ctx -> DemoSeed.apply(ctx, store, DemoSeed.generate("DEMO1", SeedProfile.SMALL, TODAY)));
      SeedData large = DemoSeed.generate("DEMO1", SeedProfile.LARGE, TODAY);
      db.writer().write(ctx -> DemoSeed.apply(ctx, store, large));

      MasterData loaded = db.reader().withHandle(store::load);
      assertThat(loaded.driversByCard()).hasSize(large.drivers().size());
      assertThat(loaded.bays()).hasSize(large.bays().size());
    }
  }

  @Test
  void refusesToSeedAnotherSitesDatabase(@TempDir Path dir) {
    Path file;
    try (SiteDatabase db = SiteDatabase.open(dir, "DEMO1", CLOCK, 64)) {
      db.writer().write(ctx -> DemoSeed.apply(ctx, store, DemoSeed.generate("DEMO1", SeedProfile.SMALL, TODAY)));
      file = db.file();
    }
    SeedData other = DemoSeed.generate("HOU1", SeedProfile.SMALL, TODAY);

    // On a plain handle: a unit that throws inside the site writer currently surfaces as Jdbi's
    // "release non-existent savepoint" instead of its own exception (see WriteQueue.runBatch).
    try (Handle h = Jdbi.create("jdbc:sqlite:" + file).open()) {
      assertThatThrownBy(() -> h.useTransaction(tx -> DemoSeed.write(tx, store, other, CLOCK.instant())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("database belongs to site DEMO1, cannot seed site HOU1");
      assertThat(h.createQuery("SELECT COUNT(*) FROM site").mapTo(Long.class).one()).isEqualTo(1L);
    }
  }

  private static long count(SiteDatabase db, String sql) {
    return db.reader().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  private static List<Long> reserve(SiteDatabase db, String allocationId) {
    return db.reader().withHandle(h -> h.createQuery(
            "SELECT granted_gal, consumed_gal, held_gal FROM reserve WHERE allocation_id = ?")
        .bind(0, allocationId)
        .map((rs, ctx) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .one());
  }
}
