package io.tms.domain.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscrowTest {

  private static Escrow empty(long total) {
    return Escrow.of("A1", total, List.of());
  }

  @Test
  void grants_count_until_given_back_whether_or_not_they_were_loaded() {
    Escrow e = empty(10_000).grant("HOU1", 6_000).grant("DAL1", 4_000);
    assertThat(e.headroom()).isZero();
    e = e.consumed("HOU1", 5_000);
    assertThat(e.committed()).isEqualTo(10_000);
    assertThat(e.headroom()).as("consumption happens inside the reserve").isZero();
    e = e.released("HOU1", 1_000);
    assertThat(e.headroom()).isEqualTo(1_000);
    assertThat(e.account("HOU1").unused()).isZero();
  }

  @Test
  void a_grant_that_would_oversell_is_refused() {
    Escrow e = empty(10_000).grant("HOU1", 9_000);
    assertThatThrownBy(() -> e.grant("DAL1", 1_001))
        .isInstanceOf(DomainException.class)
        .satisfies(x -> assertThat(((DomainException) x).code()).isEqualTo(ErrorCode.RULE_VIOLATED));
    assertThat(e.grant("DAL1", 1_000).headroom()).isZero();
    assertThatThrownBy(() -> e.grant("DAL1", 0)).isInstanceOf(DomainException.class);
  }

  @Test
  void releases_land_once_on_their_running_total() {
    Escrow e = empty(10_000).grant("HOU1", 5_000).askRelease("HOU1", 2_000);
    assertThat(e.account("HOU1").releaseRequested()).isEqualTo(2_000);
    assertThat(e.headroom()).as("an ask frees nothing until the site answers").isEqualTo(5_000);
    Escrow once = e.released("HOU1", 2_000);
    assertThat(once.released("HOU1", 2_000)).isEqualTo(once);
    assertThat(once.released("HOU1", 1_500)).isEqualTo(once);
    assertThat(once.headroom()).isEqualTo(7_000);
    assertThat(once.account("HOU1").pendingRelease()).isZero();
  }

  @Test
  void an_ask_cannot_exceed_what_the_site_has_left_after_earlier_asks() {
    Escrow e = empty(10_000).grant("HOU1", 5_000).consumed("HOU1", 1_000).askRelease("HOU1", 3_000);
    assertThat(e.account("HOU1").afterAsks()).isEqualTo(1_000);
    assertThatThrownBy(() -> e.askRelease("HOU1", 1_001)).isInstanceOf(DomainException.class);
    // a site that released more than asked: the next ask counts from what it released
    Escrow more = e.released("HOU1", 3_500).askRelease("HOU1", 500);
    assertThat(more.account("HOU1").releaseRequested()).isEqualTo(4_000);
  }

  @Test
  void lowering_the_total_below_what_is_committed_takes_nothing_back_and_stops_grants() {
    Escrow e = empty(10_000).grant("HOU1", 8_000).withTotal(5_000);
    assertThat(e.overCommitted()).isTrue();
    assertThat(e.headroom()).isEqualTo(-3_000);
    assertThat(e.account("HOU1").granted()).isEqualTo(8_000);
    assertThatThrownBy(() -> e.grant("DAL1", 1)).isInstanceOf(DomainException.class);
    Escrow back = e.released("HOU1", 3_000);
    assertThat(back.overCommitted()).isFalse();
    assertThat(back.headroom()).isZero();
  }

  @Test
  void a_site_that_reports_more_than_it_was_granted_still_counts_everything_it_lifted() {
    Escrow e = empty(10_000).grant("HOU1", 1_000).consumed("HOU1", 1_500);
    assertThat(e.account("HOU1").overspent()).isTrue();
    assertThat(e.committed()).isEqualTo(1_500);
    assertThatThrownBy(() -> e.grant("DAL1", 8_501)).isInstanceOf(DomainException.class);
  }

  @Test
  void the_site_releases_what_it_can_spare_up_to_the_request() {
    assertThat(ReleaseRule.toRelease(2_000, 500, 10_000)).isEqualTo(1_500);
    assertThat(ReleaseRule.toRelease(2_000, 500, 300)).isEqualTo(300);
    assertThat(ReleaseRule.toRelease(2_000, 2_000, 300)).isZero();
    assertThat(ReleaseRule.toRelease(1_000, 2_000, 300)).isZero();
    assertThat(ReleaseRule.toRelease(2_000, 500, 0)).isZero();
  }
}
