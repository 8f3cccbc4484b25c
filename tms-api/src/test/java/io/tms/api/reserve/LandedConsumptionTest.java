package io.tms.api.reserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tms.api.TestDatabase;
import io.tms.api.store.CloudDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingest's path into the ledger: accounts and hourly rate rows, no row per BOL line. */
class LandedConsumptionTest {
  private static final Instant NOON = Instant.parse("2026-05-10T12:00:00Z");

  private CloudDatabase db;
  private Jdbi jdbi;
  private final ReserveLedger ledger = new ReserveLedger();
  private final ReserveStore store = new ReserveStore();

  @BeforeEach
  void open() {
    db = CloudDatabase.open(TestDatabase.freshCloudConfig());
    jdbi = db.jdbi();
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void land(String site, ReserveLedger.Consumption... items) {
    jdbi.useTransaction(h -> ledger.landed(h.getConnection(), site, List.of(items)));
  }

  private static ReserveLedger.Consumption line(String allocation, long gallons, Instant at) {
    return new ReserveLedger.Consumption(allocation, gallons, "unused", at);
  }

  @Test
  void a_batch_of_lines_adds_to_the_accounts_and_to_one_row_per_allocation_and_hour() {
    land("HOU1", line("A1", 400, NOON.plusSeconds(60)), line("A1", 300, NOON.plusSeconds(1_800)),
        line("A2", 250, NOON.plusSeconds(60)), line("A1", 100, NOON.minusSeconds(60)), line("A2", 0, NOON));
    land("HOU1", line("A1", 50, NOON.plusSeconds(3_599)));
    land("DAL1", line("A1", 10, NOON));

    assertThat(consumedTotal("A1", "HOU1")).isEqualTo(850);
    assertThat(consumedTotal("A2", "HOU1")).isEqualTo(250);
    assertThat(consumedTotal("A1", "DAL1")).isEqualTo(10);
    List<String> hours = jdbi.withHandle(h -> h.createQuery("""
            SELECT allocation_id || ' ' || site_code || ' ' || to_char(hour AT TIME ZONE 'UTC', 'HH24') || ' ' || gallons
              FROM reserve_consumption_hourly ORDER BY allocation_id, hour, site_code""").mapTo(String.class).list());
    assertThat(hours).containsExactly("A1 HOU1 11 100", "A1 DAL1 12 10", "A1 HOU1 12 750", "A2 HOU1 12 250");
    long perLine = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM reserve_consumption").mapTo(Long.class).one());
    assertThat(perLine).as("no row per line").isZero();
  }

  @Test
  void the_rate_counts_the_hours_inside_the_window_and_the_first_one_pro_rata() {
    land("HOU1", line("A1", 1_000, NOON.minusSeconds(30 * 3_600)), // outside a 24 h window
        line("A1", 600, NOON.minusSeconds(24 * 3_600).plusSeconds(600)), // its hour: 40 of 60 min inside
        line("A1", 200, NOON.minusSeconds(2 * 3_600)), line("A1", 30, NOON.plusSeconds(10)));
    jdbi.useTransaction(h -> ledger.consumed(h, "HOU1", "A1", 7, "B-1/1", NOON.minusSeconds(3_600)));
    jdbi.useTransaction(h -> ledger.consumed(h, "HOU1", "A1", 9, "B-0/1", NOON.minusSeconds(25 * 3_600)));

    Instant since = NOON.minusSeconds(24 * 3_600).plusSeconds(1_200); // 12:20 the day before
    Map<String, Double> recent = jdbi.withHandle(h -> store.consumedSince(h, "A1", since));
    assertThat(recent.get("HOU1")).isCloseTo(600 * 40 / 60.0 + 200 + 30 + 7, within(1e-6));
  }

  private long consumedTotal(String allocation, String site) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT consumed_total FROM reserve_account WHERE allocation_id = :a AND site_code = :s")
        .bind("a", allocation).bind("s", site).mapTo(Long.class).one());
  }
}
