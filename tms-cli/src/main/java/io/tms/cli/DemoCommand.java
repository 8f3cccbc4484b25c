package io.tms.cli;

import io.tms.sim.demo.Demo;
import io.tms.sim.demo.DemoOptions;
import io.tms.sim.demo.FleetSeed;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tms demo}: the cloud, three sites of different sizes each in its own agent process, and
 * simulated trucks, played on a simulation clock with an outage, a card revoked in the cloud and
 * an allocation running low (io.tms.sim.demo.Demo runs it); ends with a reconciliation. This class
 * parses the options and says how an agent process is started (this JVM's class path, the agent's
 * JVM options).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the system: a cloud and three sites (small, large, stress) with simulated trucks,",
        "an outage, a card revoked in the cloud, an allocation running low; ends with a reconciliation."})
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--sites", defaultValue = "3",
      description = "A count (sizes small, large, stress in turn) or a list: small,large or AUS1:small,HOU2:large.")
  String sites;

  @Option(names = "--duration", defaultValue = "5m", converter = DurationConverter.class,
      description = "Real time the demo runs (e.g. 60s, 10m); Ctrl-C ends it earlier, still reconciled.")
  Duration duration;

  @Option(names = "--speed", defaultValue = "720",
      description = "Simulated seconds per real second (720: 72 h of activity in 6 minutes).")
  double speed;

  @Option(names = "--outage",
      description = "SITE:START:LENGTH in simulated time, e.g. HOU2:6h:24h (repeatable; 'none' for no outage). "
          + "Default: the second site, from 15% of the run for 40% of it.")
  List<String> outages = new ArrayList<>();

  @Option(names = "--no-ui", description = "Log lines instead of the view refreshing in place.")
  boolean noUi;

  @Option(names = "--chaos", description = "Random link cuts, delays, resets and black holes, and one agent killed (kill -9) and restarted.")
  boolean chaos;

  @Option(names = "--data", description = "Data directory (default: a fresh temporary one, removed after a clean run).")
  Path data;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed of the trucks and the chaos.")
  long randomSeed;

  @Override
  public Integer call() throws Exception {
    List<FleetSeed.SiteSpec> specs = DemoOptions.parseSites(sites);
    Duration simulated = Duration.ofMillis((long) (duration.toMillis() * speed));
    List<DemoOptions.Outage> plays = new ArrayList<>();
    if (outages.isEmpty()) {
      plays.add(DemoOptions.defaultOutage(specs, simulated));
    } else if (!(outages.size() == 1 && outages.getFirst().equalsIgnoreCase("none"))) {
      outages.forEach(o -> plays.add(DemoOptions.parseOutage(o)));
    }
    Path dir = data != null ? data : Files.createTempDirectory("tms-demo-");
    DemoOptions options = new DemoOptions(specs, duration, speed, plays, !noUi, chaos, dir, randomSeed);
    if (options.ui()) {
      // the view owns the terminal: only warnings from the in-process cloud reach standard error
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    Demo demo = new Demo(options, DemoCommand::agentCommand, System.out);
    sun.misc.Signal interrupt = new sun.misc.Signal("INT");
    sun.misc.SignalHandler previous = sun.misc.Signal.handle(interrupt, new CtrlC(demo));
    int exit;
    try {
      exit = demo.run();
    } finally {
      sun.misc.Signal.handle(interrupt, previous);
    }
    if (data == null && exit == 0) {
      deleteTree(dir); // a clean run leaves nothing behind; a failed one keeps its logs and databases
    } else if (exit != 0) {
      System.err.println("tms demo: logs and databases kept in " + dir);
    }
    return exit;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("tms demo: could not remove " + dir + ": " + e.getMessage());
    }
  }

  /** {@code tms agent} as its own JVM, with the agent's production JVM options. */
  static List<String> agentCommand(String site, Path dataDir, int port, URI cloud) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(AgentJvm.OPTIONS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TmsCommand.class.getName(), "agent",
        "--site", site, "--data", dataDir.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--cloud", cloud.toString()));
    return AgentJvm.withEnvironment(cmd);
  }

  /** The first Ctrl-C ends the demo with its reconciliation; a second one stops at once (children are still stopped). */
  private record CtrlC(Demo demo, java.util.concurrent.atomic.AtomicBoolean pressed) implements sun.misc.SignalHandler {
    CtrlC(Demo demo) {
      this(demo, new java.util.concurrent.atomic.AtomicBoolean());
    }

    @Override
    public void handle(sun.misc.Signal signal) {
      if (pressed.compareAndSet(false, true)) {
        System.err.println();
        System.err.println("tms demo: Ctrl-C: stopping, then reconciling (Ctrl-C again to stop at once)");
        demo.requestStop();
      } else {
        System.exit(130);
      }
    }
  }
}
