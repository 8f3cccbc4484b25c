package io.tms.sim;

import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedData;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.seed.SeedRoster;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.sim.BenchReport.Better;
import io.tms.sim.TerminalSimulator.Mode;
import io.tms.sim.TerminalSimulator.Options;
import io.tms.sim.TerminalSimulator.Result;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * {@code tms bench edge}: the full load cycle (authorize → start → complete → BOL) over HTTP on
 * loopback with N concurrent terminals against one agent on the large-site data, durability as in
 * production (no answer before its commit is flushed to disk). The agent runs as its own process with the heap it has in
 * production, so its start-up time and RSS are its own; the site's reserves are topped up first
 * (as the cloud would) so that the run measures the agent, not the allocation running out.
 */
public final class EdgeBenchmark {
  public static final String SITE = "BENCH1";

  /**
   * @param agentCommand the command that starts an agent, without the agent's own options (null:
   *     run the agent inside this process, for smoke tests)
   */
  public record Settings(
      int terminals, Duration warmup, Duration measure, double pacedRate, SeedProfile profile,
      List<String> agentCommand, Path workDir) {}

  public BenchReport run(Settings s) throws Exception {
    LocalDate today = LocalDate.now(DemoSeed.ZONE);
    Path data = s.workDir().resolve("site-" + SITE);
    prepare(data, s.profile(), today);
    SeedRoster roster = DemoSeed.roster(SITE, s.profile(), today);

    BenchReport report = new BenchReport("edge");
    if (s.agentCommand() == null) {
      long t0 = System.nanoTime();
      try (Agent agent = Agent.start(
          AgentConfig.of(SITE, data).withHttp("127.0.0.1", 0), Clock.systemUTC(), null)) {
        double readyMs = (System.nanoTime() - t0) / 1e6;
        URI base = URI.create("http://127.0.0.1:" + agent.port() + "/");
        Measured r = drive(base, roster, s, () -> Double.NaN);
        Paced p = paced(base, roster, s, () -> Double.NaN);
        report(report, r, readyMs, Double.NaN);
        reportPaced(report, p);
        report.note("agent ran in-process: RSS not measured");
      }
    } else {
      List<String> command = new ArrayList<>(s.agentCommand());
      command.addAll(List.of("agent", "--site", SITE, "--data", data.toString(), "--host", "127.0.0.1", "--port", "0"));
      try (AgentUnderTest agent = AgentUnderTest.start(command, s.workDir().resolve("agent.log"), Duration.ofSeconds(60))) {
        Measured r = drive(agent.base(), roster, s, agent::cpuMillis);
        Paced p = paced(agent.base(), roster, s, agent::cpuMillis);
        report(report, r, agent.startToReady().toNanos() / 1e6, agent.rssMiB());
        reportPaced(report, p);
      }
    }
    report.note(s.terminals() + " terminals, profile " + s.profile().cliName() + ", warm-up " + s.warmup().toSeconds()
        + " s, measured " + s.measure().toSeconds() + " s flat out"
        + (s.pacedRate() > 0 ? " then " + s.measure().toSeconds() + " s paced at " + s.pacedRate() + " cycles/s" : "")
        + ", SQLite WAL, every answer after its commit's fsync");
    return report;
  }

  private static Measured drive(URI base, SeedRoster roster, Settings s, DoubleSupplier agentCpuMillis)
      throws InterruptedException {
    if (!s.warmup().isZero()) {
      new TerminalSimulator(base, roster, new Options(s.terminals(), s.warmup(), 0, Mode.BENCH, 7, 1)).run();
    }
    return measured(agentCpuMillis,
        () -> new TerminalSimulator(base, roster, new Options(s.terminals(), s.measure(), 0, Mode.BENCH, 11, 1)).run());
  }

  /** A run with the CPU time that the agent and this process (the load generator) spent on it. */
  private record Measured(Result result, double agentCpuMillis, double benchCpuMillis, double stealCores) {
    double perCycle(double cpuMillis) {
      return result.cycles() == 0 ? Double.NaN : cpuMillis / result.cycles();
    }
  }

  @FunctionalInterface
  private interface Run {
    Result run() throws InterruptedException;
  }

  private static Measured measured(DoubleSupplier agentCpuMillis, Run run) throws InterruptedException {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double agent0 = agentCpuMillis.getAsDouble();
    long bench0 = os.getProcessCpuTime();
    CpuSteal steal = CpuSteal.start();
    Result r = run.run();
    return new Measured(r, agentCpuMillis.getAsDouble() - agent0, (os.getProcessCpuTime() - bench0) / 1e6,
        steal.cores());
  }

  /**
   * The same terminals at a steady arrival rate below saturation: what a request costs when it does
   * not queue behind 31 others. (At saturation, Little's law ties mean latency to terminals ÷
   * requests per second, whatever the agent does.)
   */
  private static Paced paced(URI base, SeedRoster roster, Settings s, DoubleSupplier agentCpuMillis)
      throws InterruptedException {
    if (s.pacedRate() <= 0) {
      return null;
    }
    WriterPhases.Snapshot before = WriterPhases.scrape(base);
    Measured m = measured(agentCpuMillis, () -> new TerminalSimulator(base, roster,
        new Options(s.terminals(), s.measure(), 0, Mode.BENCH, 13, 1, s.pacedRate())).run());
    WriterPhases.Snapshot after = WriterPhases.scrape(base);
    return new Paced(m, before == null || after == null ? null : new WriterPhases(before, after));
  }

