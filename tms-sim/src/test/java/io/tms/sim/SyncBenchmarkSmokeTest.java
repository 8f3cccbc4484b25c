package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of {@code tms bench sync}, so the benchmark cannot rot; figures are not asserted. */
class SyncBenchmarkSmokeTest {
  @TempDir Path dir;

  @Test
  void drainsBothOutboxesIntoTheCloudAndReportsEveryMetric() throws Exception {
    BenchReport report = new SyncBenchmark().run(new SyncBenchmark.Settings(40, 20, 2, 4, 4, 64 * 1024, null, dir, 5));

    report.printTable(System.out);
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("benchmark").asText()).isEqualTo("sync");
    var metrics = new java.util.HashMap<String, JsonNode>();
    json.get("results").forEach(r -> metrics.put(r.get("metric").asText(), r));
    assertThat(metrics).containsKeys("uplink_events_per_s", "backlog_72h_events", "backlog_72h_mib",
        "backlog_apply_s", "backlog_business_applied_s", "backlog_link_up_to_first_ms",
        "sustained_cloud_cpu_us_per_event", "backlog_cloud_cpu_us_per_event");
    // 20 loads of 6-8 business events and one bay block each; 2 h of hourly gauges on 4 tanks and of
    // the gauge console's 10-minute blocks
    assertThat(metrics.get("backlog_72h_events").get("value").asLong()).isBetween(20L * 7 + 8 + 12, 20L * 9 + 8 + 12);
    assertThat(metrics.get("uplink_events_per_s").get("value").asDouble()).isPositive();
    assertThat(metrics.get("sustained_cloud_cpu_us_per_event").get("value").asDouble()).isPositive();
    assertThat(metrics.get("backlog_apply_s").get("target").asDouble()).isEqualTo(0.5);
  }
}
