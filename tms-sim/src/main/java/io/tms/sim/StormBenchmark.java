package io.tms.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Json;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.auth.ApiTokens;
import io.tms.api.auth.AuthConfig;
import io.tms.api.fleet.DrainGate;
import io.tms.api.store.EmbeddedDatabase;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatV1;
import io.tms.protocol.v1.sync.HeartbeatV1.LaneBacklog;
import io.tms.protocol.v1.sync.UplinkAckV1;
import io.tms.sim.BenchReport.Better;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * {@code tms bench storm}: a reconnect storm. N sites (default 100) come back at once after an
 * outage, each with the backlog of a large site's 72 h ({@link StormBacklog}); they heartbeat every
 * 5 s and drain their outboxes at the same time, following the uplink protocol (zstd batches,
 * 409 {@code expectedFromSeq}, 429 {@code Retry-After}). Measures heartbeat latency before and
 * during the storm, the fleet view's latency, the time until every site has drained, and the
 * cloud's RSS (the cloud runs as its own process on an embedded PostgreSQL the benchmark starts).
 *
 * <p>Two steps: {@code heartbeats} (N sites heartbeating, then the fleet view must list them
 * online) and {@code drain} (the storm). The simulated sites are light: a virtual thread for the
 * heartbeat and one for the drain each, in this JVM, sharing one pre-cut backlog.
 */
public final class StormBenchmark {
  /** The admin token of the benchmark's cloud (in process or a child process), for the fleet view it probes. */
  static final String ADMIN_TOKEN = ApiTokens.newSecret();

  /**
   * @param warmup heartbeats before anything is measured (the cloud's JIT warms up; not recorded)
   * @param cloudCommand java and its options for the cloud process, without class path and main
   *     class (null: the cloud runs in this JVM, no RSS figure — for smoke tests)
   * @param warmupSites at most this many sites other than the storm's ({@link #warmupCodes}) drain
   *     the same backlog before the heartbeats' warm-up, in groups of twice the gate's K, not
   *     measured: a cloud in service has compiled its ingest path long before a region's sites come
   *     back (0: none)
   * @param warmupQuietJitUs the warm-up stops after a group whose drain cost the cloud's compiler
   *     threads at most this many µs of CPU per event (its JIT has settled)
   */
  public record Settings(
      int sites, Duration heartbeatInterval, Duration warmup, Duration calm, boolean drain, StormBacklog.Shape shape,
      Duration drainTimeout, int drainConcurrency, List<String> cloudCommand, Path workDir, int warmupSites,
      double warmupQuietJitUs) {
    public Settings(int sites, Duration heartbeatInterval, Duration warmup, Duration calm, boolean drain,
        StormBacklog.Shape shape, Duration drainTimeout, int drainConcurrency, List<String> cloudCommand, Path workDir) {
      this(sites, heartbeatInterval, warmup, calm, drain, shape, drainTimeout, drainConcurrency, cloudCommand, workDir,
          0, 1.0);
    }

    int drainingWarmupSites() {
      return drain ? warmupSites : 0;
    }
  }

  private final ObjectMapper json = Json.mapper();

  public BenchReport run(Settings s) throws Exception {
    BenchReport report = new BenchReport("storm");
    try (EmbeddedDatabase pg = EmbeddedDatabase.start(s.workDir().resolve("pg"), 0)) {
      String dbUrl = "jdbc:postgresql://localhost:" + pg.port() + "/postgres";
      try (CloudProcess cloud = CloudProcess.start(s, dbUrl)) {
        registerSites(dbUrl, siteCodes(s.sites()));
        registerSites(dbUrl, warmupCodes(s.drainingWarmupSites()));
        long g0 = System.nanoTime();
        StormBacklog backlog = StormBacklog.generate(s.drain() ? s.shape() : new StormBacklog.Shape(0, 0, 0, false, 60,
            1, 1), Instant.now(), json);
        if (s.drain()) {
          backlog.prepare(siteCodes(s.sites())); // each site's own business lane, before the clock starts
          backlog.prepare(warmupCodes(s.drainingWarmupSites()));
        }
        report.note(String.format("backlog per site: %,d business + %,d telemetry events, %,d MiB JSON (%,d MiB zstd);"
                + " generated in %.1f s", backlog.lastSeq(Lane.BUSINESS), backlog.lastSeq(Lane.TELEMETRY),
            backlog.rawBytes() >> 20, backlog.compressedBytes() >> 20, (System.nanoTime() - g0) / 1e9));
        new Storm(s, cloud.base, cloud::rssMiB, cloud::cpuSeconds, cloud::jitCpuSeconds, s.workDir().resolve("pg"), backlog,
            report).run();
      }
    }
    report.note(s.sites() + " sites, heartbeat every " + s.heartbeatInterval().toMillis() + " ms (warm-up "
        + s.warmup().toSeconds() + " s, then " + s.calm().toSeconds() + " s measured before the storm), drain gate K="
        + s.drainConcurrency() + (s.cloudCommand() == null ? ", cloud in-process (RSS not measured)" : ""));
    return report;
  }

