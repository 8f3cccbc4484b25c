package io.tms.sim;

import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.sync.UplinkSettings;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.protocol.v1.Lane;
import io.tms.sim.BenchReport.Better;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tms bench sync}: the uplink from a site's SQLite outbox into the cloud's PostgreSQL, both
 * with durability on, on this machine. Two runs, each with its own site and a {@link LinkSwitch}
 * standing for the link: the agent starts with the link down (so its start is not measured), the
 * link comes up, and the cloud's cursor is polled until it holds the whole outbox.
 * <ol>
 *   <li><b>sustained</b> — a business outbox of many loads: events/s from link up to all applied.
 *   <li><b>outage backlog</b> — the large site's 72 h (DESIGN §10): its loads with their events, the
 *       hourly gauge readings and 72 h of telemetry; time from link up to all of it applied.
 * </ol>
 */
public final class SyncBenchmark {
  static final String WARMUP_SITE = "SYNC0";
  static final String SUSTAINED_SITE = "SYNC1";
  static final String BACKLOG_SITE = "SYNC2";

  /**
   * @param sustainedLoads loads in the sustained run's outbox (about 10 events each)
   * @param backlogLoads loads of the outage (DESIGN §10: ~1,500 in 72 h at the large site)
   * @param backlogHours hours of the outage (telemetry and gauge readings)
   * @param agentCommand the agent as a child process ({@code tms} without arguments), or null to
   *     run it in this JVM
   */
  /**
   * @param warmupLoads loads of the first warm-up site (and 24 h of telemetry); 0 for no warm-up
   * @param warmupQuietJitUs the warm-up goes on, a site of {@code warmupLoads / 2} loads at a time,
   *     until a site's drain costs the cloud's compiler threads at most this many µs per event
   * @param warmupMaxRounds at most this many warm-up sites in all
   */
  public record Settings(int sustainedLoads, int backlogLoads, int backlogHours, int tanks, int arms, int batchBytes,
      List<String> agentCommand, Path workDir, int warmupLoads, double warmupQuietJitUs, int warmupMaxRounds) {
    public Settings(int sustainedLoads, int backlogLoads, int backlogHours, int tanks, int arms, int batchBytes,
        List<String> agentCommand, Path workDir) {
      this(sustainedLoads, backlogLoads, backlogHours, tanks, arms, batchBytes, agentCommand, workDir, 0);
    }

    /** One warm-up site of {@code warmupLoads}, whatever the compiler is still doing. */
    public Settings(int sustainedLoads, int backlogLoads, int backlogHours, int tanks, int arms, int batchBytes,
        List<String> agentCommand, Path workDir, int warmupLoads) {
      this(sustainedLoads, backlogLoads, backlogHours, tanks, arms, batchBytes, agentCommand, workDir, warmupLoads,
          Double.POSITIVE_INFINITY, 1);
    }
  }

  /** The warm-up as it went: sites drained, their events, the compiler's CPU per event in the last one. */
  record Warmup(int rounds, long events, double lastJitUsPerEvent) {}

