package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tms sim} against a running agent on the small data set: what it prints, and what it refuses. */
class SimCommandTest {
  @TempDir Path dir;
  private Agent agent;
  private String url;

  @BeforeEach
  void startAgent() {
    agent = Agent.start(AgentConfig.of("SIM1", dir.resolve("site")).withHttp("127.0.0.1", 0), Clock.systemUTC(),
        AgentCommand.seeder("SIM1", "small"));
    url = "http://127.0.0.1:" + agent.port();
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void drives_the_agent_and_prints_one_json_object_with_throughput_latency_and_deny_reasons() throws Exception {
    Run run = run("sim", "--url", url, "--profile", "small", "--terminals", "3", "--duration", "2s", "--mode", "bench",
        "--json");

    assertThat(run.exit).as(run.stdout).isZero();
    assertThat(run.stdout.lines().filter(l -> !l.isBlank()).toList()).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(run.stdout);
    assertThat(json.get("sim").get("site").asText()).isEqualTo("SIM1"); // read from the agent's status
    assertThat(json.get("sim").get("terminals").asInt()).isEqualTo(3);
    assertThat(json.get("cycles").asLong()).isPositive();
    assertThat(json.get("requests").asLong()).isGreaterThanOrEqualTo(3 * json.get("cycles").asLong());
    assertThat(json.get("errors").asLong()).isZero();
    assertThat(json.get("cyclesPerS").asDouble()).isPositive();
    JsonNode latency = json.get("latencyMs");
    assertThat(latency.get("p50").asDouble()).isPositive();
    assertThat(latency.get("p99").asDouble()).isGreaterThanOrEqualTo(latency.get("p50").asDouble());
    assertThat(latency.get("max").asDouble()).isGreaterThanOrEqualTo(latency.get("p99").asDouble());
    assertThat(json.get("denials").isObject()).isTrue();
    assertThat(sum(json.get("statuses"))).isEqualTo(json.get("requests").asLong());
    assertThat(json.get("statuses").get("201").asLong()).isPositive();
  }

  @Test
  void realistic_terminals_report_deny_reasons_by_code_in_the_table() {
    Run run = run("sim", "--url", url, "--profile", "small", "--terminals", "6", "--duration", "3s", "--speed", "5000");

    assertThat(run.exit).as(run.stdout).isZero();
    assertThat(run.stdout).contains("site SIM1").containsPattern("throughput +[\\d.,]+ load cycles/s")
        .containsPattern("latency +p50 [\\d.]+ ms +p99 [\\d.]+ ms +max [\\d.]+ ms").contains("denials");
  }

  @Test
  void bad_options_are_refused_naming_the_option_and_nothing_is_sent() throws Exception {
    Run mode = run("sim", "--url", url, "--mode", "fast", "--json");
    Run nobody = run("sim", "--url", "http://127.0.0.1:1", "--json");

    assertThat(mode.exit).isEqualTo(2);
    assertThat(mode.stdout).isEmpty();
    assertThat(mode.stderr).contains("--mode must be realistic or bench (was fast)");
    assertThat(nobody.exit).isEqualTo(2);
    assertThat(nobody.stderr).contains("--url: no agent answers at http://127.0.0.1:1/");
    String status = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/v1/status"))
            .header("Authorization", "Bearer " + io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    assertThat(new ObjectMapper().readTree(status).get("bolsIssued").asLong()).isZero();
  }

  private static long sum(JsonNode counts) {
    long n = 0;
    for (JsonNode c : counts) {
      n += c.asLong();
    }
    return n;
  }

  private record Run(int exit, String stdout, String stderr) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    int exit;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new TmsCommand()).execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
