package io.tms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedProfile;
import io.tms.sim.SimReport;
import io.tms.sim.TerminalSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tms sim}: drives an agent that is already running (any URL) with simulated terminals, the
 * way {@code tms demo} drives its own, and prints what they saw. The terminals know the site only
 * through the seed roster of {@code --profile}, so the agent must hold that data set (e.g.
 * {@code tms agent --seed large}); the site code is read from the agent's {@code /v1/status}.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = {"Drive a running agent with N simulated terminals; print throughput, latency percentiles and"
        + " deny reasons.", "The agent must hold the built-in data set of --profile (tms agent --seed PROFILE)."})
final class SimCommand implements Callable<Integer> {

  @Option(names = "--url", required = true, description = "The agent's terminal API, e.g. http://127.0.0.1:8080.")
  URI url;

  @Option(names = "--terminals", defaultValue = "8", description = "Concurrent simulated terminals.")
  int terminals;

  @Option(names = "--profile", defaultValue = "small", description = "The agent's data set: small, demo, large, stress.")
  String profile;

  @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long to drive it (e.g. 30s, 5m).")
  Duration duration;

  @Option(names = "--mode", defaultValue = "realistic",
      description = "realistic: think and pump times, wrong PINs, denied drivers and customers; bench: approved"
          + " drivers back to back.")
  String mode;

  @Option(names = "--speed", defaultValue = "60", description = "realistic mode: speed-up of driver and pump times.")
  double speed;

  @Option(names = "--rate", defaultValue = "0",
      description = "bench mode: load cycles per second of all terminals together (0 = as fast as they go).")
  double rate;

  @Option(names = "--site", description = "Site code (default: what the agent's /v1/status says).")
  String site;

  @Option(names = "--json", description = "Print one JSON object instead of lines.")
  boolean json;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TerminalSimulator.Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
      case "realistic" -> TerminalSimulator.Mode.REALISTIC;
      case "bench" -> TerminalSimulator.Mode.BENCH;
      default -> throw bad("--mode must be realistic or bench (was " + mode + ")");
    };
    SeedProfile p;
    try {
      p = SeedProfile.parse(profile);
    } catch (IllegalArgumentException e) {
      throw bad("--profile: " + e.getMessage());
    }
    if (terminals < 1) {
      throw bad("--terminals must be >= 1 (was " + terminals + ")");
    }
    if (duration.isZero() || duration.isNegative()) {
      throw bad("--duration must be > 0 (was " + duration + ")");
    }
    if (speed <= 0) {
      throw bad("--speed must be > 0 (was " + speed + ")");
    }
    if (rate < 0) {
      throw bad("--rate must be >= 0 (was " + rate + ")");
    }
    URI base = URI.create(url.toString().endsWith("/") ? url.toString() : url + "/");
    String code = site != null ? site : siteOf(base);
    System.err.printf("tms sim: %d terminals on site %s at %s (%s profile, %s mode) for %d s ...%n", terminals, code,
        base, p.cliName(), m.name().toLowerCase(Locale.ROOT), duration.toSeconds());
    var roster = DemoSeed.roster(code, p, LocalDate.now(DemoSeed.ZONE));
    var sim = new TerminalSimulator(base, roster,
        new TerminalSimulator.Options(terminals, duration, 0, m, System.nanoTime(), speed, rate));
    Thread hook = new Thread(sim::stop, "sim-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    TerminalSimulator.Result result;
    try {
      result = sim.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already (Ctrl-C): the hook has stopped the terminals
      }
    }
    SimReport report = new SimReport(base, code, p.cliName(), m.name().toLowerCase(Locale.ROOT), terminals, result);
    if (json) {
      System.out.println(report.toJson());
    } else {
      report.print(System.out);
    }
    return result.errors() == 0 ? 0 : 1;
  }

  /** The site code the agent reports in {@code /v1/status}. */
  private String siteOf(URI base) throws InterruptedException {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("v1/status"))
          // as the simulated terminals call: the site's seeded simulator terminal
          .header("Authorization", "Bearer " + io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw bad("--url: " + base + "v1/status answered " + r.statusCode() + " (is it a TMS agent?)");
      }
      String code = new ObjectMapper().readTree(r.body()).path("site").asText("");
      if (code.isEmpty()) {
        throw bad("--url: " + base + "v1/status names no site");
      }
      return code;
    } catch (IOException e) {
      throw bad("--url: no agent answers at " + base + " (" + e.getMessage() + ")");
    }
  }

  private picocli.CommandLine.ParameterException bad(String message) {
    return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
  }
}
