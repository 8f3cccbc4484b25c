package io.tms.domain.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReservePolicyTest {
  private static final ReservePolicy POLICY = new ReservePolicy(Duration.ofHours(72), 1_000, 0.75);

  private static ReservePlan.Move move(ReservePlan plan, String site) {
    return plan.moves().stream().filter(m -> m.siteCode().equals(site)).findFirst()
        .orElse(new ReservePlan.Move(site, 0, 0));
  }

  @Test
  void new_sites_get_the_initial_reserve_and_busy_sites_72_hours_of_their_rate() {
    Escrow e = Escrow.of("A1", 1_000_000, List.of());
    ReservePlan plan = POLICY.plan(e, List.of(SiteDemand.of("NEW1", 0), SiteDemand.of("BUSY1", 100)), true);
    assertThat(move(plan, "NEW1").grantGallons()).isEqualTo(1_000);
    assertThat(move(plan, "BUSY1").grantGallons()).isEqualTo(7_200);
    Escrow after = e.apply(plan);
    assertThat(POLICY.plan(after, List.of(SiteDemand.of("NEW1", 0), SiteDemand.of("BUSY1", 100)), true).isEmpty())
        .as("a second round on the same state plans nothing").isTrue();
  }

  @Test
  void tops_up_only_below_the_threshold_and_to_the_target() {
    Escrow e = Escrow.of("A1", 1_000_000, List.of(new SiteAccount("HOU1", 7_200, 0, 0, 1_000)));
    assertThat(POLICY.plan(e, List.of(SiteDemand.of("HOU1", 100)), true).isEmpty()).isTrue();
    Escrow used = e.consumed("HOU1", 1_000);
    assertThat(move(POLICY.plan(used, List.of(SiteDemand.of("HOU1", 100)), true), "HOU1").grantGallons())
        .isEqualTo(2_000);
  }

  @Test
  void grants_stop_at_the_headroom_with_the_least_covered_site_first() {
    Escrow e = Escrow.of("A1", 10_000, List.of(
        new SiteAccount("SLOW1", 3_000, 0, 0, 0), new SiteAccount("FAST1", 3_000, 0, 0, 2_500)));
    ReservePlan plan = POLICY.plan(e, List.of(SiteDemand.of("SLOW1", 10), SiteDemand.of("FAST1", 100)), true);
    Escrow after = e.apply(plan);
    assertThat(after.committed()).isLessThanOrEqualTo(after.total());
    assertThat(move(plan, "FAST1").grantGallons()).as("FAST1 has 5 h of cover, SLOW1 300 h").isPositive();
  }

  @Test
  void an_allocation_that_runs_low_asks_the_idle_site_to_release_so_the_busy_one_can_be_topped_up() {
    // 20,000 gal; IDLE1 got 8,000 long ago and loads nothing; BUSY1 has loaded 9,000 of its 12,000
    Escrow e = Escrow.of("A1", 20_000, List.of(
        new SiteAccount("IDLE1", 8_000, 0, 0, 0), new SiteAccount("BUSY1", 12_000, 0, 0, 9_000)));
    List<SiteDemand> demand = List.of(SiteDemand.of("IDLE1", 0), SiteDemand.of("BUSY1", 150));
    assertThat(e.headroom()).isZero();

    // round 1: targets scaled to the 11,000 left: BUSY1 10,800 x 11,000/11,800, IDLE1 1,000 x that
    ReservePlan ask = POLICY.plan(e, demand, true);
    assertThat(move(ask, "BUSY1").grantGallons()).isZero();
    assertThat(move(ask, "IDLE1").askGallons()).as("what BUSY1 lacks, from IDLE1's surplus").isEqualTo(10_067 - 3_000);
    e = e.apply(ask);
    assertThat(POLICY.plan(e, demand, true).isEmpty()).as("asked once, not again while the answer is on its way")
        .isTrue();

    // the site answers; only then is the headroom there, and the busy site gets it
    e = e.released("IDLE1", 10_067 - 3_000);
    ReservePlan topUp = POLICY.plan(e, demand, true);
    assertThat(move(topUp, "BUSY1").grantGallons()).isEqualTo(10_067 - 3_000);
    e = e.apply(topUp);
    assertThat(e.committed()).isLessThanOrEqualTo(e.total());
  }

  @Test
  void a_site_that_may_no_longer_lift_and_a_closed_allocation_are_asked_for_everything_left() {
    Escrow e = Escrow.of("A1", 50_000, List.of(
        new SiteAccount("HOU1", 8_000, 0, 0, 3_000), new SiteAccount("DAL1", 8_000, 0, 0, 0)));
    ReservePlan withdrawn = POLICY.plan(e, List.of(SiteDemand.of("DAL1", 10)), true);
    assertThat(move(withdrawn, "HOU1").askGallons()).isEqualTo(5_000);
    ReservePlan closed = POLICY.plan(e, List.of(SiteDemand.of("HOU1", 10), SiteDemand.of("DAL1", 10)), false);
    assertThat(closed.granted()).isZero();
    assertThat(move(closed, "HOU1").askGallons()).isEqualTo(5_000);
    assertThat(move(closed, "DAL1").askGallons()).isEqualTo(8_000);
  }

  @Test
  void an_over_committed_allocation_grants_nothing_and_asks_for_the_surplus() {
    Escrow e = Escrow.of("A1", 20_000, List.of(
        new SiteAccount("HOU1", 10_000, 0, 0, 0), new SiteAccount("DAL1", 10_000, 0, 0, 9_000))).withTotal(15_000);
    List<SiteDemand> demand = List.of(SiteDemand.of("HOU1", 0), SiteDemand.of("DAL1", 100));
    ReservePlan plan = POLICY.plan(e, demand, true);
    assertThat(plan.granted()).isZero();
    assertThat(move(plan, "HOU1").askGallons()).isGreaterThanOrEqualTo(5_000);
  }

  @Test
  void an_ask_the_site_can_no_longer_answer_does_not_hold_up_rebalancing() {
    // IDLE1 was asked for 1,000 but has since reported loading 900 of it: at most 100 can come back
    Escrow e = Escrow.of("A1", 16_000, List.of(
        new SiteAccount("IDLE1", 1_000, 1_000, 0, 900),
        new SiteAccount("RICH1", 9_000, 0, 0, 0),
        new SiteAccount("BUSY1", 6_000, 0, 0, 6_000)));
    assertThat(e.account("IDLE1").expectedRelease()).isEqualTo(100);
    List<SiteDemand> demand = List.of(SiteDemand.of("IDLE1", 0), SiteDemand.of("RICH1", 0), SiteDemand.of("BUSY1", 50));
    ReservePlan plan = POLICY.plan(e, demand, true);
    // unmet: BUSY1 3,600 + IDLE1 1,900 (its 1,000 floor and the 900 it could not give); 100 may come back
    assertThat(move(plan, "RICH1").askGallons()).isEqualTo(3_600 + 1_900 - 100);
  }

  @Test
  void an_answer_the_site_could_not_give_is_made_good_by_the_next_top_up() {
    // asked for 2,000, but the site loaded 4,500 of its 5,000 before it saw the ask
    Escrow e = Escrow.of("A1", 100_000, List.of(new SiteAccount("HOU1", 5_000, 2_000, 500, 4_500)));
    assertThat(e.account("HOU1").afterAsks()).isEqualTo(-1_500);
    ReservePlan plan = POLICY.plan(e, List.of(new SiteDemand("HOU1", 0, 3_000L, true)), true);
    assertThat(move(plan, "HOU1").grantGallons()).isEqualTo(4_500);
  }
}
