package io.tms.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedData;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.seed.SeedRoster;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.api.store.EmbeddedDatabase;
import io.tms.sim.BenchReport.Better;
import io.tms.sim.TerminalSimulator.Mode;
import io.tms.sim.TerminalSimulator.Options;
import io.tms.sim.TerminalSimulator.Result;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tms bench footprint}: what the agent and the cloud cost in memory and start-up time, idle
 * and under load, each as its own JVM with its production options. The cloud starts on an embedded
 * PostgreSQL the benchmark started first (so its start is the JVM, Flyway and the HTTP server, not
 * the database); the site's master data goes into the cloud through the admin API
 * ({@link CloudSeeder}); the agent starts on the same site's seeded SQLite file with {@code --cloud},
 * so it takes the cloud's snapshot, heartbeats and syncs. Idle: both processes after a quiet
 * period. Under load: simulated terminals run paced load cycles against the agent while its outbox
 * flows up to the cloud; RSS is sampled four times a second and the peak kept.
 */
public final class FootprintBenchmark {
  public static final String SITE = "FOOT1";

  /**
   * @param agentCommand java, the agent's options, class path and main class of {@code tms}
   *     (the benchmark adds {@code agent --site …})
   * @param cloudCommand java and its options for the cloud, without class path and main class
   * @param rate load cycles per second started by all terminals together
   */
  public record Settings(SeedProfile profile, Duration idle, Duration load, int terminals, double rate,
      List<String> agentCommand, List<String> cloudCommand, Path workDir) {
    public Settings {
      if (terminals < 1) {
        throw new IllegalArgumentException("terminals must be >= 1 (was " + terminals + ")");
      }
      if (rate <= 0) {
        throw new IllegalArgumentException("rate must be > 0 (was " + rate + ")");
      }
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  public BenchReport run(Settings s) throws Exception {
    BenchReport report = new BenchReport("footprint");
    LocalDate today = LocalDate.now(DemoSeed.ZONE);
    SeedData seed = DemoSeed.generate(SITE, s.profile(), today);
    Path data = s.workDir().resolve("site-" + SITE);
    prepare(data, seed);
    try (EmbeddedDatabase pg = EmbeddedDatabase.start(s.workDir().resolve("pg"), 0)) {
      String dbUrl = "jdbc:postgresql://localhost:" + pg.port() + "/postgres";
      try (CloudUnderTest cloud = CloudUnderTest.start(dbUrl, s.cloudCommand(), Map.of("TMS_RESERVE_INTERVAL", "2s"),
          s.workDir().resolve("cloud.log"))) {
        report.add("cloud_start_to_ready_ms", cloud.startToReady().toNanos() / 1e6, "ms", Double.NaN, Better.LOWER);
        System.err.println("tms bench footprint: seeding the cloud with site " + SITE + " (" + s.profile().cliName() + ") ...");
        new CloudSeeder(cloud.base(), cloud.adminToken()).seed(seed);

        List<String> command = new ArrayList<>(s.agentCommand());
        command.addAll(List.of("agent", "--site", SITE, "--data", data.toString(), "--host", "127.0.0.1", "--port", "0",
            "--cloud", cloud.base().toString()));
        try (AgentUnderTest agent = AgentUnderTest.start(command, s.workDir().resolve("agent.log"),
            Duration.ofSeconds(60))) {
          report.add("agent_start_to_ready_ms", agent.startToReady().toNanos() / 1e6, "ms", 2_000, Better.LOWER);
          awaitSnapshot(agent.base());
          Thread.sleep(s.idle().toMillis()); // the idle period is what is measured, not a synchronization
          report.add("agent_idle_rss_mib", agent.rssMiB(), "MiB", 128, Better.LOWER)
              .add("cloud_idle_rss_mib", cloud.rssMiB(), "MiB", 512, Better.LOWER);

          System.err.println("tms bench footprint: " + s.terminals() + " terminals at " + s.rate() + " cycles/s for "
              + s.load().toSeconds() + " s ...");
          Peak peak = new Peak(agent, cloud);
          double agentCpu0 = agent.cpuSeconds();
          double cloudCpu0 = cloud.cpuSeconds();
          Thread sampler = Thread.ofPlatform().daemon().name("rss-sampler").start(peak::sample);
          Result r;
          try {
            r = new TerminalSimulator(agent.base(), DemoSeed.roster(SITE, s.profile(), today),
                new Options(s.terminals(), s.load(), 0, Mode.BENCH, 17, 1, s.rate())).run();
          } finally {
            peak.stop.countDown();
            sampler.join(5_000);
          }
          double seconds = r.elapsed().toNanos() / 1e9;
          report.add("load_phase_cycles_per_s", r.cyclesPerSecond(), "1/s", Double.NaN, Better.HIGHER)
              .add("load_phase_request_p99_ms", r.latencies().percentileMs(0.99), "ms", Double.NaN, Better.LOWER)
              .add("load_phase_request_errors", r.errors(), "count", 0, Better.LOWER)
              .add("agent_load_rss_mib", peak.agent, "MiB", 128, Better.LOWER)
              .add("cloud_load_rss_mib", peak.cloud, "MiB", 512, Better.LOWER)
              .add("agent_load_cpu_cores", (agent.cpuSeconds() - agentCpu0) / seconds, "cores", Double.NaN, Better.LOWER)
              .add("cloud_load_cpu_cores", (cloud.cpuSeconds() - cloudCpu0) / seconds, "cores", Double.NaN, Better.LOWER);
          long t0 = System.nanoTime();
          boolean caughtUp = awaitBusinessOutboxEmpty(agent.base(), Duration.ofSeconds(60));
          // not caught up: the time waited, with a note (a NaN would print as 0)
          report.add("uplink_caught_up_s", (System.nanoTime() - t0) / 1e9, "s", Double.NaN, Better.LOWER);
          if (!r.denials().isEmpty()) {
            report.note("denials: " + r.denials());
          }
          if (!caughtUp) {
            report.note("uplink_caught_up_s: the site's business outbox was still not empty 60 s after the load");
          }
        }
      }
    }
    report.note("site " + SITE + " (" + s.profile().cliName() + " profile) with --cloud; idle " + s.idle().toSeconds()
        + " s after the snapshot; load " + s.terminals() + " terminals paced at " + s.rate() + " cycles/s for "
        + s.load().toSeconds() + " s; RSS = VmRSS, peak of samples every 250 ms; cloud start = JVM start to ready"
        + " on a running PostgreSQL (Flyway included); load generator and PostgreSQL share the same cores");
    return report;
  }

  /**
   * The site's own SQLite file, seeded as {@code tms agent --seed} would (the cloud then replaces it
   * by its snapshot), with tank books no load phase can drain (a load refused TANK_INSUFFICIENT
   * would measure an empty tank).
   */
  private static void prepare(Path data, SeedData seed) {
    try (SiteDatabase db = SiteDatabase.open(data, SITE, Clock.systemUTC(), 64)) {
      db.writer().write(ctx -> {
        DemoSeed.apply(ctx, new MasterDataStore(), seed);
        ctx.handle().execute("UPDATE tank_inventory SET book_net_gal = 1000000000000");
        return null;
      });
    }
  }

  /** Waits until the agent has applied the cloud's snapshot ({@code feedRev} > 0 in its status). */
  private void awaitSnapshot(URI agent) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      JsonNode status = status(agent);
      if (status != null && status.path("feedRev").asLong(0) > 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the agent did not take the cloud's snapshot within 60 s: " + status);
      }
      Thread.sleep(100); // polling the agent's status with a deadline
    }
  }

