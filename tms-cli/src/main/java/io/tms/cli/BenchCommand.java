package io.tms.cli;

import io.tms.agent.seed.SeedProfile;
import io.tms.agent.sync.UplinkSettings;
import io.tms.sim.BenchReport;
import io.tms.sim.EdgeBenchmark;
import io.tms.sim.FleetBenchmark;
import io.tms.sim.FootprintBenchmark;
import io.tms.sim.StormBacklog;
import io.tms.sim.StormBenchmark;
import io.tms.sim.SyncBenchmark;
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
    subcommands = {BenchCommand.Edge.class, BenchCommand.Sync.class, BenchCommand.Storm.class, BenchCommand.Fleet.class,
        BenchCommand.Footprint.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * java and the agent's options as in production ({@link AgentJvm#OPTIONS}) with the given heap;
   * {@code extra} options (experiments) come last, so they win.
   */
  static List<String> agentJvm(String heap, List<String> extra) {
    List<String> jvm = new ArrayList<>();
    jvm.add(ProcessHandle.current().info().command().orElse("java"));
    jvm.addAll(AgentJvm.OPTIONS);
    jvm.add("-Xmx" + heap);
    jvm.addAll(extra);
    return jvm;
  }

  /** The class path of this JVM and the main class: the rest of an agent's command. */
  static List<String> agentMain() {
    return List.of("-cp", System.getProperty("java.class.path"), TmsCommand.class.getName());
  }

  /**
   * The agent as its own JVM, started as in production: its options and, when {@code aot} is
   * fresh or can be trained now, its AOT cache.
   */
  static List<String> agentCommand(String heap, List<String> extra, AgentAotCache aot, Path work)
      throws InterruptedException {
    List<String> cmd = new ArrayList<>(agentJvm(heap, extra));
    if (Runtime.version().feature() < 25) {
      cmd.addAll(agentMain()); // AOT caches as made here need JDK 25
      return AgentJvm.withEnvironment(cmd);
    }
    if (!aot.fresh()) {
      System.err.println("tms bench: training the agent's AOT cache " + aot.file() + " (once per build) ...");
      if (!aot.train(agentJvm(heap, List.of()), agentMain(), work.resolve("aot-training"), 300)) {
        System.err.println("tms bench: no AOT cache (see " + work.resolve("aot-training.log") + "); the agent starts without");
      }
    }
    if (aot.fresh()) {
      System.err.println("tms bench: the agent uses its AOT cache " + aot.file());
      cmd.addAll(aot.useOptions());
    }
    cmd.addAll(agentMain());
    return AgentJvm.withEnvironment(cmd);
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

    @Option(names = "--paced-rate", defaultValue = "1000",
        description = "After the flat-out run, the same terminals at this many load cycles/s, the target rate, "
            + "where the p99 target applies (0 = skip).")
    double pacedRate;

    @Option(names = "--profile", defaultValue = "large", description = "Site data: small, demo, large, stress.")
    String profile;

    @Option(names = "--heap", defaultValue = "96m", description = "The agent's -Xmx.")
    String heap;

    @Option(names = "--agent-java-option", paramLabel = "OPTION",
        description = "An extra JVM option for the agent, after those of agent-jvm.options (repeatable; for experiments).")
    List<String> agentJavaOptions = new ArrayList<>();

    @Option(names = "--no-aot-cache", description = "Start the agent without its AOT cache (to measure what it saves).")
    boolean noAotCache;

    @Option(names = "--in-process", description = "Run the agent inside this JVM (no RSS figure).")
    boolean inProcess;

    @Option(names = "--work-dir", description = "Where the run's files go (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Path work = workDir("edge", workDir);
      List<String> agent = null;
      if (!inProcess) {
        agent = noAotCache
            ? concat(agentJvm(heap, agentJavaOptions), agentMain())
            : agentCommand(heap, agentJavaOptions, AgentAotCache.forClassPath(System.getProperty("java.class.path")), work);
      }
      BenchReport report = new EdgeBenchmark().run(new EdgeBenchmark.Settings(
          terminals, warmup, duration, pacedRate, SeedProfile.parse(profile), agent, work));
      print(report, json, work, workDir);
      return 0;
    }

    private static List<String> concat(List<String> a, List<String> b) {
      List<String> all = new ArrayList<>(a);
      all.addAll(b);
      return all;
    }
  }

  @Command(name = "storm", mixinStandardHelpOptions = true,
      description = {"A reconnect storm: N sites come back at once, heartbeat every 5 s and drain a large site's 72 h",
          "backlog each (gzip uplink batches, 409/429 handled). The cloud runs as its own process on an embedded",
          "PostgreSQL. Targets: all drained <= 30 s, heartbeat p99 <= 500 ms throughout, cloud RSS <= 512 MiB."})
  static final class Storm implements Callable<Integer> {
    @Option(names = "--sites", defaultValue = "100", description = "Simulated sites.")
    int sites;

    @Option(names = "--heartbeat-interval", defaultValue = "5s", converter = DurationConverter.class)
    Duration heartbeatInterval;

    @Option(names = "--warmup", defaultValue = "15s", converter = DurationConverter.class,
        description = "Heartbeats before anything is measured (the cloud warms up).")
    Duration warmup;

    @Option(names = "--calm", defaultValue = "15s", converter = DurationConverter.class,
        description = "Heartbeats only, before the storm (the baseline latency).")
    Duration calm;

    @Option(names = "--no-drain", description = "Only the heartbeat step (no uplink).")
    boolean noDrain;

    @Option(names = "--drain-timeout", defaultValue = "300s", converter = DurationConverter.class)
    Duration drainTimeout;

    @Option(names = "--warmup-sites", defaultValue = "40",
        description = "At most this many other sites drain the same backlog first, 2K at a time (K: the drain gate's),"
            + " not measured, so that the cloud has compiled its ingest path as one in service has (0: a cold cloud).")
    int warmupSites;

    @Option(names = "--warmup-quiet-jit-us", defaultValue = "1.0",
        description = "The warm-up stops after a group of sites whose drain cost the cloud's JIT compilers at most"
            + " this many µs of CPU per event.")
    double warmupQuietJitUs;

    @Option(names = "--drain-concurrency", defaultValue = "2", description = "K of the cloud's drain gate.")
    int drainConcurrency;

    @Option(names = "--backlog-hours", defaultValue = "72", description = "Outage length (loads scale with it).")
    int backlogHours;

    @Option(names = "--no-arm-telemetry", description = "Tank telemetry only.")
    boolean noArmTelemetry;

    @Option(names = "--batch-bytes", description = "Uncompressed bytes of bodies per site batch (default ${DEFAULT-VALUE}).")
    int batchBytes = StormBacklog.Shape.largeSite72h().batchBytes();

    @Option(names = "--batch-events", description = "Events per site batch at most (default ${DEFAULT-VALUE}).")
    int batchEvents = StormBacklog.Shape.largeSite72h().batchEvents();

    @Option(names = "--tiny", description = "A tiny backlog (a few loads), to try the harness.")
    boolean tiny;

    @Option(names = "--heap", defaultValue = "320m",
        description = "The cloud's -Xmx (320m: the image's MaxRAMPercentage=62.5 at its 512 MiB limit).")
    String heap;

    @Option(names = "--in-process", description = "Run the cloud inside this JVM (no RSS figure).")
    boolean inProcess;

    @Option(names = "--cloud-java-option", paramLabel = "OPTION",
        description = "An extra JVM option for the cloud process, after -Xmx (repeatable; for experiments).")
    List<String> cloudJavaOptions = new ArrayList<>();

    @Option(names = "--work-dir", description = "Where the run's files go (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Path work = workDir("storm", workDir);
      StormBacklog.Shape large = StormBacklog.Shape.largeSite72h();
      StormBacklog.Shape shape = tiny ? StormBacklog.Shape.tiny() : new StormBacklog.Shape(
          large.loads() * backlogHours / 72, backlogHours, large.tanks(), !noArmTelemetry, large.blockMinutes(),
          batchEvents, batchBytes);
      List<String> cloud = null;
      if (!inProcess) {
        cloud = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heap));
        cloud.addAll(cloudJavaOptions);
      }
      BenchReport report = new StormBenchmark().run(new StormBenchmark.Settings(
          sites, heartbeatInterval, warmup, calm, !noDrain, shape, drainTimeout, drainConcurrency, cloud, work,
          warmupSites, warmupQuietJitUs));
      print(report, json, work, workDir);
      return 0;
    }
  }

  @Command(name = "sync", mixinStandardHelpOptions = true,
      description = {"The uplink: a site's SQLite outbox into the cloud's PostgreSQL (durability on at both ends).",
          "Targets: >= 50,000 events/s sustained; the large site's 72 h outage backlog applied <= 0.5 s after the"
              + " link returns."})
  static final class Sync implements Callable<Integer> {
    @Option(names = "--sustained-loads", defaultValue = "30000", description = "Loads in the sustained run (~10 events each).")
    int sustainedLoads;

    @Option(names = "--backlog-loads", defaultValue = "1500", description = "Loads of the outage (DESIGN §10 large site).")
    int backlogLoads;

    @Option(names = "--backlog-hours", defaultValue = "72", description = "Hours of the outage.")
    int backlogHours;

    @Option(names = "--tanks", defaultValue = "40")
    int tanks;

    @Option(names = "--arms", defaultValue = "64")
    int arms;

    @Option(names = "--batch-bytes",
        description = "Uncompressed bytes per uplink batch (default: the agent's, ${DEFAULT-VALUE}).")
    int batchBytes = UplinkSettings.DEFAULT_BATCH_BYTES;

    @Option(names = "--warmup-loads", defaultValue = "12000",
        description = "Loads (and 24 h of telemetry) drained by a first warm-up site, not measured (0: no warm-up).")
    int warmupLoads;

    @Option(names = "--warmup-quiet-jit-us", defaultValue = "1.0",
        description = "Then warm-up sites of half as many loads (and 24 h of telemetry) until one costs the cloud's JIT compilers at most"
            + " this many µs of CPU per event.")
    double warmupQuietJitUs;

    @Option(names = "--warmup-max-rounds", defaultValue = "10", description = "At most this many warm-up sites.")
    int warmupMaxRounds;

    @Option(names = "--heap", defaultValue = "128m", description = "The agent's -Xmx.")
    String heap;

    @Option(names = "--agent-java-option", paramLabel = "OPTION",
        description = "An extra JVM option for the agent, after those of agent-jvm.options (repeatable; for experiments).")
    List<String> agentJavaOptions = new ArrayList<>();

    @Option(names = "--in-process", description = "Run the agent inside this JVM.")
    boolean inProcess;

    @Option(names = "--work-dir", description = "Where the run's files go (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Path work = workDir("sync", workDir);
      List<String> agent = null;
      if (!inProcess) {
        agent = agentCommand(heap, agentJavaOptions, AgentAotCache.forClassPath(System.getProperty("java.class.path")),
            work);
      }
      BenchReport report = new SyncBenchmark().run(new SyncBenchmark.Settings(
          sustainedLoads, backlogLoads, backlogHours, tanks, arms, batchBytes, agent, work, warmupLoads,
          warmupQuietJitUs, Math.max(1, warmupMaxRounds)));
      print(report, json, work, workDir);
      return 0;
    }
  }

  /** The given work directory (created if missing), or a new temporary one. */
  static Path workDir(String bench, Path given) throws java.io.IOException {
    return given == null ? Files.createTempDirectory("tms-bench-" + bench) : Files.createDirectories(given);
  }

  /**
   * Prints a report: one JSON object on standard output, or the table and where the work files are.
   * A temporary work directory (no {@code --work-dir}) is removed afterwards: a sync or storm run
   * leaves gigabytes of databases behind.
   */
  static void print(BenchReport report, boolean json, Path work, Path given) {
    if (json) {
      System.out.println(report.toJson());
    } else {
      report.printTable(System.out);
    }
    if (given == null) {
      deleteTree(work);
      if (!json) {
        System.out.println("work files removed (--work-dir DIR keeps them)");
      }
    } else if (!json) {
      System.out.println("work directory: " + work);
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (java.io.IOException e) {
          // a file still held by a child process that is going away: leave it
        }
      });
    } catch (java.io.IOException e) {
      System.err.println("tms bench: could not remove " + dir + ": " + e.getMessage());
    }
  }

  @Command(name = "fleet", mixinStandardHelpOptions = true,
      description = {"The fleet of DESIGN §10: N heartbeat sources (default 10,000) at one heartbeat every 10 s each against",
          "one cloud (its own JVM, embedded PostgreSQL), and the fleet view under that load.",
          "Targets: heartbeat p99 <= 500 ms, no errors, cloud CPU <= 0.5 cores, cloud RSS <= 512 MiB."})
  static final class Fleet implements Callable<Integer> {
    @Option(names = "--sources", defaultValue = "10000", description = "Simulated heartbeat sources (sites).")
    int sources;

    @Option(names = "--interval", defaultValue = "10s", converter = DurationConverter.class,
        description = "Time between two heartbeats of one source.")
    Duration interval;

    @Option(names = "--warmup", defaultValue = "20s", converter = DurationConverter.class,
        description = "Heartbeats before anything is measured (at least one interval).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
        description = "The measured window.")
    Duration duration;

    @Option(names = "--connections", defaultValue = "64",
        description = "Keep-alive connections the sources share (what is in flight at most).")
    int connections;

    @Option(names = "--heap", defaultValue = "384m", description = "The cloud's -Xmx.")
    String heap;

    @Option(names = "--in-process", description = "Run the cloud inside this JVM (no CPU or RSS figure).")
    boolean inProcess;

    @Option(names = "--work-dir", description = "Where the run's files go (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Path work = workDir("fleet", workDir);
      List<String> cloud = inProcess ? null : cloudJvm(heap);
      System.err.printf("tms bench fleet: %,d sources every %d ms, warm-up %d s, measured %d s ...%n", sources,
          interval.toMillis(), warmup.toSeconds(), duration.toSeconds());
      print(new FleetBenchmark().run(new FleetBenchmark.Settings(sources, interval, warmup, duration, connections, cloud, work)),
          json, work, workDir);
      return 0;
    }
  }

  @Command(name = "footprint", mixinStandardHelpOptions = true,
      description = {"Agent and cloud memory (RSS) and start-up time, idle and under load: each its own JVM with its",
          "production options; the site syncs with the cloud while simulated terminals load trucks.",
          "Targets: agent RSS <= 128 MiB, agent start to ready <= 2 s, cloud RSS <= 512 MiB."})
  static final class Footprint implements Callable<Integer> {
    @Option(names = "--profile", defaultValue = "large", description = "Site data: small, demo, large, stress.")
    String profile;

    @Option(names = "--idle", defaultValue = "10s", converter = DurationConverter.class,
        description = "Quiet time after the agent took the cloud's snapshot, before the idle figures.")
    Duration idle;

    @Option(names = "--load", defaultValue = "30s", converter = DurationConverter.class,
        description = "How long the terminals load trucks.")
    Duration load;

    @Option(names = "--terminals", defaultValue = "32", description = "Simulated terminals during the load.")
    int terminals;

    @Option(names = "--rate", defaultValue = "100", description = "Load cycles per second of all terminals together.")
    double rate;

    @Option(names = "--heap", defaultValue = "96m", description = "The agent's -Xmx (production: 96m).")
    String heap;

    @Option(names = "--cloud-heap", defaultValue = "384m", description = "The cloud's -Xmx.")
    String cloudHeap;

    @Option(names = "--no-aot-cache", description = "Start the agent without its AOT cache.")
    boolean noAotCache;

    @Option(names = "--agent-java-option", paramLabel = "OPTION",
        description = "An extra JVM option for the agent, after those of agent-jvm.options (repeatable; for experiments).")
    List<String> agentJavaOptions = new ArrayList<>();

    @Option(names = "--work-dir", description = "Where the run's files go (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Path work = workDir("footprint", workDir);
      List<String> agent = noAotCache
          ? Edge.concat(agentJvm(heap, agentJavaOptions), agentMain())
          : agentCommand(heap, agentJavaOptions, AgentAotCache.forClassPath(System.getProperty("java.class.path")),
              work);
      print(new FootprintBenchmark().run(new FootprintBenchmark.Settings(SeedProfile.parse(profile), idle, load,
          terminals, rate, agent, cloudJvm(cloudHeap), work)), json, work, workDir);
      return 0;
    }
  }

  /** java and the options a cloud replica runs with in a benchmark. */
  static List<String> cloudJvm(String heap) {
    return List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heap);
  }
}
