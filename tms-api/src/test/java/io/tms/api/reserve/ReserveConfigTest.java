package io.tms.api.reserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReserveConfigTest {

  @Test
  void defaults_when_nothing_is_set_and_values_when_they_are() {
    assertThat(ReserveConfig.fromEnv(Map.of())).isEqualTo(ReserveConfig.DEFAULT);
    ReserveConfig c = ReserveConfig.fromEnv(Map.of("TMS_RESERVE_INTERVAL", "0", "TMS_RESERVE_HORIZON", "7d",
        "TMS_RESERVE_INITIAL_GAL", "2000", "TMS_RESERVE_TOP_UP_BELOW", "0.5", "TMS_RESERVE_RATE_WINDOW", "12h"));
    assertThat(c.interval()).isZero();
    assertThat(c.policy().horizon()).isEqualTo(Duration.ofDays(7));
    assertThat(c.policy().initialGallons()).isEqualTo(2_000);
    assertThat(c.policy().topUpBelow()).isEqualTo(0.5);
    assertThat(c.rateWindow()).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void a_bad_value_stops_the_start_naming_the_variable() {
    assertThatThrownBy(() -> ReserveConfig.fromEnv(Map.of("TMS_RESERVE_INTERVAL", "5 minutes")))
        .hasMessageContaining("TMS_RESERVE_INTERVAL");
    assertThatThrownBy(() -> ReserveConfig.fromEnv(Map.of("TMS_RESERVE_INITIAL_GAL", "lots")))
        .hasMessageContaining("TMS_RESERVE_INITIAL_GAL");
    assertThatThrownBy(() -> ReserveConfig.fromEnv(Map.of("TMS_RESERVE_TOP_UP_BELOW", "1.5")))
        .hasMessageContaining("TMS_RESERVE_TOP_UP_BELOW");
    assertThatThrownBy(() -> ReserveConfig.fromEnv(Map.of("TMS_RESERVE_HORIZON", "0")))
        .hasMessageContaining("TMS_RESERVE_HORIZON");
    assertThatThrownBy(() -> ReserveConfig.fromEnv(Map.of("TMS_RESERVE_RATE_WINDOW", "10s")))
        .hasMessageContaining("TMS_RESERVE_RATE_WINDOW");
  }
}
