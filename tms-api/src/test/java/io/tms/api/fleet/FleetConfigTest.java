package io.tms.api.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet's settings from the environment: defaults, overrides, and errors that name the setting. */
class FleetConfigTest {
  private static FleetConfig from(Map<String, String> env) {
    return FleetConfig.from(env::get);
  }

  @Test
  void theIngestBudgetDefaultsTo16MiBAndTakesMebibytesFromTheEnvironment() {
    assertThat(from(Map.of()).drainMaxBytes()).isEqualTo(16L << 20);
    assertThat(from(Map.of("TMS_DRAIN_MAX_MIB", "8")).drainMaxBytes()).isEqualTo(8L << 20);
    assertThat(from(Map.of("TMS_DRAIN_MAX_MIB", "4096")).drainMaxBytes()).isEqualTo(4096L << 20);
    assertThat(from(Map.of("TMS_DRAIN_MAX_MIB", "8")).describe()).containsEntry("drainMaxBytes", 8L << 20);
  }

  @Test
  void anIngestBudgetOutOfRangeOrNotANumberIsRefusedByName() {
    assertThatThrownBy(() -> from(Map.of("TMS_DRAIN_MAX_MIB", "0"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("drain.max-bytes");
    assertThatThrownBy(() -> from(Map.of("TMS_DRAIN_MAX_MIB", "4097"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("drain.max-bytes");
    assertThatThrownBy(() -> from(Map.of("TMS_DRAIN_MAX_MIB", "lots"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TMS_DRAIN_MAX_MIB");
  }

  @Test
  void theLargestUplinkBatchDefaultsTo32MiBAndIsRefusedByNameOutside1To256MiB() {
    assertThat(from(Map.of()).uplinkMaxBatchBytes()).isEqualTo(32L << 20);
    assertThat(from(Map.of("TMS_UPLINK_MAX_BATCH_MIB", "64")).uplinkMaxBatchBytes()).isEqualTo(64L << 20);
    assertThat(from(Map.of("TMS_UPLINK_MAX_BATCH_MIB", "256")).describe())
        .containsEntry("uplinkMaxBatchBytes", 256L << 20);
    assertThatThrownBy(() -> from(Map.of("TMS_UPLINK_MAX_BATCH_MIB", "0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uplink.max-batch-bytes");
    assertThatThrownBy(() -> from(Map.of("TMS_UPLINK_MAX_BATCH_MIB", "257")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uplink.max-batch-bytes");
    assertThatThrownBy(() -> from(Map.of("TMS_UPLINK_MAX_BATCH_MIB", "big")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TMS_UPLINK_MAX_BATCH_MIB");
  }
}