  /**
   * The two steps against a cloud already running at {@code base} whose sites {@link #siteCodes}
   * exist (e.g. a stand-in uplink in a test, or a deployed cloud), with the backlog of an outage
   * that ended at {@code backlogEnd}; no RSS figure.
   */
  public BenchReport runAgainst(URI base, Settings s, Instant backlogEnd) throws Exception {
    BenchReport report = new BenchReport("storm");
    StormBacklog backlog = StormBacklog.generate(s.shape(), backlogEnd, json);
    backlog.prepare(siteCodes(s.sites()));
    new Storm(s, base, () -> Double.NaN, () -> Double.NaN, () -> Double.NaN, null, backlog, report).run();
    return report;
  }

  /** The simulated sites' codes: ST0001, ST0002, … */
  public static List<String> siteCodes(int n) {
    List<String> codes = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      codes.add(String.format("ST%04d", i));
    }
    return codes;
  }

  /** The warm-up sites' codes: SW0001, SW0002, … */
  static List<String> warmupCodes(int n) {
    List<String> codes = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      codes.add(String.format("SW%04d", i));
    }
    return codes;
  }

  /** The admin API to register sites is another part's; until then, rows straight into {@code site}. */
  private static void registerSites(String dbUrl, List<String> codes) throws Exception {
    try (Connection c = DriverManager.getConnection(dbUrl, "postgres", null);
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO site (code, name, zone) VALUES (?, ?, 'America/Chicago') ON CONFLICT (code) DO NOTHING")) {
      for (String code : codes) {
        ps.setString(1, code);
        ps.setString(2, "Storm site " + code);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The cloud under test: a child process (RSS measured) or in this JVM. */
  private static final class CloudProcess implements AutoCloseable {
    final URI base;
    final AgentUnderTest process;
    final Cloud inProcess;

    private CloudProcess(URI base, AgentUnderTest process, Cloud inProcess) {
      this.base = base;
      this.process = process;
      this.inProcess = inProcess;
    }

    static CloudProcess start(Settings s, String dbUrl) throws IOException {
      if (s.cloudCommand() == null) {
        Cloud c = Cloud.start(CloudConfig.external(dbUrl, "postgres", null).withHttp("127.0.0.1", 0).withEdgePlaintext(),
            AuthConfig.fromEnvironment(System.getenv()).withAdminToken(ADMIN_TOKEN));
        return new CloudProcess(URI.create("http://127.0.0.1:" + c.port()), null, c);
      }
      List<String> cmd = new ArrayList<>(s.cloudCommand());
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tms.api.CloudMain"));
      Map<String, String> env = Map.of(
          "TMS_DB_URL", dbUrl, "TMS_DB_USER", "postgres", "TMS_HTTP_HOST", "127.0.0.1", "TMS_HTTP_PORT", "0",
          "TMS_EDGE_PLAINTEXT", "true",
          "TMS_ADMIN_TOKEN", ADMIN_TOKEN,
          "TMS_DRAIN_CONCURRENCY", Integer.toString(s.drainConcurrency()),
          "TMS_FLEET_HEARTBEAT_INTERVAL", Double.toString(s.heartbeatInterval().toMillis() / 1000.0));
      AgentUnderTest p = AgentUnderTest.start(cmd, env, s.workDir().resolve("cloud.log"), Duration.ofSeconds(120));
      String b = p.base().toString();
      return new CloudProcess(URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b), p, null);
    }

    double rssMiB() {
      return process == null ? Double.NaN : process.rssMiB();
    }

    /** CPU seconds the cloud's process has used so far; NaN when it runs in this JVM. */
    double cpuSeconds() {
      return process == null ? Double.NaN : process.cpuSeconds();
    }

    /** CPU seconds the cloud's JIT compiler threads have used so far (this JVM's when it runs here). */
    double jitCpuSeconds() {
      return SyncBenchmark.jitCpuSeconds(process == null ? "self" : Long.toString(process.pid()));
    }

    @Override
    public void close() throws InterruptedException {
      if (process != null) {
        process.close();
      } else {
        inProcess.close();
      }
    }
  }

  /** One run: the simulated sites, their heartbeats and drains, the probes. */
  private final class Storm {
    final Settings s;
    final URI base;
    final DoubleSupplier rss;
    final DoubleSupplier cloudCpu;
    final DoubleSupplier cloudJitCpu;
    /** The PostgreSQL's data directory, to find its processes; null when it is not ours. */
    final Path pgDir;
    final StormBacklog backlog;
    final BenchReport report;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
    final Map<String, Map<Lane, AtomicLong>> cursors = new ConcurrentHashMap<>();
    final Instant startedAt = Instant.now().minus(Duration.ofHours(80));
    final AtomicBoolean stop = new AtomicBoolean();
    volatile LatencyRecorder heartbeats = new LatencyRecorder();
    final AtomicLong heartbeatErrors = new AtomicLong();
    final Map<Integer, String> firstRefusals = new ConcurrentHashMap<>();
    /** Written by the probe thread only. */
    volatile double maxRss = Double.NaN;

    Storm(Settings s, URI base, DoubleSupplier rss, DoubleSupplier cloudCpu, DoubleSupplier cloudJitCpu, Path pgDir,
        StormBacklog backlog, BenchReport report) {
      this.s = s;
      this.base = base;
      this.rss = rss;
      this.cloudCpu = cloudCpu;
      this.cloudJitCpu = cloudJitCpu;
      this.pgDir = pgDir;
      this.backlog = backlog;
      this.report = report;
      List<String> all = new ArrayList<>(siteCodes(s.sites()));
      all.addAll(warmupCodes(s.drainingWarmupSites()));
      for (String code : all) {
        Map<Lane, AtomicLong> c = new EnumMap<>(Lane.class);
        for (Lane lane : Lane.values()) {
          c.put(lane, new AtomicLong());
        }
        cursors.put(code, c);
      }
    }

    void run() throws Exception {
      List<Thread> beating = new ArrayList<>();
      for (String code : siteCodes(s.sites())) {
        beating.add(Thread.ofVirtual().name("hb-" + code).start(() -> heartbeatLoop(code)));
      }
      try {
        warmUpIngest();
        // step 1: heartbeats only, after a warm-up
        await(s.warmup());
        swapHeartbeats();
        await(s.calm());
        LatencyRecorder calm = swapHeartbeats();
        report.add("heartbeat_p50_ms", calm.percentileMs(0.50), "ms", Double.NaN, Better.LOWER)
            .add("heartbeat_p99_ms", calm.percentileMs(0.99), "ms", 500, Better.LOWER)
            .add("heartbeats", calm.count(), "count", Double.NaN, Better.HIGHER);
        report.add("sites_online", onlineSites(), "count", s.sites(), Better.HIGHER);
        // step 2: the storm
        if (s.drain()) {
          drain();
        } else {
          report.note("drain step not run");
        }
        report.add("heartbeat_errors", heartbeatErrors.get(), "count", 0, Better.LOWER);
        firstRefusals.forEach((status, body) -> report.note("first " + status + ": "
            + (body.length() > 300 ? body.substring(0, 300) + "..." : body)));
      } finally {
        stop.set(true);
        for (Thread t : beating) {
          t.interrupt();
          t.join(10_000);
        }
      }
    }

    /**
     * The warm-up sites drain in groups of twice the gate's K (so some queue and are refused with
     * 429s, as in the storm), while the storm's sites only heartbeat; it stops after a group whose
     * drain cost the cloud's compiler threads at most {@code warmupQuietJitUs} of CPU per event, or
     * when all have drained.
     */
    private void warmUpIngest() throws InterruptedException {
      List<String> codes = warmupCodes(s.drainingWarmupSites());
      if (codes.isEmpty()) {
        return;
      }
      AtomicLong applied = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      long t0 = System.nanoTime();
      AtomicLong drained = new AtomicLong();
      List<Double> perGroup = new ArrayList<>();
      int group = 2 * s.drainConcurrency();
      // the fleet view is read as during the storm, so that its path is compiled too (not recorded)
      CountDownLatch warm = new CountDownLatch(1);
      Thread viewer = Thread.ofVirtual().start(() -> probe(new LatencyRecorder(), warm, new AtomicLong(), t0,
          java.util.Collections.synchronizedList(new ArrayList<>())));
      try {
        warmUpGroups(codes, group, applied, refused, errors, drained, perGroup);
      } finally {
        warm.countDown();
        viewer.join();
      }
      double jitUs = perGroup.isEmpty() ? Double.NaN : perGroup.getLast();
      report.note(String.format("warm-up (not measured): %d of at most %d other sites drained the same backlog"
              + " first, %d at a time, %,d events in %.1f s, %,d 429s, %d errors; the cloud's JIT per group, µs of"
              + " CPU per event: %s", drained.get(), codes.size(), group, applied.get(),
          (System.nanoTime() - t0) / 1e9, refused.get(), errors.get(),
          String.join(", ", perGroup.stream().map(us -> String.format("%.1f", us)).toList())));
      report.add("warmup_sites_drained", drained.get(), "count", Double.NaN, Better.HIGHER)
          .add("warmup_last_jit_cpu_us_per_event", jitUs, "us", Double.NaN, Better.LOWER);
    }

    /** The warm-up's groups, one after another, until one drains with the JIT quiet. */
    private void warmUpGroups(List<String> codes, int group, AtomicLong applied, AtomicLong refused,
        AtomicLong errors, AtomicLong drained, List<Double> perGroup) throws InterruptedException {
      for (int i = 0; i < codes.size(); i += group) {
        long events0 = applied.get();
        double jit0 = cloudJitCpu.getAsDouble();
        List<Thread> drains = new ArrayList<>();
        for (String code : codes.subList(i, Math.min(i + group, codes.size()))) {
          drains.add(Thread.ofVirtual().start(() -> {
            if (drainSite(code, refused, new AtomicLong(), errors, applied, new AtomicBoolean())) {
              drained.incrementAndGet();
            }
          }));
        }
        for (Thread t : drains) {
          t.join();
        }
        double jitUs = (cloudJitCpu.getAsDouble() - jit0) * 1e6 / Math.max(1, applied.get() - events0);
        perGroup.add(jitUs);
        if (jitUs <= s.warmupQuietJitUs()) {
          break;
        }
      }
    }

    /** The drain's progress, events applied in each 10 s from its start, from the probe's samples. */
    private static String perTenSeconds(List<long[]> timeline, long total, double elapsed) {
      List<long[]> samples;
      synchronized (timeline) {
        samples = new ArrayList<>(timeline);
      }
      samples.add(new long[] {(long) (elapsed * 1e9), total});
      StringBuilder out = new StringBuilder();
      long before = 0;
      int i = 0;
      for (long end = 10_000_000_000L; before < total; end += 10_000_000_000L) {
        long upTo = before;
        while (i < samples.size() && samples.get(i)[0] <= end) {
          upTo = samples.get(i++)[1];
        }
        if (i >= samples.size() && upTo == before) {
          break;
        }
        out.append(out.isEmpty() ? "" : " ").append(String.format("%,d", upTo - before));
        before = upTo;
      }
      return out.toString();
    }

    private static String quartiles(java.util.Collection<Double> drainedAt) {
      List<Double> times = new ArrayList<>(drainedAt);
      java.util.Collections.sort(times);
      if (times.isEmpty()) {
        return "-";
      }
      StringBuilder out = new StringBuilder();
      for (int q = 1; q <= 4; q++) {
        out.append(q == 1 ? "" : " / ").append(String.format("%.1f s", times.get(Math.max(0, times.size() * q / 4 - 1))));
      }
      return out.toString();
    }

    /**
     * CPU seconds used so far by the cloud's process (NaN when it runs in this JVM), its PostgreSQL
     * (NaN when not ours), this JVM (the simulated sites, and the cloud too when it runs here) and
     * the cloud's JIT compiler threads (part of the cloud's figure).
     */
    private double[] cpu() {
      double postgres = pgDir == null ? Double.NaN : SyncBenchmark.postgresCpuSeconds(pgDir);
      return new double[] {cloudCpu.getAsDouble(), postgres, SyncBenchmark.cpuSeconds(ProcessHandle.current()),
          cloudJitCpu.getAsDouble()};
    }

    private LatencyRecorder swapHeartbeats() {
      LatencyRecorder r = heartbeats;
      heartbeats = new LatencyRecorder();
      synchronized (r) { // a copy: a heartbeat in flight may still record into the old one
        return LatencyRecorder.merge(List.of(r));
      }
    }

    private void drain() throws Exception {
      LatencyRecorder admin = new LatencyRecorder();
      Map<String, Double> drainedAt = new ConcurrentHashMap<>();
      AtomicLong refused = new AtomicLong();
      AtomicLong conflicts = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      AtomicLong applied = new AtomicLong();
      AtomicBoolean missing = new AtomicBoolean();
      CountDownLatch done = new CountDownLatch(s.sites());
      CpuSteal steal = CpuSteal.start();
      double[] cpu0 = cpu();
      long t0 = System.nanoTime();
      List<long[]> timeline = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread probe = Thread.ofVirtual().start(() -> probe(admin, done, applied, t0, timeline));
      for (String code : siteCodes(s.sites())) {
        Thread.ofVirtual().name("drain-" + code).start(() -> {
          try {
            if (drainSite(code, refused, conflicts, errors, applied, missing)) {
              drainedAt.put(code, (System.nanoTime() - t0) / 1e9);
            }
          } finally {
            done.countDown();
          }
        });
      }
      boolean finished = done.await(s.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double stolen = steal.cores();
      double[] cpu1 = cpu();
      LatencyRecorder during = swapHeartbeats();
      stop.set(true);
      probe.join(10_000);
      if (missing.get()) {
        report.note("drain skipped: the cloud has no uplink endpoint (POST /edge/v1/sites/{site}/events answered 404)");
        return;
      }
      double all = drainedAt.size() == s.sites() ? drainedAt.values().stream().mapToDouble(d -> d).max().orElse(0)
          : elapsed;
      report.add("storm_drain_s", all, "s", 30, Better.LOWER)
          .add("sites_drained", drainedAt.size(), "count", s.sites(), Better.HIGHER)
          .add("storm_heartbeat_p50_ms", during.percentileMs(0.50), "ms", Double.NaN, Better.LOWER)
          .add("storm_heartbeat_p99_ms", during.percentileMs(0.99), "ms", 500, Better.LOWER)
          .add("storm_heartbeat_max_ms", during.maxMs(), "ms", Double.NaN, Better.LOWER)
          .add("storm_fleet_view_p99_ms", admin.percentileMs(0.99), "ms", Double.NaN, Better.LOWER)
          .add("events_applied_per_s", applied.get() / Math.max(all, 1e-3), "1/s", Double.NaN, Better.HIGHER)
          .add("drain_429s", refused.get(), "count", Double.NaN, Better.LOWER)
          .add("drain_409s", conflicts.get(), "count", Double.NaN, Better.LOWER)
          .add("drain_errors", errors.get(), "count", 0, Better.LOWER)
          .add("storm_cpu_steal_cores", stolen, "cores", Double.NaN, Better.LOWER);
      long events = Math.max(applied.get(), 1);
      String[] who = {"storm_cloud", "storm_postgres", "storm_bench", "storm_cloud_jit"};
      for (int i = 0; i < who.length; i++) {
        double used = cpu1[i] - cpu0[i];
        if (!Double.isNaN(used)) {
          report.add(who[i] + "_cpu_cores", used / elapsed, "cores", Double.NaN, Better.LOWER)
              .add(who[i] + "_cpu_us_per_event", used * 1e6 / events, "us", Double.NaN, Better.LOWER);
        }
      }
      double rss = maxRss;
      if (!Double.isNaN(rss)) {
        report.add("cloud_rss_max_mib", rss, "MiB", 512, Better.LOWER);
      }
      report.note("events applied per 10 s: " + perTenSeconds(timeline, applied.get(), elapsed)
          + "; sites drained at 25/50/75/100 %: " + quartiles(drainedAt.values()));
      if (!finished) {
        report.note("drain did not finish within " + s.drainTimeout().toSeconds() + " s");
      }
    }

    /** The admin API and the cloud's RSS, sampled every half second while the storm lasts. */
    private void probe(LatencyRecorder admin, CountDownLatch done, AtomicLong applied, long t0, List<long[]> timeline) {
      maxRss = rss.getAsDouble();
      while (done.getCount() > 0 && !stop.get()) {
        long t = System.nanoTime();
        timeline.add(new long[] {t - t0, applied.get()});
        try {
          HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/v1/fleet/sites?limit=1000"))
              .header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
              HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            admin.record(System.nanoTime() - t);
          }
          double now = rss.getAsDouble();
          if (!Double.isNaN(now) && (Double.isNaN(maxRss) || now > maxRss)) {
            maxRss = now;
          }
          done.await(500, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
          // counted nowhere: the heartbeat errors tell the story
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /**
     * Drains one site, business lane first; true when both lanes are acknowledged to the end. Like
     * an agent, a site keeps up to {@link DrainGate#PER_SITE} batches in flight, the next one sent
     * while the previous applies; a refusal (409, 429) or an error settles what is in flight and
     * the site goes on from its acknowledged cursor.
     */
    private boolean drainSite(String code, AtomicLong refused, AtomicLong conflicts, AtomicLong errors,
        AtomicLong applied, AtomicBoolean missing) {
      int failures = 0;
      for (Lane lane : Lane.values()) {
        long last = backlog.lastSeq(lane);
        AtomicLong cursor = cursors.get(code).get(lane);
        long next = cursor.get() + 1; // the first seq not acknowledged
        long send = next; // the first seq not sent
        ArrayDeque<InFlight> flying = new ArrayDeque<>();
        try {
          while (next <= last) {
            if (missing.get() || stop.get()) {
              return false;
            }
            while (flying.size() < DrainGate.PER_SITE && send <= last) {
              flying.add(new InFlight(send, post(code, lane, send)));
              send = backlog.batchEnd(code, lane, send, s.shape().batchEvents()) + 1;
            }
            HttpResponse<String> r = answer(flying.poll(), errors);
            int status = r == null ? -1 : r.statusCode();
            if (status == 200) {
              UplinkAckV1 ack = json.readValue(r.body(), UplinkAckV1.class);
              applied.addAndGet(ack.applied());
              cursor.set(ack.cursor());
              next = ack.cursor() + 1;
              failures = 0;
              if (next != (flying.isEmpty() ? send : flying.peek().fromSeq())) { // not where we were going
                next = settle(flying, cursor, applied, conflicts, refused, errors);
                send = next;
              }
              continue;
            }
            next = settle(flying, cursor, applied, conflicts, refused, errors);
            send = next;
            switch (status) {
              case 409 -> {
                conflicts.incrementAndGet();
                long expected = json.readTree(r.body()).path("expectedFromSeq").asLong(next);
                next = Math.max(next, expected);
                send = next;
              }
              case 429, 503 -> {
                refused.incrementAndGet();
                long wait = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
                Thread.sleep(wait * 1000 + java.util.concurrent.ThreadLocalRandom.current().nextLong(250));
              }
              case 404 -> {
                firstRefusals.putIfAbsent(404, r.body());
                if (r.body().contains("no route") || r.body().contains("\"HTTP_404\"")) { // no such endpoint
                  missing.set(true);
                  return false;
                }
                errors.incrementAndGet();
                return false;
              }
              default -> {
                if (r != null) {
                  errors.incrementAndGet();
                  firstRefusals.putIfAbsent(status, r.body());
                }
                if (++failures > 20) {
                  return false;
                }
                Thread.sleep(500);
              }
            }
          }
        } catch (IOException e) {
          errors.incrementAndGet();
          return false;
        } catch (InterruptedException e) {
          return false;
        } finally {
          flying.forEach(f -> f.response().cancel(true));
        }
      }
      return true;
    }

    /** A batch on its way: its first seq and the answer to come. */
    private record InFlight(long fromSeq, CompletableFuture<HttpResponse<String>> response) {}

    private CompletableFuture<HttpResponse<String>> post(String code, Lane lane, long fromSeq) {
      byte[] body = backlog.body(code, lane, fromSeq, s.shape().batchEvents());
      return http.sendAsync(HttpRequest.newBuilder(uri("/edge/v1/sites/" + code + "/events"))
              .timeout(Duration.ofSeconds(120))
              .header("Content-Type", "application/json")
              .header("Content-Encoding", "zstd")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** The answer to {@code f}, or null (counted as an error) when the request failed. */
    private HttpResponse<String> answer(InFlight f, AtomicLong errors) throws InterruptedException {
      try {
        return f.response().get();
      } catch (ExecutionException e) {
        errors.incrementAndGet();
        return null;
      }
    }

    /**
     * Waits for what is still in flight after a refusal, accounts its answers (a later batch may
     * have been applied, or refused in turn) and returns the first seq not acknowledged.
     */
    private long settle(ArrayDeque<InFlight> flying, AtomicLong cursor, AtomicLong applied, AtomicLong conflicts,
        AtomicLong refused, AtomicLong errors) throws InterruptedException, IOException {
      while (!flying.isEmpty()) {
        HttpResponse<String> r = answer(flying.poll(), errors);
        if (r == null) {
          continue;
        }
        switch (r.statusCode()) {
          case 200 -> {
            UplinkAckV1 ack = json.readValue(r.body(), UplinkAckV1.class);
            applied.addAndGet(ack.applied());
            cursor.accumulateAndGet(ack.cursor(), Math::max);
          }
          case 409 -> conflicts.incrementAndGet();
          case 429, 503 -> refused.incrementAndGet();
          default -> {
            errors.incrementAndGet();
            firstRefusals.putIfAbsent(r.statusCode(), r.body());
          }
        }
      }
      return cursor.get() + 1;
    }

    private void heartbeatLoop(String code) {
      long interval = s.heartbeatInterval().toNanos();
      long next = System.nanoTime();
      while (!stop.get()) {
        long t = System.nanoTime();
        try {
          HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/edge/v1/sites/" + code + "/heartbeat"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(heartbeat(code)))).build(),
              HttpResponse.BodyHandlers.discarding());
          long took = System.nanoTime() - t;
          if (r.statusCode() == 200) {
            LatencyRecorder rec = heartbeats;
            synchronized (rec) {
              rec.record(took);
            }
          } else {
            heartbeatErrors.incrementAndGet();
            firstRefusals.putIfAbsent(r.statusCode(), "heartbeat");
          }
        } catch (IOException e) {
          heartbeatErrors.incrementAndGet();
        } catch (InterruptedException e) {
          return;
        }
        next += interval;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    private HeartbeatV1 heartbeat(String code) {
      Instant now = Instant.now();
      Map<Lane, LaneBacklog> outbox = new EnumMap<>(Lane.class);
      for (Lane lane : Lane.values()) {
        long depth = Math.max(0, backlog.lastSeq(lane) - cursors.get(code).get(lane).get());
        outbox.put(lane, new LaneBacklog(depth, depth == 0 ? 0 : 72 * 3600, 0));
      }
      return new HeartbeatV1(code, "storm-sim", null, startedAt, Duration.between(startedAt, now).toSeconds(), outbox,
          null, 0, 10L << 30, 64L << 20, 128L << 20, null, now);
    }

    private long onlineSites() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      long online = 0;
      while (System.nanoTime() < deadline) { // the cloud writes heartbeats once a second
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/fleet/sites?state=online&limit=1000"))
            .header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
            HttpResponse.BodyHandlers.ofString());
        online = r.statusCode() == 200 ? json.readTree(r.body()).get("sites").size() : 0;
        if (online >= s.sites()) {
          break;
        }
        Thread.sleep(200);
      }
      return online;
    }

    private URI uri(String path) {
      return URI.create(base + path);
    }

    private void await(Duration d) throws InterruptedException {
      Thread.sleep(d.toMillis()); // the calm phase is a measured period, not a synchronization
    }
  }
}