  /** The paced run, and where its writes' time went in the agent's writer (null if not scraped). */
  private record Paced(Measured measured, WriterPhases phases) {}

  private static void reportPaced(BenchReport report, Paced paced) {
    if (paced == null) {
      return;
    }
    Measured m = paced.measured();
    Result r = m.result();
    LatencyRecorder l = r.latencies();
    report.add("paced_cycles_per_s", r.cyclesPerSecond(), "1/s", Double.NaN, Better.HIGHER)
        .add("paced_request_p50_ms", l.percentileMs(0.50), "ms", Double.NaN, Better.LOWER)
        .add("paced_request_p99_ms", l.percentileMs(0.99), "ms", 5, Better.LOWER)
        .add("paced_request_max_ms", l.maxMs(), "ms", Double.NaN, Better.LOWER)
        .add("paced_request_errors", r.errors(), "count", 0, Better.LOWER);
    if (!Double.isNaN(m.agentCpuMillis())) {
      report.add("paced_agent_cpu_ms_per_cycle", m.perCycle(m.agentCpuMillis()), "ms", Double.NaN, Better.LOWER);
    }
    report.add("paced_cpu_steal_cores", m.stealCores(), "cores", Double.NaN, Better.LOWER);
    WriterPhases w = paced.phases();
    if (w != null) {
      // the agent's own account of the writer (its /metrics histograms): the request's wait for the
      // writer, its group commit's run, and the wait for the fsync that covered it
      for (String phase : WriterPhases.PHASES) {
        report.add("paced_writer_" + phase + "_p50_ms", w.quantileMs(phase, 0.50), "ms", Double.NaN, Better.LOWER)
            .add("paced_writer_" + phase + "_p99_ms", w.quantileMs(phase, 0.99), "ms", Double.NaN, Better.LOWER);
      }
      report.add("paced_writer_flush_p99_ms", w.quantileMs("flush", 0.99), "ms", Double.NaN, Better.LOWER)
          .add("paced_writer_units_per_commit", w.unitsPerCommit(), "count", Double.NaN, Better.HIGHER);
    }
  }

  private static void report(BenchReport report, Measured m, double readyMs, double rssMiB) {
    Result r = m.result();
    LatencyRecorder l = r.latencies();
    report.add("request_p50_ms", l.percentileMs(0.50), "ms", Double.NaN, Better.LOWER)
        // no target flat out: 32 terminals with no think time queue behind each other, so Little's law
        // sets the mean latency (terminals ÷ requests per second); the p99 target is the paced run's
        .add("request_p99_ms", l.percentileMs(0.99), "ms", Double.NaN, Better.LOWER)
        .add("request_max_ms", l.maxMs(), "ms", Double.NaN, Better.LOWER)
        .add("load_cycles_per_s", r.cyclesPerSecond(), "1/s", 1_000, Better.HIGHER)
        .add("requests_per_s", r.requests() / (r.elapsed().toNanos() / 1e9), "1/s", Double.NaN, Better.HIGHER)
        .add("request_errors", r.errors(), "count", 0, Better.LOWER)
        .add("agent_start_to_ready_ms", readyMs, "ms", 2_000, Better.LOWER);
    if (!Double.isNaN(m.agentCpuMillis())) {
      report.add("agent_cpu_ms_per_cycle", m.perCycle(m.agentCpuMillis()), "ms", Double.NaN, Better.LOWER);
    }
    // in-process, this JVM's CPU is the agent's and the load generator's together
    report.add(Double.isNaN(m.agentCpuMillis()) ? "process_cpu_ms_per_cycle" : "bench_cpu_ms_per_cycle",
        m.perCycle(m.benchCpuMillis()), "ms", Double.NaN, Better.LOWER);
    report.add("cpu_steal_cores", m.stealCores(), "cores", Double.NaN, Better.LOWER);
    if (!Double.isNaN(rssMiB)) {
      report.add("agent_rss_mib", rssMiB, "MiB", 128, Better.LOWER);
    }
    if (!r.denials().isEmpty()) {
      report.note("denials: " + r.denials());
    }
    report.note("HTTP statuses: " + r.statuses());
    r.firstRefusals().forEach((status, body) -> report.note("first " + status + ": " + body));
  }

  /**
   * Seeds the site database and grants it reserves no run can spend and tank books no run can drain
   * (a load refused TANK_INSUFFICIENT would measure an empty tank, not the agent).
   */
  static void prepare(Path data, SeedProfile profile, LocalDate today) {
    SeedData seed = DemoSeed.generate(SITE, profile, today);
    try (SiteDatabase db = SiteDatabase.open(data, SITE, Clock.systemUTC(), 64)) {
      db.writer().write(ctx -> {
        DemoSeed.apply(ctx, new MasterDataStore(), seed);
        ctx.handle().execute("UPDATE reserve SET granted_gal = 1000000000000");
        ctx.handle().execute("UPDATE tank_inventory SET book_net_gal = 1000000000000");
        return null;
      });
    }
  }
}
