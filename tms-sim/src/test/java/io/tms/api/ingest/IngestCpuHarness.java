package io.tms.api.ingest;

import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.protocol.v1.Lane;
import io.tms.sim.OutboxWorkload;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The cloud's CPU per uplink event without HTTP, the agent or a benchmark's JIT window: a site's
 * outbox built by the agent's own store ({@link OutboxWorkload}), cut into 2 MiB batches in the
 * agent's form (bodies inlined as {@code bodyJson}, gzip level 1), then applied round after round
 * into the cloud's real PostgreSQL (embedded, durability on) by {@code UplinkRoutes.gunzip},
 * {@link UplinkIngest#read} and {@link UplinkIngest#apply} on this thread, the uplink tables emptied
 * between rounds (not measured). Per round: CPU µs per event of this thread (gunzip, read, apply),
 * of the decoder threads, and of PostgreSQL. Later rounds are the steady state of a cloud in
 * service. Not a test: {@code java -cp <tms-sim test classpath> io.tms.api.ingest.IngestCpuHarness
 * [loads] [rounds]}.
 */
public final class IngestCpuHarness {
  private static final String SITE = "SYNC1";

  public static void main(String[] args) throws Exception {
    int loads = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    Path dir = Files.createTempDirectory("tms-ingest-cpu");
    new OutboxWorkload(SITE, 40, 64, 1).build(dir.resolve(SITE), loads, 72, Instant.now(), false);
    List<byte[]> batches = new ArrayList<>();
    int events = batches(dir.resolve(SITE).resolve("site.db"), 2 << 20, batches);
    System.err.printf("%d events in %d batches%n", events, batches.size());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Cloud cloud = Cloud.start(CloudConfig.embedded(dir.resolve("cloud")).withHttp("127.0.0.1", 0)
        .withEdgePlaintext())) {
      run(cloud, dir, batches, events, rounds, threads);
    } finally {
      try (var paths = Files.walk(dir)) { // the outbox and a PostgreSQL cluster: hundreds of MB
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(Cloud cloud, Path dir, List<byte[]> batches, int events, int rounds, ThreadMXBean threads)
      throws Exception {
    cloud.database().jdbi().useHandle(h -> h.execute(
        "INSERT INTO site (code, name, zone) VALUES (?, 'bench', 'America/Chicago')", SITE));
    UplinkIngest ingest = cloud.ingest();
    Path pgDir = dir.resolve("cloud");
    for (int round = 1; round <= rounds; round++) {
      cloud.database().jdbi().useHandle(h -> h.execute("TRUNCATE " + String.join(", ", h.createQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_name IN"
              + " ('edge_cursor', 'authorization_decision', 'site_load', 'bol', 'bol_line', 'inventory_movement',"
              + " 'gauge_reading', 'reserve_account', 'reserve_consumption_hourly')").mapTo(String.class).list())));
      long gunzip = 0;
      long read = 0;
      long apply = 0;
      long decoders0 = decoderCpu(threads);
      double pg0 = postgresCpu(pgDir);
      String wal0 = walLsn(cloud);
      long t0 = System.nanoTime();
      for (byte[] gz : batches) {
        long c0 = threads.getCurrentThreadCpuTime();
        byte[] raw = UplinkRoutes.gunzip(gz, 256 << 20);
        long c1 = threads.getCurrentThreadCpuTime();
        UplinkBatchReader.Batch b = ingest.read(raw);
        long c2 = threads.getCurrentThreadCpuTime();
        ingest.apply(SITE, b);
        long c3 = threads.getCurrentThreadCpuTime();
        gunzip += c1 - c0;
        read += c2 - c1;
        apply += c3 - c2;
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      long decoders = decoderCpu(threads) - decoders0;
      double pg = postgresCpu(pgDir) - pg0;
      long wal = cloud.database().jdbi().withHandle(h -> h.createQuery(
          "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), CAST(:lsn AS pg_lsn))::bigint").bind("lsn", wal0)
          .mapTo(Long.class).one());
      double n = events;
      System.out.printf("round %2d: %,.0f events/s | JVM us/event: gunzip %.2f read %.2f apply %.2f decoders %.2f"
          + " = %.2f (without gunzip %.2f) | PostgreSQL %.2f | WAL bytes/event %.0f%n", round, n / wall,
          gunzip / 1e3 / n, read / 1e3 / n, apply / 1e3 / n, decoders / 1e3 / n,
          (gunzip + read + apply + decoders) / 1e3 / n, (read + apply + decoders) / 1e3 / n, pg * 1e6 / n, wal / n);
    }
  }

  /** The business lane of a site's outbox as gzip batches of about {@code bytes} of bodies; returns the events. */
  private static int batches(Path db, int bytes, List<byte[]> out) throws Exception {
    int n = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT seq, type, occurred_at, body, prev_hash, hash FROM outbox"
            + " WHERE lane = 'BUSINESS' ORDER BY seq")) {
      StringBuilder json = null;
      ByteArrayOutputStream buf = null;
      int size = 0;
      while (rs.next()) {
        if (json == null) {
          buf = new ByteArrayOutputStream();
          json = new StringBuilder();
          json.append("{\"siteCode\":\"").append(SITE).append("\",\"lane\":\"").append(Lane.BUSINESS)
              .append("\",\"fromSeq\":").append(rs.getLong(1)).append(",\"prevHash\":\"").append(rs.getString(5))
              .append("\",\"events\":[");
        } else {
          json.append(',');
        }
        String body = new String(rs.getBytes(4), StandardCharsets.UTF_8);
        json.append("{\"seq\":").append(rs.getLong(1)).append(",\"type\":\"").append(rs.getString(2))
            .append("\",\"occurredAt\":\"").append(rs.getString(3)).append("\",\"hash\":\"").append(rs.getString(6))
            .append("\",\"bodyJson\":").append(body).append('}');
        size += body.length();
        n++;
        if (size >= bytes) {
          out.add(gzip(json.append("]}").toString(), buf));
          json = null;
          size = 0;
        }
      }
      if (json != null) {
        out.add(gzip(json.append("]}").toString(), buf));
      }
    }
    return n;
  }

  private static byte[] gzip(String json, ByteArrayOutputStream buf) throws Exception {
    try (GZIPOutputStream z = new GZIPOutputStream(buf, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      z.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return buf.toByteArray();
  }

  private static String walLsn(Cloud cloud) {
    return cloud.database().jdbi().withHandle(h -> h.createQuery("SELECT pg_current_wal_insert_lsn()::text")
        .mapTo(String.class).one());
  }

  private static long decoderCpu(ThreadMXBean threads) {
    long sum = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("ingest-decode-")) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  private static double postgresCpu(Path dataDir) {
    double sum = 0;
    String dir = dataDir.toString();
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      if (p.info().arguments().map(a -> String.join(" ", a).contains(dir)).orElse(false)) {
        sum += cpu(p) + p.descendants().mapToDouble(IngestCpuHarness::cpu).sum();
      }
    }
    return sum;
  }

  private static double cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }
}
