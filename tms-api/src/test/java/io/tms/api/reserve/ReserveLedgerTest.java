package io.tms.api.reserve;

import static io.tms.api.reserve.ReserveFixture.allocation;
import static io.tms.api.reserve.ReserveFixture.committedAndTotal;
import static io.tms.api.reserve.ReserveFixture.enrol;
import static io.tms.api.reserve.ReserveFixture.feed;
import static io.tms.api.reserve.ReserveFixture.sites;
import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.TestDatabase;
import io.tms.api.store.CloudDatabase;
import io.tms.domain.allocation.ReservePolicy;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.ReserveReleasedV1;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReserveLedgerTest {
  private static final ReservePolicy POLICY = new ReservePolicy(Duration.ofHours(72), 1_000, 0.75);

  private CloudDatabase db;
  private Jdbi jdbi;
  private Reserves reserves;

  @BeforeEach
  void open() {
    db = CloudDatabase.open(TestDatabase.freshCloudConfig());
    jdbi = db.jdbi();
    reserves = ReserveFixture.reserves(db, ReserveFixture.config(Duration.ZERO, POLICY, Duration.ofHours(24)),
        Clock.systemUTC());
  }

  @AfterEach
  void close() {
    reserves.close();
    db.close();
  }

  private ReserveView view(String id) {
    return jdbi.withHandle(h -> reserves.rebalancer().view(h, id)).orElseThrow();
  }

  private ReserveView.Site site(String id, String site) {
    return view(id).sites().stream().filter(s -> s.siteCode().equals(site)).findFirst().orElseThrow();
  }

  private void consume(String site, String id, long gallons, String reference) {
    jdbi.useTransaction(h -> reserves.ledger().consumed(h, site, id, gallons, reference, Instant.now()));
  }

  @Test
  void a_round_grants_initial_reserves_and_puts_them_on_the_feed_in_the_same_transaction() {
    sites(jdbi, "HOU1", "DAL1", "AUS1");
    allocation(jdbi, "A1", 100_000);
    enrol(jdbi, "A1", "HOU1", "DAL1", "AUS1");

    ReserveJob.RoundResult first = reserves.job().tick();
    assertThat(first.ran()).isTrue();
    assertThat(first.grantedGallons()).isEqualTo(3_000);
    for (String s : List.of("HOU1", "DAL1", "AUS1")) {
      assertThat(feed(jdbi, s, "A1")).containsExactly(new long[] {1_000, 0});
      assertThat(site("A1", s).grantedGallons()).isEqualTo(1_000);
    }
    ReserveView v = view("A1");
    assertThat(v.committedGallons()).isEqualTo(3_000);
    assertThat(v.headroomGallons()).isEqualTo(97_000);

    ReserveJob.RoundResult again = reserves.job().tick();
    assertThat(again.grantedGallons()).isZero();
    assertThat(feed(jdbi, "HOU1", "A1")).as("nothing granted twice").hasSize(1);
  }

  @Test
  void a_release_frees_headroom_only_when_the_sites_event_arrives_and_the_busy_site_gets_it() {
    sites(jdbi, "IDLE1", "BUSY1");
    allocation(jdbi, "A1", 10_000);
    enrol(jdbi, "A1", "IDLE1", "BUSY1");
    reserves.job().tick();
    consume("BUSY1", "A1", 1_000, "B-1/1");
    reserves.job().tick();
    assertThat(site("A1", "BUSY1").grantedGallons()).isEqualTo(4_000);

    // BUSY1 spends it all: the allocation runs low; IDLE1 is asked for its surplus
    consume("BUSY1", "A1", 3_000, "B-2/1");
    ReserveJob.RoundResult low = reserves.job().tick();
    assertThat(low.askedGallons()).isEqualTo(538);
    assertThat(feed(jdbi, "IDLE1", "A1")).last().isEqualTo(new long[] {1_000, 538});
    assertThat(site("A1", "BUSY1").grantedGallons()).isEqualTo(9_000);
    long headroom = view("A1").headroomGallons();
    assertThat(headroom).isZero();

    // asking frees nothing; rounds meanwhile ask nothing more
    assertThat(reserves.job().tick().askedGallons()).isZero();
    assertThat(view("A1").headroomGallons()).isEqualTo(headroom);
    assertThat(site("A1", "IDLE1").pendingReleaseGallons()).isEqualTo(538);

    // the site's event lands: now the gallons are back
    jdbi.useTransaction(h -> reserves.ledger().released(h,
        new ReserveReleasedV1("IDLE1", "A1", 538, 538, Instant.now())));
    assertThat(view("A1").headroomGallons()).isEqualTo(538);
    assertThat(site("A1", "IDLE1").pendingReleaseGallons()).isZero();

    consume("BUSY1", "A1", 5_000, "B-3/1");
    ReserveJob.RoundResult topUp = reserves.job().tick();
    assertThat(topUp.grantedGallons()).isEqualTo(538);
    assertThat(site("A1", "BUSY1").grantedGallons()).isEqualTo(9_538);
    long[] ct = committedAndTotal(jdbi, "A1");
    assertThat(ct[0]).isLessThanOrEqualTo(ct[1]);
  }

  @Test
  void replayed_reports_change_nothing() {
    sites(jdbi, "HOU1");
    allocation(jdbi, "A1", 100_000);
    enrol(jdbi, "A1", "HOU1");
    reserves.job().tick();
    BolIssuedV1 bol = new BolIssuedV1("HOU1-00000001", "HOU1", "L1", "B1", "D1", "C1", "V1", Instant.now(),
        Instant.now(), 700, 690, List.of(
            line(1, "A1", 400), line(2, "A1", 300), line(3, null, 0)));
    jdbi.useTransaction(h -> reserves.ledger().consumed(h, bol));
    Map<String, Object> once = account("A1", "HOU1");
    assertThat(once).containsEntry("consumed_total", 700L);

    jdbi.useTransaction(h -> reserves.ledger().consumed(h, bol));
    jdbi.useTransaction(h -> reserves.ledger().consumed(h, "HOU1", "A1", 400, "HOU1-00000001/1", Instant.now()));
    assertThat(account("A1", "HOU1")).isEqualTo(once);

    jdbi.useTransaction(h -> reserves.ledger().released(h, "HOU1", "A1", 200));
    Map<String, Object> released = account("A1", "HOU1");
    jdbi.useTransaction(h -> reserves.ledger().released(h, "HOU1", "A1", 200));
    jdbi.useTransaction(h -> reserves.ledger().released(h, "HOU1", "A1", 150));
    assertThat(account("A1", "HOU1")).isEqualTo(released).containsEntry("released_total", 200L);
  }

  @Test
  void a_report_for_an_allocation_the_cloud_does_not_know_still_lands() {
    sites(jdbi, "HOU1");
    jdbi.useTransaction(h -> reserves.ledger().consumed(h, "HOU1", "GONE", 50, "X/1", Instant.now()));
    assertThat(account("GONE", "HOU1")).containsEntry("consumed_total", 50L);
    assertThat(reserves.job().tick().allocations()).isZero();
  }

  @Test
  void lifting_rights_decide_which_sites_take_part_and_the_operator_can_override_them() {
    sites(jdbi, "HOU1", "DAL1", "AUS1");
    allocation(jdbi, "A1", 100_000);
    jdbi.useHandle(h -> {
      h.execute("INSERT INTO customer (id, name) VALUES ('C1', 'Customer one')");
      h.execute("INSERT INTO product (code, name, commodity_group) VALUES ('ULSD', 'Diesel', 'FUEL_OILS')");
      h.execute("INSERT INTO lifting (site_code, customer_id, product_code) VALUES ('HOU1', 'C1', 'ULSD')");
      h.execute("INSERT INTO lifting (site_code, customer_id, product_code) VALUES ('DAL1', 'C1', 'ULSD')");
    });
    enrol(jdbi, "A1", "AUS1");

    reserves.job().tick();
    assertThat(feed(jdbi, "HOU1", "A1")).containsExactly(new long[] {1_000, 0});
    assertThat(feed(jdbi, "DAL1", "A1")).containsExactly(new long[] {1_000, 0});
    assertThat(feed(jdbi, "AUS1", "A1")).as("enrolled by the operator").containsExactly(new long[] {1_000, 0});

    consume("DAL1", "A1", 200, "B/1");
    jdbi.useHandle(h -> h.execute("UPDATE lifting SET granted = FALSE WHERE site_code = 'DAL1'"));
    jdbi.useHandle(h -> h.execute(
        "INSERT INTO reserve_site (allocation_id, site_code, participating) VALUES ('A1', 'HOU1', FALSE)"));
    reserves.job().tick();
    assertThat(feed(jdbi, "DAL1", "A1")).as("lifting withdrawn: asked for the unused rest").last()
        .isEqualTo(new long[] {1_000, 800});
    assertThat(feed(jdbi, "HOU1", "A1")).as("operator withdrew it despite the lifting right").last()
        .isEqualTo(new long[] {1_000, 1_000});
    assertThat(feed(jdbi, "AUS1", "A1")).hasSize(1);
  }

  @Test
  void a_site_withdrawn_from_the_allocation_is_asked_for_everything_unused() {
    sites(jdbi, "HOU1");
    allocation(jdbi, "A1", 100_000);
    enrol(jdbi, "A1", "HOU1");
    reserves.job().tick();
    consume("HOU1", "A1", 300, "B/1");
    jdbi.useHandle(h -> h.execute("UPDATE reserve_site SET participating = FALSE"));
    reserves.job().tick();
    assertThat(feed(jdbi, "HOU1", "A1")).last().isEqualTo(new long[] {1_000, 700});
  }

  @Test
  void a_closed_allocation_asks_every_site_for_what_is_left_once_then_rounds_leave_it_alone() {
    sites(jdbi, "HOU1", "DAL1");
    allocation(jdbi, "A1", 100_000);
    enrol(jdbi, "A1", "HOU1", "DAL1");
    reserves.job().tick();
    consume("HOU1", "A1", 250, "B/1");
    jdbi.useHandle(h -> h.execute("UPDATE allocation SET active = FALSE"));
    ReserveJob.RoundResult closing = reserves.job().tick();
    assertThat(closing.grantedGallons()).isZero();
    assertThat(closing.askedGallons()).isEqualTo(750 + 1_000);
    assertThat(view("A1").open()).isFalse();
    assertThat(reserves.job().tick().allocations()).isZero();
  }

  @Test
  void lowering_the_quantity_below_what_is_granted_takes_nothing_back() {
    sites(jdbi, "HOU1", "DAL1");
    allocation(jdbi, "A1", 100_000);
    enrol(jdbi, "A1", "HOU1", "DAL1");
    reserves.job().tick();
    jdbi.useHandle(h -> h.execute("UPDATE allocation SET quantity_gal = 1_500"));
    ReserveJob.RoundResult r = reserves.job().tick();
    ReserveView v = view("A1");
    assertThat(v.overCommitted()).isTrue();
    assertThat(v.headroomGallons()).isEqualTo(-500);
    assertThat(r.grantedGallons()).isZero();
    assertThat(r.askedGallons()).as("asks, never revokes").isPositive();
    assertThat(site("A1", "HOU1").grantedGallons()).isEqualTo(1_000);
    assertThat(site("A1", "DAL1").grantedGallons()).isEqualTo(1_000);
  }

  private Map<String, Object> account(String id, String site) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT granted_total, release_requested_total, released_total, consumed_total, version
              FROM reserve_account WHERE allocation_id = :id AND site_code = :site""")
        .bind("id", id).bind("site", site).mapToMap().one());
  }

  private static BolIssuedV1.Line line(int compartment, String allocation, long consumed) {
    return new BolIssuedV1.Line(compartment, "ULSD", "C1", allocation, "ARM1", "M1", "T1", consumed, consumed,
        consumed, 60, 850, 35, 1, consumed);
  }
}