  public BenchReport run(Settings s) throws Exception {
    Instant end = Instant.now();
    long b0 = System.nanoTime();
    OutboxWorkload.Stats warmup = s.warmupLoads() <= 0 ? null : new OutboxWorkload(WARMUP_SITE, s.tanks(), s.arms(), 3)
        .build(s.workDir().resolve(WARMUP_SITE), s.warmupLoads(), 24, end, true);
    OutboxWorkload.Stats sustained = new OutboxWorkload(SUSTAINED_SITE, s.tanks(), s.arms(), 1)
        .build(s.workDir().resolve(SUSTAINED_SITE), s.sustainedLoads(), 72, end, false);
    OutboxWorkload.Stats backlog = new OutboxWorkload(BACKLOG_SITE, s.tanks(), s.arms(), 2)
        .build(s.workDir().resolve(BACKLOG_SITE), s.backlogLoads(), s.backlogHours(), end, true);
    double buildS = (System.nanoTime() - b0) / 1e9;

    BenchReport report = new BenchReport("sync");
    try (Cloud cloud = Cloud.start(CloudConfig.embedded(s.workDir().resolve("cloud")).withHttp("127.0.0.1", 0).withEdgePlaintext())) {
      Map<String, String> durability = cloud.database().settings("fsync", "synchronous_commit");
      for (String site : List.of(WARMUP_SITE, SUSTAINED_SITE, BACKLOG_SITE)) {
        register(cloud, site);
      }
      Warmup warm = warmup == null ? new Warmup(0, 0, Double.NaN) : warmUp(cloud, s, warmup, end);
      Drain a = drain(cloud, s, SUSTAINED_SITE, sustained, true);
      Drain b = drain(cloud, s, BACKLOG_SITE, backlog, true);

      report.add("uplink_events_per_s", sustained.events() / a.allApplied(), "events/s", 50_000, Better.HIGHER);
      report.add("sustained_mib_per_s", sustained.bytes() / a.allApplied() / (1 << 20), "MiB/s", Double.NaN, Better.HIGHER);
      report.add("backlog_72h_events", backlog.events(), "events", Double.NaN, Better.HIGHER);
      report.add("backlog_72h_business_events", backlog.businessEvents(), "events", Double.NaN, Better.HIGHER);
      report.add("backlog_72h_mib", backlog.bytes() / (double) (1 << 20), "MiB", Double.NaN, Better.LOWER);
      report.add("backlog_link_up_to_first_ms", b.firstApplied() * 1000, "ms", Double.NaN, Better.LOWER);
      report.add("backlog_business_applied_s", b.businessApplied(), "s", Double.NaN, Better.LOWER);
      report.add("backlog_apply_s", b.allApplied(), "s", 0.5, Better.LOWER);
      report.add("backlog_events_per_s", backlog.events() / b.allApplied(), "events/s", Double.NaN, Better.HIGHER);
      report.add("sustained_agent_cpu_us_per_event", a.agentCpuS() * 1e6 / sustained.events(), "us", Double.NaN,
          Better.LOWER);
      report.add("sustained_cloud_cpu_us_per_event", a.cloudCpuS() * 1e6 / sustained.events(), "us", Double.NaN,
          Better.LOWER);
      report.add("sustained_postgres_cpu_us_per_event", a.postgresCpuS() * 1e6 / sustained.events(), "us", Double.NaN,
          Better.LOWER);
      report.add("backlog_agent_cpu_us_per_event", b.agentCpuS() * 1e6 / backlog.events(), "us", Double.NaN,
          Better.LOWER);
      report.add("backlog_cloud_cpu_us_per_event", b.cloudCpuS() * 1e6 / backlog.events(), "us", Double.NaN,
          Better.LOWER);
      report.add("backlog_postgres_cpu_us_per_event", b.postgresCpuS() * 1e6 / backlog.events(), "us", Double.NaN,
          Better.LOWER);
      report.add("sustained_cloud_jit_cpu_us_per_event", a.jitCpuS() * 1e6 / sustained.events(), "us", Double.NaN,
          Better.LOWER);
      report.add("backlog_cloud_jit_cpu_us_per_event", b.jitCpuS() * 1e6 / backlog.events(), "us", Double.NaN,
          Better.LOWER);
      report.add("sustained_cpu_steal_cores", a.stealCores(), "cores", Double.NaN, Better.LOWER);
      report.add("backlog_cpu_steal_cores", b.stealCores(), "cores", Double.NaN, Better.LOWER);
      report.add("warmup_events", warm.events(), "events", Double.NaN, Better.HIGHER);
      report.add("warmup_last_jit_cpu_us_per_event", warm.lastJitUsPerEvent(), "us", Double.NaN, Better.LOWER);
      report.add("mqtt_qos1_reference", 15_000, "events/s", Double.NaN, Better.HIGHER);
      report.note("sustained: " + sustained.businessEvents() + " business events (" + s.sustainedLoads() + " loads, "
          + String.format("%.1f", sustained.businessBytes() / (double) (1 << 20)) + " MiB of bodies)");
      report.note("backlog: " + s.backlogLoads() + " loads in " + s.backlogHours() + " h, " + s.tanks() + " tanks, "
          + s.arms() + " arms; business " + backlog.businessEvents() + " events / "
          + String.format("%.1f", backlog.businessBytes() / (double) (1 << 20)) + " MiB, telemetry "
          + backlog.telemetryEvents() + " blocks / " + String.format("%.1f", backlog.telemetryBytes() / (double) (1 << 20))
          + " MiB");
      report.note("batches of " + s.batchBytes() / 1024 + " KiB at most (uncompressed bodies; the first 64 KiB, doubling), zstd level 1 (the agent's default); agent "
          + (s.agentCommand() == null ? "in this JVM" : "as its own process") + "; SQLite WAL, every commit flushed before it is answered or sent;"
          + " PostgreSQL 17 fsync=" + durability.get("fsync") + " synchronous_commit=" + durability.get("synchronous_commit"));
      report.note(warmup == null ? "no warm-up: the cloud's JIT compiles during the sustained run"
          : String.format("warm-up (not measured): %d sites, %d events (the first %d loads and 24 h of telemetry,"
              + " then %d loads a site) until a site's drain cost the cloud's compilers <= %.1f us per event"
              + " (last: %.1f) or %d sites", warm.rounds(), warm.events(), s.warmupLoads(), s.warmupLoads() / 2,
              s.warmupQuietJitUs(), warm.lastJitUsPerEvent(), s.warmupMaxRounds()));
      report.note(String.format("outboxes built in %.1f s (not measured)", buildS));
    }
    return report;
  }

