package io.tms.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Json;
import io.tms.api.store.EmbeddedDatabase;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatV1;
import io.tms.protocol.v1.sync.HeartbeatV1.LaneBacklog;
import io.tms.sim.BenchReport.Better;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tms bench fleet}: DESIGN §10's fleet — 10,000 simulated heartbeat sources, one heartbeat
 * every 10 s each (1,000 per second), against one cloud replica over real HTTP on loopback. The
 * cloud runs as its own JVM on an embedded PostgreSQL the benchmark starts, so its CPU time and
 * RSS are its own. While the heartbeats flow, a probe reads the fleet view (the first page of
 * 1,000 sites) once a second, as a dashboard would: the admin API must stay usable under that load.
 *
 * <p>Each source is a virtual thread; all share a pool of keep-alive connections ({@link LoopbackHttp},
 * 64 by default, as a load balancer in front of the replicas would pool them): a pool bounds what
 * is in flight, where a connection per request would pile up thousands of sockets as soon as the
 * cloud slows down, and the generator's CPU stays small. A heartbeat's latency runs from asking
 * for a connection to the answer, so waiting for a free connection counts. Sources start spread
 * evenly over one interval and keep a fixed rate (a late heartbeat does not shift the next one), so
 * the offered load is steady. After a warm-up (every source has sent at least once, the cloud's JIT is
 * warm) one window is measured. Thread-safe only as used: one run at a time.
 */
