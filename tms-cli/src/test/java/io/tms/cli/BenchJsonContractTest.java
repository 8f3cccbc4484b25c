package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * A smoke run of every benchmark through the command line at tiny sizes, asserting the contract
 * scripts rely on (issue 4): {@code tms bench NAME --json} prints exactly one JSON object on
 * standard output — benchmark, machine, results with metric, value (a number, or null when the run
 * could not measure it), unit, target (a number or null) and better — and every published metric
 * name is there. Figures are not asserted.
 */
class BenchJsonContractTest {
  private static final Set<String> UNITS = Set.of("ms", "us", "s", "1/s", "events/s", "MiB/s", "events", "MiB", "count", "cores");

  @TempDir Path dir;

  static Stream<Arguments> benches() {
    return Stream.of(
        Arguments.of("edge", List.of("--in-process", "--terminals", "2", "--warmup", "0s", "--duration", "1s",
            "--paced-rate", "10", "--profile", "small"),
            List.of("request_p50_ms", "request_p99_ms", "request_max_ms", "load_cycles_per_s", "requests_per_s",
                "request_errors", "agent_start_to_ready_ms", "paced_cycles_per_s", "paced_request_p50_ms",
                "paced_request_p99_ms", "paced_request_max_ms", "paced_request_errors", "cpu_steal_cores",
                "paced_cpu_steal_cores", "paced_writer_queued_p50_ms", "paced_writer_queued_p99_ms",
                "paced_writer_committing_p50_ms", "paced_writer_committing_p99_ms", "paced_writer_flushing_p50_ms",
                "paced_writer_flushing_p99_ms", "paced_writer_flush_p99_ms", "paced_writer_units_per_commit"),
            targets("request_p99_ms", null, "paced_request_p99_ms", 5, "load_cycles_per_s", 1_000, "request_errors", 0,
                "agent_start_to_ready_ms", 2_000, "request_p50_ms", null, "cpu_steal_cores", null)),
        Arguments.of("sync", List.of("--in-process", "--sustained-loads", "20", "--backlog-loads", "10",
            "--backlog-hours", "1", "--tanks", "2", "--arms", "2", "--batch-bytes", "65536", "--warmup-loads", "20",
            "--warmup-max-rounds", "2"),
            List.of("uplink_events_per_s", "sustained_mib_per_s", "backlog_72h_events", "backlog_72h_business_events",
                "backlog_72h_mib", "backlog_link_up_to_first_ms", "backlog_business_applied_s", "backlog_apply_s",
                "backlog_events_per_s", "sustained_cloud_jit_cpu_us_per_event", "backlog_cloud_jit_cpu_us_per_event",
                "warmup_events", "warmup_last_jit_cpu_us_per_event", "sustained_cpu_steal_cores",
                "backlog_cpu_steal_cores"),
            targets("uplink_events_per_s", 50_000, "backlog_apply_s", 0.5, "backlog_72h_events", null)),
        Arguments.of("storm", List.of("--in-process", "--sites", "2", "--heartbeat-interval", "200ms", "--warmup", "1s",
            "--calm", "1s", "--tiny", "--drain-timeout", "60s", "--drain-concurrency", "2", "--warmup-sites", "1"),
            List.of("heartbeat_p50_ms", "heartbeat_p99_ms", "heartbeats", "sites_online", "heartbeat_errors",
                "storm_drain_s", "sites_drained", "storm_heartbeat_p50_ms", "storm_heartbeat_p99_ms",
                "storm_heartbeat_max_ms", "storm_fleet_view_p99_ms", "events_applied_per_s", "drain_errors",
                "storm_cpu_steal_cores"),
            targets("heartbeat_p99_ms", 500, "storm_heartbeat_p99_ms", 500, "storm_drain_s", 30, "sites_drained", 2,
                "drain_errors", 0, "storm_cpu_steal_cores", null)),
        Arguments.of("fleet", List.of("--sources", "40", "--interval", "500ms", "--warmup", "1s", "--duration", "2s",
            "--connections", "4", "--heap", "256m"),
            List.of("heartbeat_p50_ms", "heartbeat_p99_ms", "heartbeat_max_ms", "heartbeats_per_s", "heartbeat_errors",
                "fleet_view_p50_ms", "fleet_view_p99_ms", "sites_online", "cloud_cpu_cores", "cloud_rss_max_mib",
                "loadgen_cpu_cores"),
            targets("heartbeat_p99_ms", 500, "heartbeat_errors", 0, "sites_online", 40, "cloud_cpu_cores", 0.5,
                "cloud_rss_max_mib", 512, "fleet_view_p99_ms", null)),
        Arguments.of("footprint", List.of("--profile", "small", "--idle", "1s", "--load", "2s", "--terminals", "2",
            "--rate", "10", "--no-aot-cache"),
            List.of("cloud_start_to_ready_ms", "agent_start_to_ready_ms", "agent_idle_rss_mib", "cloud_idle_rss_mib",
                "load_phase_cycles_per_s", "load_phase_request_p99_ms", "load_phase_request_errors", "agent_load_rss_mib",
                "cloud_load_rss_mib",
                "agent_load_cpu_cores", "cloud_load_cpu_cores", "uplink_caught_up_s"),
            targets("agent_start_to_ready_ms", 2_000, "agent_idle_rss_mib", 128, "agent_load_rss_mib", 128,
                "cloud_idle_rss_mib", 512, "cloud_load_rss_mib", 512, "cloud_start_to_ready_ms", null)));
  }

