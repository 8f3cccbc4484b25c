package io.tms.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SimulationClockTest {
  private static final Instant START = Instant.parse("2026-11-01T12:00:00Z");
  private static final Instant AT = Instant.parse("2026-11-26T00:10:00Z");

  @Test
  void runs_rate_times_real_time_from_its_anchor() {
    Clock real = Clock.fixed(AT.plus(Duration.ofMinutes(6)), ZoneOffset.UTC);
    SimulationClock clock = new SimulationClock(START, AT, 720, real);
    assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofHours(72)));
    assertThat(clock.simulated(AT)).isEqualTo(START);
  }

  @Test
  void the_setting_round_trips_and_blank_means_the_system_clock() {
    SimulationClock clock = (SimulationClock) SimulationClock.fromSetting("start=" + START + ";at=" + AT + ";rate=600");
    assertThat(clock.rate()).isEqualTo(600);
    assertThat(SimulationClock.fromSetting(clock.setting()).toString()).isEqualTo(clock.toString());
    assertThat(SimulationClock.fromSetting(" ")).isEqualTo(Clock.systemUTC());
  }

  @Test
  void a_bad_setting_names_the_key() {
    assertThatThrownBy(() -> SimulationClock.fromSetting("start=yesterday")).hasMessageContaining("TMS_CLOCK start");
    assertThatThrownBy(() -> SimulationClock.fromSetting("start=" + START + ";rate=0")).hasMessageContaining("TMS_CLOCK rate");
    assertThatThrownBy(() -> SimulationClock.fromSetting("rate=2")).hasMessageContaining("TMS_CLOCK needs start");
    assertThatThrownBy(() -> SimulationClock.fromSetting("start=" + START + ";speed=2")).hasMessageContaining("unknown part speed");
  }
}
