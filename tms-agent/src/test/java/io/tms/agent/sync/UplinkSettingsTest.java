package io.tms.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UplinkSettingsTest {
  @Test
  void readsTheEnvironmentWithDefaultsForWhatIsNotSet() {
    UplinkSettings s = UplinkSettings.from(Map.of("TMS_UPLINK_BACKOFF_MAX", "50ms", "TMS_OUTBOX_RETENTION", "3d",
        "TMS_OUTBOX_TELEMETRY_BUDGET_BYTES", "1048576")::get);
    assertThat(s.backoffMax()).isEqualTo(Duration.ofMillis(50));
    assertThat(s.retention()).isEqualTo(Duration.ofDays(3));
    assertThat(s.telemetryBudgetBytes()).isEqualTo(1_048_576);
    assertThat(s.batchBytes()).isEqualTo(UplinkSettings.defaults().batchBytes());
    assertThat(s.inFlight()).isEqualTo(2);
    assertThat(UplinkSettings.from(Map.of("TMS_UPLINK_IN_FLIGHT", "1")::get).inFlight()).isEqualTo(1);
    assertThat(s.compression()).isEqualTo(UplinkEncoding.ZSTD);
    assertThat(UplinkSettings.from(Map.of("TMS_UPLINK_COMPRESSION", "GZIP")::get).compression())
        .isEqualTo(UplinkEncoding.GZIP);
    assertThat(s.firstBatchBytes()).isEqualTo(64 * 1024);
    assertThat(s.withBatchBytes(4096).firstBatchBytes()).isEqualTo(4096);
  }

  @Test
  void aBadSettingFailsAtStartNamingIt() {
    assertThatThrownBy(() -> UplinkSettings.from(Map.of("TMS_UPLINK_BACKOFF_MAX", "soon")::get))
        .hasMessageContaining("TMS_UPLINK_BACKOFF_MAX");
    assertThatThrownBy(() -> UplinkSettings.from(Map.of("TMS_UPLINK_BATCH_BYTES", "12")::get))
        .hasMessageContaining("uplink.batch-bytes");
    assertThatThrownBy(() -> UplinkSettings.from(Map.of("TMS_UPLINK_BACKOFF_INITIAL", "1m", "TMS_UPLINK_BACKOFF_MAX", "1s")::get))
        .hasMessageContaining("uplink.backoff");
    assertThatThrownBy(() -> UplinkSettings.from(Map.of("TMS_UPLINK_IN_FLIGHT", "0")::get))
        .hasMessageContaining("uplink.in-flight");
    assertThatThrownBy(() -> UplinkSettings.from(Map.of("TMS_UPLINK_IN_FLIGHT", "two")::get))
        .hasMessageContaining("TMS_UPLINK_IN_FLIGHT");
    assertThatThrownBy(() -> UplinkSettings.from(Map.of("TMS_UPLINK_COMPRESSION", "brotli")::get))
        .hasMessageContaining("TMS_UPLINK_COMPRESSION");
  }
}