public final class FleetBenchmark {
  /**
   * @param cloudCommand java and its options for the cloud process, without class path and main
   *     class (null: the cloud runs in this JVM, no CPU or RSS figure — for smoke tests)
   */
  public record Settings(int sources, Duration interval, Duration warmup, Duration measure, int connections,
      List<String> cloudCommand, Path workDir) {
    public Settings {
      if (connections < 1) {
        throw new IllegalArgumentException("connections must be >= 1 (was " + connections + ")");
      }
      if (sources < 1) {
        throw new IllegalArgumentException("sources must be >= 1 (was " + sources + ")");
      }
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("interval must be > 0 (was " + interval + ")");
      }
      if (measure.isZero() || measure.isNegative()) {
        throw new IllegalArgumentException("duration must be > 0 (was " + measure + ")");
      }
    }
  }

  /** The simulated sites' codes: FL00001, FL00002, … */
  public static List<String> siteCodes(int n) {
    List<String> codes = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      codes.add(String.format("FL%05d", i));
    }
    return codes;
  }

  public BenchReport run(Settings s) throws Exception {
    BenchReport report = new BenchReport("fleet");
    try (EmbeddedDatabase pg = EmbeddedDatabase.start(s.workDir().resolve("pg"), 0)) {
      String dbUrl = "jdbc:postgresql://localhost:" + pg.port() + "/postgres";
      // the cloud judges a site offline after 3 missed heartbeats of this interval
      Map<String, String> env = Map.of("TMS_FLEET_HEARTBEAT_INTERVAL",
          Double.toString(s.interval().toMillis() / 1000.0));
      try (CloudUnderTest cloud = CloudUnderTest.start(dbUrl, s.cloudCommand(), env, s.workDir().resolve("cloud.log"))) {
        CloudUnderTest.registerSites(dbUrl, siteCodes(s.sources()), "Fleet site");
        new Fleet(s, cloud, report).run();
      }
    }
    double offered = s.sources() / (s.interval().toNanos() / 1e9);
    report.note(String.format("%,d sources, one heartbeat every %d ms each (offered %,.0f/s) over %d keep-alive"
            + " connections, warm-up %d s, measured %d s; fleet view = GET /v1/fleet/sites?limit=1000 once a second;"
            + " load generator in this JVM on the same cores",
        s.sources(), s.interval().toMillis(), offered, s.connections(), s.warmup().toSeconds(), s.measure().toSeconds())
        + (s.cloudCommand() == null ? "; cloud in-process (CPU and RSS not measured)" : ""));
    return report;
  }

  /** One run: the sources, the probe, the figures. */
  private static final class Fleet {
    final Settings s;
    final CloudUnderTest cloud;
    final BenchReport report;
    final ObjectMapper json = Json.mapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong errors = new AtomicLong();
    final Map<Integer, Long> statuses = new ConcurrentHashMap<>();
    final Instant startedAt = Instant.now().minus(Duration.ofHours(30));
    final Map<Lane, LaneBacklog> empty = new EnumMap<>(Lane.class);
    final BlockingQueue<LoopbackHttp> connections;
    volatile LatencyRecorder heartbeats = new LatencyRecorder();

    Fleet(Settings s, CloudUnderTest cloud, BenchReport report) {
      this.s = s;
      this.cloud = cloud;
      this.report = report;
      this.connections = new ArrayBlockingQueue<>(s.connections());
      for (int i = 0; i < s.connections(); i++) {
        connections.add(new LoopbackHttp(cloud.base()));
      }
      for (Lane lane : Lane.values()) {
        empty.put(lane, new LaneBacklog(0, 0, 0));
      }
    }

    void run() throws Exception {
      List<String> codes = siteCodes(s.sources());
      CountDownLatch ended = new CountDownLatch(codes.size());
      List<Thread> sources = new ArrayList<>(codes.size());
      long t0 = System.nanoTime();
      long spread = s.interval().toNanos() / codes.size();
      for (int i = 0; i < codes.size(); i++) {
        String code = codes.get(i);
        long first = t0 + i * spread;
        sources.add(Thread.ofVirtual().name("hb-" + code).start(() -> {
          try {
            beat(code, first);
          } finally {
            ended.countDown();
          }
        }));
      }
      try {
        Thread.sleep(s.warmup().toMillis()); // the warm-up is a period of load, not a synchronization
        errors.set(0);
        statuses.clear();
        swap();
        LatencyRecorder view = new LatencyRecorder();
        double cpu0 = cloud.cpuSeconds();
        double self0 = selfCpuSeconds();
        long m0 = System.nanoTime();
        double maxRss = probe(view, m0 + s.measure().toNanos());
        double elapsed = (System.nanoTime() - m0) / 1e9;
        LatencyRecorder hb = swap();
        long errorsMeasured = errors.get();
        double cores = (cloud.cpuSeconds() - cpu0) / elapsed;
        double selfCores = (selfCpuSeconds() - self0) / elapsed;
        report.add("heartbeat_p50_ms", hb.percentileMs(0.50), "ms", Double.NaN, Better.LOWER)
            .add("heartbeat_p99_ms", hb.percentileMs(0.99), "ms", 500, Better.LOWER)
            .add("heartbeat_max_ms", hb.maxMs(), "ms", Double.NaN, Better.LOWER)
            .add("heartbeats_per_s", hb.count() / elapsed, "1/s", Double.NaN, Better.HIGHER)
            .add("heartbeat_errors", errorsMeasured, "count", 0, Better.LOWER)
            .add("fleet_view_p50_ms", view.percentileMs(0.50), "ms", Double.NaN, Better.LOWER)
            .add("fleet_view_p99_ms", view.percentileMs(0.99), "ms", Double.NaN, Better.LOWER)
            .add("sites_online", onlineSites(), "count", s.sources(), Better.HIGHER);
        if (!Double.isNaN(cores)) {
          report.add("cloud_cpu_cores", cores, "cores", 0.5, Better.LOWER)
              .add("cloud_rss_max_mib", maxRss, "MiB", 512, Better.LOWER);
        }
        report.add("loadgen_cpu_cores", selfCores, "cores", Double.NaN, Better.LOWER);
        if (!statuses.isEmpty()) {
          report.note("refused heartbeats by status: " + statuses);
        }
      } finally {
        stop.set(true);
        sources.forEach(Thread::interrupt);
        ended.await(30, TimeUnit.SECONDS);
        connections.forEach(LoopbackHttp::close);
      }
    }

    /** Reads the fleet view and samples the cloud's RSS once a second until {@code until}; returns the peak RSS. */
    private double probe(LatencyRecorder view, long until) throws InterruptedException {
      double maxRss = cloud.rssMiB();
      while (System.nanoTime() < until) {
        long t = System.nanoTime();
        try {
          HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/v1/fleet/sites?limit=1000"))
              .header("Authorization", "Bearer " + cloud.adminToken()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            view.record(System.nanoTime() - t);
          }
        } catch (IOException e) {
          // the view's failures show as fewer samples; heartbeat errors are counted
        }
        maxRss = Math.max(maxRss, cloud.rssMiB());
        long wait = Math.min(1_000, (until - System.nanoTime()) / 1_000_000);
        if (wait > 0) {
          Thread.sleep(wait); // the probe's pace, not a synchronization
        }
      }
      return maxRss;
    }

    private void beat(String code, long first) {
      long interval = s.interval().toNanos();
      long next = first;
      while (!stop.get()) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (stop.get()) {
          return;
        }
        long t = System.nanoTime();
        LoopbackHttp connection;
        try {
          connection = connections.take();
        } catch (InterruptedException e) {
          return;
        }
        try {
          LoopbackHttp.Response r = connection.post("/edge/v1/sites/" + code + "/heartbeat",
              json.writeValueAsString(heartbeat(code)), null);
          long took = System.nanoTime() - t;
          if (r.status() == 200) {
            LatencyRecorder rec = heartbeats;
            synchronized (rec) {
              rec.record(took);
            }
          } else {
            errors.incrementAndGet();
            statuses.merge(r.status(), 1L, Long::sum);
          }
        } catch (IOException e) {
          errors.incrementAndGet();
        } finally {
          connections.add(connection);
        }
        next += interval;
      }
    }

    private HeartbeatV1 heartbeat(String code) {
      Instant now = Instant.now();
      return new HeartbeatV1(code, "fleet-sim", null, startedAt, Duration.between(startedAt, now).toSeconds(), empty,
          now, 0, 10L << 30, 64L << 20, 128L << 20, null, now);
    }

    /** The current recorder, replaced by a fresh one (a copy: a heartbeat in flight may still record). */
    private LatencyRecorder swap() {
      LatencyRecorder r = heartbeats;
      heartbeats = new LatencyRecorder();
      synchronized (r) {
        return LatencyRecorder.merge(List.of(r));
      }
    }

    /** Sites the fleet view lists online, page by page; waits up to 15 s for the last flush. */
    private long onlineSites() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      long online;
      do {
        online = 0;
        String after = null;
        do {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/fleet/sites?state=online&limit=1000"
              + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8))))
              .header("Authorization", "Bearer " + cloud.adminToken()).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            break;
          }
          JsonNode page = json.readTree(r.body());
          online += page.get("sites").size();
          after = page.path("next").isTextual() ? page.get("next").asText() : null;
        } while (after != null);
        if (online >= s.sources()) {
          break;
        }
        Thread.sleep(200); // polling the view with a deadline: the cloud flushes heartbeats once a second
      } while (System.nanoTime() < deadline);
      return online;
    }

    private static double selfCpuSeconds() {
      return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    private URI uri(String path) {
      return URI.create(cloud.base() + path);
    }
  }
}