  /**
   * Drains warm-up sites into the cloud until its JIT has compiled the ingest path: a cloud in
   * service did that long before an outage ends, so compiling is not what the measured runs should
   * measure. The first site is {@code first} (loads and telemetry); then sites of {@code warmupLoads / 2}
   * loads and 24 h of telemetry, one after the other (with business alone in them, the cloud's JIT
   * went on compiling the telemetry path in the backlog's window: 6.5-14.4 us per event there),
   * until one's drain cost the compiler threads at most {@code warmupQuietJitUs} per event, or
   * {@code warmupMaxRounds} sites have drained. Each site is built just before it drains.
   */
  private Warmup warmUp(Cloud cloud, Settings s, OutboxWorkload.Stats first, Instant end) throws Exception {
    Drain d = drain(cloud, s, WARMUP_SITE, first, false);
    long events = first.events();
    double jit = d.jitCpuS() * 1e6 / first.events();
    int rounds = 1;
    System.err.printf("tms bench: warm-up site %s, %d events, the cloud's JIT %.1f us per event%n", WARMUP_SITE,
        first.events(), jit);
    while (rounds < s.warmupMaxRounds() && !(jit <= s.warmupQuietJitUs())) {
      String site = WARMUP_SITE + (char) ('A' + rounds - 1);
      OutboxWorkload.Stats next = new OutboxWorkload(site, s.tanks(), s.arms(), 10 + rounds)
          .build(s.workDir().resolve(site), Math.max(1, s.warmupLoads() / 2), 24, end, true);
      register(cloud, site);
      d = drain(cloud, s, site, next, false);
      events += next.events();
      jit = d.jitCpuS() * 1e6 / next.events();
      rounds++;
      System.err.printf("tms bench: warm-up site %s, %d events, the cloud's JIT %.1f us per event%n", site,
          next.events(), jit);
      deleteTree(s.workDir().resolve(site)); // gigabytes over many rounds
    }
    return new Warmup(rounds, events, jit);
  }

