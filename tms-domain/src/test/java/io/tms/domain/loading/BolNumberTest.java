package io.tms.domain.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BolNumberTest {
  @Test
  void is_site_code_and_zero_padded_sequence_and_parses_back() {
    BolNumber n = new BolNumber("HOU1", 1042);
    assertThat(n.toString()).isEqualTo("HOU1-00001042");
    assertThat(BolNumber.parse("HOU1-00001042")).isEqualTo(n);
    assertThat(new BolNumber("HOU1", 123_456_789_012L).toString()).isEqualTo("HOU1-123456789012");
  }

  @Test
  void pads_to_eight_digits_and_no_further() {
    assertThat(new BolNumber("HOU1", 1).toString()).isEqualTo("HOU1-00000001");
    assertThat(new BolNumber("HOU1", 99_999_999).toString()).isEqualTo("HOU1-99999999");
    assertThat(new BolNumber("HOU1", 100_000_000).toString()).isEqualTo("HOU1-100000000");
    assertThat(new BolNumber("X1", Long.MAX_VALUE).toString()).isEqualTo("X1-" + Long.MAX_VALUE);
  }

  @Test
  void refuses_what_is_not_a_bol_number() {
    assertThatThrownBy(() -> new BolNumber("HOU1", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BolNumber("hou-1", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BolNumber.parse("HOU1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BolNumber.parse("HOU1-x")).isInstanceOf(IllegalArgumentException.class);
  }
}