  @ParameterizedTest(name = "bench {0} --json")
  @MethodSource("benches")
  void prints_exactly_one_json_object_with_every_metric(String bench, List<String> tiny, List<String> metrics,
      Map<String, Double> targets) throws Exception {
    List<String> args = new ArrayList<>(List.of("bench", bench, "--json", "--work-dir", dir.toString()));
    args.addAll(tiny);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new TmsCommand()).execute(args.toArray(String[]::new));
    } finally {
      System.setOut(original);
    }
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(stdout).isZero();
    assertThat(stdout.lines().filter(l -> !l.isBlank()).toList()).as("stdout").hasSize(1);
    JsonNode json = new ObjectMapper().readTree(stdout);
    assertThat(json.isObject()).isTrue();
    assertThat(fieldNames(json)).containsExactlyInAnyOrder("benchmark", "machine", "results");
    assertThat(json.get("benchmark").asText()).isEqualTo(bench);
    JsonNode machine = json.get("machine");
    assertThat(fieldNames(machine)).containsExactlyInAnyOrder("cores", "memoryMiB", "jdk");
    assertThat(machine.get("cores").isIntegralNumber()).isTrue();
    assertThat(machine.get("cores").asInt()).isPositive();
    assertThat(machine.get("memoryMiB").asLong()).isPositive();
    assertThat(machine.get("jdk").asText()).isEqualTo(Runtime.version().toString());

    Set<String> seen = new HashSet<>();
    for (JsonNode r : json.get("results")) {
      if (targets.containsKey(r.get("metric").asText())) {
        Double target = targets.get(r.get("metric").asText());
        assertThat(target == null ? r.get("target").isNull() : r.get("target").asDouble() == target)
            .as("target of %s: %s", r.get("metric").asText(), r.get("target")).isTrue();
      }
      assertThat(fieldNames(r)).containsExactlyInAnyOrder("metric", "value", "unit", "target", "better");
      String metric = r.get("metric").asText();
      assertThat(metric).matches("[a-z0-9]+(_[a-z0-9]+)*");
      assertThat(seen.add(metric)).as("metric %s twice", metric).isTrue();
      assertThat(r.get("value").isNumber() || r.get("value").isNull()).as(metric).isTrue();
      assertThat(r.get("unit").asText()).as(metric).isIn(UNITS);
      assertThat(r.get("target").isNumber() || r.get("target").isNull()).as(metric).isTrue();
      assertThat(r.get("better").asText()).as(metric).isIn("lower", "higher");
    }
    assertThat(seen).containsAll(metrics).containsAll(targets.keySet());
  }

  /** metric, target, metric, target, …; a null target is published as null. */
  private static Map<String, Double> targets(Object... pairs) {
    Map<String, Double> m = new java.util.HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1] == null ? null : ((Number) pairs[i + 1]).doubleValue());
    }
    return m;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
