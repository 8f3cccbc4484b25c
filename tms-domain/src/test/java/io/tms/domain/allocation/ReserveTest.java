package io.tms.domain.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReserveTest {

  @Test
  void hold_then_settle_consumes_what_was_metered_and_frees_the_rest() {
    Reserve r = new Reserve("A", 10_000, 0, 0).hold(3_000);
    assertThat(r.available()).isEqualTo(7_000);
    r = r.settle(3_000, 2_990);
    assertThat(r).isEqualTo(new Reserve("A", 10_000, 2_990, 0));
    assertThat(r.available()).isEqualTo(7_010);
  }

  @Test
  void a_hold_beyond_what_is_left_is_refused() {
    Reserve r = new Reserve("A", 4_000, 1_000, 0);
    assertThatThrownBy(() -> r.hold(3_001))
        .isInstanceOf(DomainException.class)
        .satisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(ErrorCode.RULE_VIOLATED));
    assertThat(r.hold(3_000).available()).isZero();
  }

  @Test
  void settling_more_than_was_held_is_refused() {
    Reserve r = new Reserve("A", 4_000, 0, 0).hold(1_000);
    assertThatThrownBy(() -> r.settle(1_000, 1_001)).isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> r.settle(2_000, 10)).isInstanceOf(DomainException.class);
  }

  @Test
  void no_sequence_of_operations_overspends() {
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      Reserve r = new Reserve("A", random.nextInt(20_000), 0, 0);
      java.util.Deque<Long> holds = new java.util.ArrayDeque<>();
      for (int step = 0; step < 100; step++) {
        if (random.nextBoolean()) {
          long want = 1 + random.nextInt(5_000);
          if (want <= r.available()) {
            r = r.hold(want);
            holds.push(want);
          } else {
            Reserve before = r;
            assertThatThrownBy(() -> before.hold(want)).isInstanceOf(DomainException.class);
          }
        } else if (!holds.isEmpty()) {
          long held = holds.pop();
          r = r.settle(held, (long) (random.nextDouble() * held));
        }
        assertThat(r.consumed() + r.held()).isLessThanOrEqualTo(r.granted());
      }
    }
  }

  @Test
  void an_impossible_state_cannot_be_built() {
    assertThatThrownBy(() -> new Reserve("A", 100, 80, 30)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new Reserve("A", -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void giving_back_takes_only_what_is_neither_held_nor_consumed() {
    Reserve r = new Reserve("A", 10_000, 3_000, 2_000);
    Reserve after = r.giveBack(5_000);
    assertThat(after).isEqualTo(new Reserve("A", 5_000, 3_000, 2_000));
    assertThat(after.available()).isZero();
    assertThatThrownBy(() -> r.giveBack(5_001)).isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> r.giveBack(-1)).isInstanceOf(DomainException.class);
    assertThat(r.giveBack(0)).isEqualTo(r);
  }
}
