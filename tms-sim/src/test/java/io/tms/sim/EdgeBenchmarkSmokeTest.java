package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.seed.SeedProfile;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of {@code tms bench edge}, so the benchmark cannot rot; figures are not asserted. */
class EdgeBenchmarkSmokeTest {
  @TempDir Path dir;

  @Test
  void runs_load_cycles_and_reports_every_metric_as_json() throws Exception {
    BenchReport report = new EdgeBenchmark().run(new EdgeBenchmark.Settings(
        4, Duration.ZERO, Duration.ofSeconds(2), 20, SeedProfile.SMALL, null, dir));

    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("benchmark").asText()).isEqualTo("edge");
    assertThat(json.get("machine").get("cores").asInt()).isPositive();
    assertThat(json.get("machine").get("memoryMiB").asLong()).isPositive();
    assertThat(json.get("machine").get("jdk").asText()).isNotBlank();
    var metrics = new java.util.HashMap<String, JsonNode>();
    json.get("results").forEach(r -> metrics.put(r.get("metric").asText(), r));
    assertThat(metrics).containsKeys(
        "request_p50_ms", "request_p99_ms", "request_max_ms", "load_cycles_per_s", "requests_per_s",
        "request_errors", "agent_start_to_ready_ms", "paced_cycles_per_s", "paced_request_p99_ms",
        "process_cpu_ms_per_cycle");
    // in-process the agent's CPU cannot be told apart from the load generator's: one figure for both
    assertThat(metrics).doesNotContainKeys("agent_cpu_ms_per_cycle", "bench_cpu_ms_per_cycle");
    assertThat(metrics.get("process_cpu_ms_per_cycle").get("value").asDouble()).isPositive();
    assertThat(metrics.get("load_cycles_per_s").get("value").asDouble()).isPositive();
    assertThat(metrics.get("request_errors").get("value").asDouble()).isZero();
    // the p99 target is the paced run's; flat out, Little's law sets the latency (no target)
    assertThat(metrics.get("paced_request_p99_ms").get("target").asDouble()).isEqualTo(5.0);
    assertThat(metrics.get("request_p99_ms").get("target").isNull()).isTrue();
    assertThat(metrics.get("request_p99_ms").get("better").asText()).isEqualTo("lower");
    assertThat(metrics.get("load_cycles_per_s").get("better").asText()).isEqualTo("higher");
  }

  @Test
  void latency_percentiles_are_nearest_rank() {
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 1; i <= 100; i++) {
      r.record(i * 1_000_000L);
    }
    assertThat(r.percentileMs(0.50)).isEqualTo(50.0);
    assertThat(r.percentileMs(0.99)).isEqualTo(99.0);
    assertThat(r.maxMs()).isEqualTo(100.0);
    assertThat(new LatencyRecorder().percentileMs(0.99)).isZero();
  }
}
