package io.tms.domain.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PinHashTest {

  @Test
  void matches_only_the_right_pin_and_survives_encoding() {
    PinHash h = PinHash.create("4321", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 1_000);
    assertThat(h.matches("4321")).isTrue();
    assertThat(h.matches("4322")).isFalse();
    assertThat(h.matches(null)).isFalse();
    PinHash parsed = PinHash.parse(h.encoded());
    assertThat(parsed.matches("4321")).isTrue();
    assertThat(parsed).isEqualTo(h);
    assertThat(h.encoded()).startsWith("pbkdf2-sha256:1000:").doesNotContain("4321");
    assertThat(h.toString()).doesNotContain("4321");
  }

  @Test
  void the_salt_changes_the_hash() {
    PinHash a = PinHash.create("4321", new byte[] {1}, 100);
    PinHash b = PinHash.create("4321", new byte[] {2}, 100);
    assertThat(a.encoded()).isNotEqualTo(b.encoded());
  }

  @Test
  void a_foreign_format_is_refused() {
    assertThatThrownBy(() -> PinHash.parse("md5:abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PinHash.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void card_state_locks_after_max_consecutive_failures_and_resets_on_success() {
    CardState s = CardState.FRESH;
    s = s.after(PinOutcome.MISMATCHED, 3).after(PinOutcome.MISMATCHED, 3);
    assertThat(s).isEqualTo(new CardState(2, false));
    assertThat(s.after(PinOutcome.MATCHED, 3)).isEqualTo(CardState.FRESH);
    assertThat(s.after(PinOutcome.MISMATCHED, 3).locked()).isTrue();
    assertThat(s.after(PinOutcome.NOT_CHECKED, 3)).isSameAs(s);
  }
}