  /** The site's row in the cloud, as the admin API would make it. */
  private static void register(Cloud cloud, String site) {
    cloud.database().jdbi().useHandle(h -> h.execute(
        "INSERT INTO site (code, name, zone) VALUES (?, ?, 'America/Chicago') ON CONFLICT DO NOTHING", site,
        "Bench " + site));
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  /** Seconds from link up to: the first batch applied, the business lane applied, everything applied. */
  record Drain(double firstApplied, double businessApplied, double allApplied, double agentCpuS, double cloudCpuS,
      double postgresCpuS, double jitCpuS, double stealCores) {}

  /**
   * CPU seconds used so far by the agent process (NaN when it runs in this JVM), by the cloud (this
   * JVM plus its PostgreSQL) and by PostgreSQL alone: the postmaster (it detaches from this JVM, so
   * it is found by its data directory) and its backends. Wall-clock figures on a shared machine move
   * with the neighbours' load; CPU per event does much less.
   */
  private static double[] cpu(Long agentPid, Path cloudDir) {
    double agent = Double.NaN;
    if (agentPid != null) {
      agent = ProcessHandle.of(agentPid).map(SyncBenchmark::cpuSeconds).orElse(Double.NaN);
    }
    double postgres = postgresCpuSeconds(cloudDir);
    return new double[] {agent, cpuSeconds(ProcessHandle.current()) + postgres, postgres, jitCpuSeconds()};
  }

  /**
   * CPU seconds this JVM's JIT compiler threads (C1 and C2) have used, from {@code /proc/self/task}
   * (Linux; NaN elsewhere): part of the cloud's CPU in a run, but a cost a cloud in service paid
   * long before, so it is reported apart. Kernel ticks, 10 ms resolution.
   */
  static double jitCpuSeconds() {
    return jitCpuSeconds("self");
  }

  /** As {@link #jitCpuSeconds()}, of the process {@code pid} ("self": this JVM). */
  static double jitCpuSeconds(String pid) {
    Path tasks = Path.of("/proc", pid, "task");
    if (!java.nio.file.Files.isDirectory(tasks)) {
      return Double.NaN;
    }
    long ticks = 0;
    try (var dirs = java.nio.file.Files.list(tasks)) {
      for (Path task : dirs.toList()) {
        String stat;
        try {
          stat = java.nio.file.Files.readString(task.resolve("stat"));
        } catch (java.io.IOException e) {
          continue; // the thread ended meanwhile
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
          String[] f = stat.substring(close + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        }
      }
    } catch (java.io.IOException e) {
      return Double.NaN;
    }
    return ticks / 100.0; // USER_HZ
  }

  /**
   * CPU seconds used so far by the PostgreSQL whose data directory is under {@code dir}: the
   * postmaster (it detaches from the JVM that started it, so it is found by its arguments) and its
   * backends.
   */
  static double postgresCpuSeconds(Path dir) {
    String d = dir.toString();
    double postgres = 0;
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      if (p.info().arguments().map(a -> String.join(" ", a).contains(d)).orElse(false)) {
        postgres += cpuSeconds(p) + p.descendants().mapToDouble(SyncBenchmark::cpuSeconds).sum();
      }
    }
    return postgres;
  }

  static double cpuSeconds(ProcessHandle p) {
    return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /**
   * Drains {@code site}'s outbox through a fresh agent; {@code measured}: PostgreSQL is first left
   * with nothing of the earlier drains to do ({@link #quiesce}), not needed before a warm-up site.
   */
  private Drain drain(Cloud cloud, Settings s, String site, OutboxWorkload.Stats stats, boolean measured)
      throws Exception {
    Path data = s.workDir().resolve(site);
    try (LinkSwitch link = new LinkSwitch(cloud.port(), false)) {
      URI cloudUrl = URI.create("http://127.0.0.1:" + link.port());
      AutoCloseable agent;
      if (s.agentCommand() == null) {
        agent = Agent.start(AgentConfig.of(site, data).withHttp("127.0.0.1", 0).withCloud(cloudUrl), Clock.systemUTC(),
            null, UplinkSettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
                .withBatchBytes(s.batchBytes()));
      } else {
        List<String> command = new ArrayList<>(s.agentCommand());
        command.addAll(List.of("agent", "--site", site, "--data", data.toString(), "--host", "127.0.0.1", "--port", "0",
            "--cloud", cloudUrl.toString()));
        agent = AgentUnderTest.start(command, Map.of("TMS_UPLINK_BACKOFF_INITIAL", "5ms", "TMS_UPLINK_BACKOFF_MAX", "50ms",
            "TMS_UPLINK_BATCH_BYTES", Integer.toString(s.batchBytes())), s.workDir().resolve("agent-" + site + ".log"),
            Duration.ofSeconds(60));
      }
      try (agent; Connection c = cloud.database().dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT lane, seq FROM edge_cursor WHERE site_code = ?")) {
        ps.setString(1, site);
        if (measured) {
          quiesce(c);
        }
        Thread.sleep(300); // let the agent find the link down (its backoff is capped at 50 ms)
        Long agentPid = agent instanceof AgentUnderTest a ? a.pid() : null;
        double[] cpu0 = cpu(agentPid, s.workDir().resolve("cloud"));
        CpuSteal steal = CpuSteal.start();
        long t0 = System.nanoTime();
        link.up();
        double first = Double.NaN;
        double business = stats.businessEvents() == 0 ? 0 : Double.NaN;
        long deadline = t0 + Duration.ofMinutes(10).toNanos();
        while (true) {
          long[] cur = cursors(ps);
          double now = (System.nanoTime() - t0) / 1e9;
          if (Double.isNaN(first) && cur[0] + cur[1] > 0) {
            first = now;
          }
          if (Double.isNaN(business) && cur[0] >= stats.businessEvents()) {
            business = now;
          }
          if (cur[0] >= stats.businessEvents() && cur[1] >= stats.telemetryEvents()) {
            double[] cpu1 = cpu(agentPid, s.workDir().resolve("cloud"));
            return new Drain(first, business, now, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1], cpu1[2] - cpu0[2],
                cpu1[3] - cpu0[3], steal.cores());
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("site " + site + " not drained in 10 minutes (cursors " + cur[0] + ", "
                + cur[1] + ")");
          }
          Thread.sleep(10);
        }
      }
    }
  }

  /**
   * Leaves PostgreSQL nothing of the previous drain to do in this one's window: without it, an
   * autovacuum of the rows the previous run inserted (insert-triggered since PostgreSQL 13) ran during
   * the backlog's second and took up to 0.6 s of CPU (measured with per-process CPU), on the two cores
   * the drain needs and in its PostgreSQL figure. A {@code VACUUM (ANALYZE)} now (not measured), then
   * a wait for any autovacuum worker still running (at most 60 s).
   */
  private static void quiesce(Connection c) throws SQLException, InterruptedException {
    try (java.sql.Statement st = c.createStatement()) {
      st.execute("VACUUM (ANALYZE)");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = st.executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
        Thread.sleep(50);
      }
    }
  }

  private static long[] cursors(PreparedStatement ps) throws SQLException {
    long[] out = new long[2];
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out[Lane.valueOf(rs.getString(1)).ordinal()] = rs.getLong(2);
      }
    }
    return out;
  }
}