  private boolean awaitBusinessOutboxEmpty(URI agent, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = status(agent);
      if (status != null && status.path("outbox").path("BUSINESS").path("depth").asLong(-1) == 0) {
        return true;
      }
      Thread.sleep(50); // polling the agent's status with a deadline
    }
    return false;
  }

  private JsonNode status(URI agent) throws InterruptedException {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(agent.resolve("v1/status"))
          .header("Authorization", "Bearer " + io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? json.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The highest RSS of both processes, sampled every 250 ms until stopped. */
  private static final class Peak {
    final AgentUnderTest agentProcess;
    final CloudUnderTest cloudProcess;
    final CountDownLatch stop = new CountDownLatch(1);
    volatile double agent;
    volatile double cloud;

    Peak(AgentUnderTest agentProcess, CloudUnderTest cloudProcess) {
      this.agentProcess = agentProcess;
      this.cloudProcess = cloudProcess;
      this.agent = agentProcess.rssMiB();
      this.cloud = cloudProcess.rssMiB();
    }

    void sample() {
      try {
        do {
          agent = Math.max(agent, agentProcess.rssMiB());
          cloud = Math.max(cloud, cloudProcess.rssMiB());
        } while (!stop.await(250, TimeUnit.MILLISECONDS));
        agent = Math.max(agent, agentProcess.rssMiB());
        cloud = Math.max(cloud, cloudProcess.rssMiB());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
