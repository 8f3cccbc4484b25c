package io.tms.cli;

import io.tms.agent.seed.SeedProfile;
import io.tms.sim.BenchReport;
import io.tms.sim.EdgeBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tms bench}: one home for every benchmark; each prints its figures next to its targets. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run a benchmark and compare it with its targets (not part of ./tms test).",
    subcommands = {BenchCommand.Edge.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The agent as its own JVM, sized as in production. */
  static List<String> agentCommand(String heap) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC",
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        TmsCommand.class.getName()));
    return cmd;
  }

  @Command(name = "edge", mixinStandardHelpOptions = true,
      description = {"Authorize → start → complete → BOL over HTTP with N terminals on the large-site data.",
          "Targets: request p99 <= 5 ms, >= 1,000 load cycles/s, agent RSS <= 128 MiB, start to ready <= 2 s."})
  static final class Edge implements Callable<Integer> {
    @Option(names = "--terminals", defaultValue = "32", description = "Concurrent simulated terminals.")
    int terminals;

    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class)
    Duration warmup;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--profile", defaultValue = "large", description = "Site data: small, demo, large, stress.")
    String profile;

    @Option(names = "--heap", defaultValue = "96m", description = "The agent's -Xmx.")
    String heap;

    @Option(names = "--in-process", description = "Run the agent inside this JVM (no RSS figure).")
    boolean inProcess;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Path work = Files.createTempDirectory("tms-bench-edge");
      BenchReport report = new EdgeBenchmark().run(new EdgeBenchmark.Settings(
          terminals, warmup, duration, SeedProfile.parse(profile), inProcess ? null : agentCommand(heap), work));
      if (json) {
        System.out.println(report.toJson());
      } else {
        report.printTable(System.out);
        System.out.println("work directory: " + work);
      }
      return 0;
    }
  }
}
