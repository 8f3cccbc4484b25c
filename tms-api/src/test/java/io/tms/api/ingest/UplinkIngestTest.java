package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.EdgeEventV1;
import io.tms.protocol.v1.sync.UplinkBatchV1;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UplinkIngestTest {
  private final CloudConfig config = TestDatabase.freshCloudConfig();
  private Cloud cloud;
  private URI base;

  @BeforeEach
  void start() {
    cloud = Cloud.start(config);
    base = URI.create("http://127.0.0.1:" + cloud.port());
    sql("INSERT INTO site (code, name, zone) VALUES ('HOU1', 'Houston', 'America/Chicago')");
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private void sql(String s) {
    cloud.database().jdbi().useHandle(h -> h.execute(s));
  }

  private long count(String s) {
    return cloud.database().jdbi().withHandle(h -> h.createQuery(s).mapTo(Long.class).one());
  }

  private JsonNode parse(HttpResponse<String> r) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  @Test
  void aBatchLandsInTypedTablesAndTheSameBatchTwiceAppliesOnce() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    for (int i = 1; i <= 3; i++) {
      edge.load(i, "CUST" + i, "RUL87");
    }
    edge.gauge("T1", 90_000);
    edge.release("AL-CUST1", 500, 500);
    UplinkBatchV1 batch = edge.batch(1, edge.events.size());

    HttpResponse<String> first = edge.post(base, batch, true);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(parse(first).get("applied").asInt()).isEqualTo(14);
    assertThat(parse(first).get("cursor").asLong()).isEqualTo(14);

    HttpResponse<String> again = edge.post(base, batch, false);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(parse(again).get("applied").asInt()).isZero();
    assertThat(parse(again).get("skipped").asInt()).isEqualTo(14);

    assertThat(count("SELECT count(*) FROM bol WHERE site_code = 'HOU1'")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM bol_line")).isEqualTo(6);
    assertThat(count("SELECT count(*) FROM site_load WHERE status = 'COMPLETED'")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM inventory_movement")).isEqualTo(6);
    assertThat(count("SELECT count(*) FROM gauge_reading")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM reserve_release WHERE released_total_gal = 500")).isEqualTo(1);
    assertThat(count("SELECT seq FROM edge_cursor WHERE site_code = 'HOU1' AND lane = 'BUSINESS'")).isEqualTo(14);
    // the reserve ledger counted each BOL line once, in the accounts and in the rate's hours
    assertThat(count("SELECT consumed_total FROM reserve_account WHERE allocation_id = 'AL-CUST9'")).isEqualTo(9_000);
    assertThat(count("SELECT sum(consumed_total) FROM reserve_account WHERE site_code = 'HOU1'")).isEqualTo(18_000);
    assertThat(count("SELECT sum(gallons) FROM reserve_consumption_hourly WHERE site_code = 'HOU1'")).isEqualTo(18_000);

    // an overlapping batch: the known part is skipped, the new part applied
    edge.load(4, "CUST4", "ULSD");
    HttpResponse<String> overlap = edge.post(base, edge.batch(10, edge.events.size()), true);
    assertThat(parse(overlap).get("applied").asInt()).isEqualTo(4);
    assertThat(parse(overlap).get("skipped").asInt()).isEqualTo(5);
    assertThat(count("SELECT count(*) FROM bol")).isEqualTo(4);
    assertThat(count("SELECT sum(consumed_total) FROM reserve_account WHERE site_code = 'HOU1'")).isEqualTo(24_000);
    assertThat(count("SELECT sum(gallons) FROM reserve_consumption_hourly WHERE site_code = 'HOU1'")).isEqualTo(24_000);
  }

  @Test
  void aZstdBatchAppliesLikeGzipAndAnUnknownCodingIs415SayingWhatIsTaken() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    edge.load(1, "CUST1", "RUL87");
    edge.load(2, "CUST2", "ULSD");
    byte[] batch = edge.json.writeValueAsBytes(edge.batch(1, edge.events.size()));

    HttpResponse<String> brotli = edge.postEncoded(base, batch, "br");
    assertThat(brotli.statusCode()).isEqualTo(415);
    assertThat(parse(brotli).get("field").asText()).isEqualTo("Content-Encoding");
    assertThat(brotli.headers().firstValue("Accept-Encoding")).hasValue("zstd, gzip");
    assertThat(count("SELECT count(*) FROM edge_cursor WHERE seq > 0")).isZero();

    HttpResponse<String> notZstd = edge.postEncoded(base, batch, "zstd");
    assertThat(notZstd.statusCode()).isEqualTo(400);
    assertThat(parse(notZstd).get("field").asText()).isEqualTo("Content-Encoding");
    assertThat(count("SELECT count(*) FROM edge_cursor WHERE seq > 0")).isZero();

    HttpResponse<String> zstd = edge.postEncoded(base, com.github.luben.zstd.Zstd.compress(batch, 1), "zstd");
    assertThat(zstd.statusCode()).as(zstd.body()).isEqualTo(200);
    assertThat(parse(zstd).get("applied").asInt()).isEqualTo(edge.events.size());
    assertThat(zstd.headers().firstValue("Accept-Encoding")).as("tells a gzip agent it may send zstd")
        .hasValue("zstd, gzip");
    assertThat(count("SELECT count(*) FROM bol WHERE site_code = 'HOU1'")).isEqualTo(2);
    assertThat(count("SELECT seq FROM edge_cursor WHERE site_code = 'HOU1' AND lane = 'BUSINESS'"))
        .isEqualTo(edge.events.size());
  }

  /**
   * A zstd body is planned by the sizes its frames declare: one that declares more than a batch may
   * inflate to (32 MiB by default) is a 413 before anything is inflated (a 1 KB frame of RLE blocks
   * declaring 33 MiB) that names the largest batch taken, as every answer does, and every request,
   * applied or refused, gives its reserved bytes back.
   */
  @Test
  void aZstdBodyDeclaringMoreThanTheLimitIs413AndEveryRequestGivesItsBytesBack() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    edge.load(1, "CUST1", "RUL87");
    byte[] batch = edge.json.writeValueAsBytes(edge.batch(1, edge.events.size()));

    HttpResponse<String> huge = edge.postEncoded(base, rleFrame(33L << 20), "zstd");
    assertThat(huge.statusCode()).as(huge.body()).isEqualTo(413);
    assertThat(parse(huge).get("code").asText()).isEqualTo("BODY_TOO_LARGE");
    assertThat(parse(huge).get("maxBatchBytes").asLong()).isEqualTo(32L << 20);
    assertThat(huge.headers().firstValue("Uplink-Max-Batch-Bytes")).hasValue(Long.toString(32L << 20));
    HttpResponse<String> gzipHuge = edge.postEncoded(base, gzipOfZeros(33 << 20), "gzip");
    assertThat(gzipHuge.statusCode()).as("a gzip body that inflates past the limit, which it cannot declare")
        .isEqualTo(413);
    assertThat(gzipHuge.headers().firstValue("Uplink-Max-Batch-Bytes")).hasValue(Long.toString(32L << 20));
    assertThat(edge.postEncoded(base, rleFrame(1L << 20), "zstd").statusCode()).as("declares 1 MiB of 'x': not JSON")
        .isEqualTo(400);
    assertThat(edge.postEncoded(base, declaringLess(com.github.luben.zstd.Zstd.compress(batch, 1)), "zstd").statusCode())
        .as("a good batch whose frame declares less than it holds: refused, not applied past its reservation")
        .isEqualTo(400);
    assertThat(count("SELECT count(*) FROM bol WHERE site_code = 'HOU1'")).isZero();
    assertThat(edge.postEncoded(base, batch, "br").statusCode()).isEqualTo(415);
    HttpResponse<String> applied = edge.postEncoded(base, com.github.luben.zstd.Zstd.compress(batch, 1), "zstd");
    assertThat(applied.statusCode()).isEqualTo(200);
    assertThat(applied.headers().firstValue("Uplink-Max-Batch-Bytes")).as("every answer names the largest batch")
        .hasValue(Long.toString(32L << 20));
    assertThat(count("SELECT count(*) FROM bol WHERE site_code = 'HOU1'")).isEqualTo(1);

    HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body().lines().filter(l -> l.startsWith("tms_uplink_inflight_bytes ")))
        .as("nothing held once the requests are answered").containsExactly("tms_uplink_inflight_bytes 0.0");
  }

  /** {@code size} zero bytes, gzipped (about a thousandth of that). */
  private static byte[] gzipOfZeros(int size) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < size; i += zeros.length) {
        gz.write(zeros, 0, Math.min(zeros.length, size - i));
      }
    }
    return out.toByteArray();
  }

  /** A zstd frame (one, as {@code Zstd.compress} makes it) with its content size patched to one byte less. */
  private static byte[] declaringLess(byte[] frame) {
    byte[] f = frame.clone();
    int fhd = f[4] & 0xff;
    int fcsFlag = fhd >>> 6;
    boolean single = (fhd & 0x20) != 0;
    int at = 5 + (single ? 0 : 1) + new int[] {0, 1, 2, 4}[fhd & 3];
    int size = new int[] {single ? 1 : 0, 2, 4, 8}[fcsFlag];
    long v = 0;
    for (int i = size - 1; i >= 0; i--) {
      v = v << 8 | (f[at + i] & 0xff);
    }
    long declared = (size == 2 ? v + 256 : v) - 1;
    assertThat(declared).as("a frame that declares its size").isPositive();
    long stored = size == 2 ? declared - 256 : declared;
    for (int i = 0; i < size; i++) {
      f[at + i] = (byte) (stored >>> (8 * i));
    }
    return f;
  }

  /** One zstd frame declaring {@code size} bytes of 'x', as RLE blocks of 128 KiB (4 bytes each). */
  private static byte[] rleFrame(long size) {
    int block = 128 * 1024;
    long blocks = (size + block - 1) / block;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (4 + 1 + 8 + blocks * 4)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xFD2FB528).put((byte) 0xE0).putLong(size); // single segment, 8-byte content size
    for (long i = 0; i < blocks; i++) {
      int n = (int) Math.min(block, size - i * block);
      int header = (i == blocks - 1 ? 1 : 0) | 1 << 1 | n << 3; // last?, RLE, size
      b.put((byte) header).put((byte) (header >>> 8)).put((byte) (header >>> 16)).put((byte) 'x');
    }
    return b.array();
  }

  @Test
  void theSameBatchConcurrentlyToTwoReplicaProcessesOnOneDatabaseAppliesOnce() throws Exception {
    String url = cloud.database().jdbcUrl();
    try (io.tms.api.ReplicaProcess second = io.tms.api.ReplicaProcess.start(url, java.util.Map.of());
        io.tms.api.ReplicaProcess third = io.tms.api.ReplicaProcess.start(url, java.util.Map.of())) {
      UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
      for (int i = 1; i <= 50; i++) {
        edge.load(i, "CUST" + (i % 5), "RUL87");
      }
      UplinkBatchV1 batch = edge.batch(1, edge.events.size());
      int rounds = 6;
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        URI target = i % 2 == 0 ? second.base() : third.base();
        answers.add(pool.submit(() -> {
          go.await();
          return edge.post(target, batch, true);
        }));
      }
      go.countDown();
      int applied = 0;
      java.util.Set<String> answeredBy = new java.util.HashSet<>();
      for (Future<HttpResponse<String>> f : answers) {
        HttpResponse<String> r = f.get();
        if (r.statusCode() == 429) { // the drain gate of a replica: the site comes back later
          continue;
        }
        answeredBy.add(r.uri().getAuthority());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        applied += parse(r).get("applied").asInt();
        assertThat(parse(r).get("cursor").asLong()).isEqualTo(200);
      }
      pool.close();
      assertThat(answeredBy).as("both replicas acknowledged the batch").hasSize(2);
      assertThat(applied).as("two real replica processes: the batch applied once").isEqualTo(200);
      assertThat(count("SELECT count(*) FROM bol")).isEqualTo(50);
      assertThat(count("SELECT count(*) FROM inventory_movement")).isEqualTo(100);
    }
  }

  @Test
  void bodiesInlinedAsJsonApplyLikeStringBodiesAndAreHashedByTheirExactBytes() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS);
    for (int i = 1; i <= 4; i++) {
      edge.load(i, "CUST" + i, "RUL87");
    }
    // the agent's form (every body inlined) and a mix of both forms in one batch
    HttpResponse<String> inlined = edge.post(base, edge.inlinedBatch(1, 8, seq -> true), true);
    assertThat(inlined.statusCode()).as(inlined.body()).isEqualTo(200);
    assertThat(parse(inlined).get("applied").asInt()).isEqualTo(8);
    HttpResponse<String> mixed = edge.post(base, edge.inlinedBatch(9, 16, seq -> seq % 2 == 0), false);
    assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(200);
    assertThat(count("SELECT count(*) FROM bol WHERE site_code = 'HOU1'")).isEqualTo(4);
    assertThat(count("SELECT count(*) FROM bol_line")).isEqualTo(8);
    assertThat(count("SELECT count(*) FROM inventory_movement")).isEqualTo(8);
    assertThat(count("SELECT seq FROM edge_cursor")).isEqualTo(16);

    // a resend that overlaps the cursor: the old half is skipped, the new half lands
    edge.load(5, "CUST5", "RUL87");
    HttpResponse<String> overlap = edge.post(base, edge.inlinedBatch(13, 20, seq -> true), true);
    assertThat(overlap.statusCode()).as(overlap.body()).isEqualTo(200);
    assertThat(parse(overlap).get("applied").asInt()).isEqualTo(4);
    assertThat(parse(overlap).get("skipped").asInt()).isEqualTo(4);
    assertThat(count("SELECT count(*) FROM bol WHERE site_code = 'HOU1'")).isEqualTo(5);

    // both forms in one event: refused, nothing changes
    edge.load(6, "CUST6", "RUL87");
    String both = new String(edge.inlinedBatch(21, 24, seq -> true), java.nio.charset.StandardCharsets.UTF_8)
        .replaceFirst("\"bodyJson\":", "\"body\":\"{}\",\"bodyJson\":");
    HttpResponse<String> twice = edge.post(base, both.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
    assertThat(parse(twice).get("field").asText()).isEqualTo("events[0].body");

    // the same JSON value with one more space is other bytes: the chain does not verify
    String spaced = new String(edge.inlinedBatch(21, 24, seq -> true), java.nio.charset.StandardCharsets.UTF_8)
        .replaceFirst("\"bodyJson\":\\{", "\"bodyJson\":{ ");
    HttpResponse<String> tampered = edge.post(base, spaced.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    assertThat(tampered.statusCode()).as(tampered.body()).isEqualTo(422);
    assertThat(parse(tampered).get("code").asText()).isEqualTo("CHAIN_BROKEN");
    assertThat(parse(tampered).get("brokenSeq").asLong()).isEqualTo(21);
    assertThat(count("SELECT count(*) FROM bol WHERE site_code = 'HOU1'")).isEqualTo(5);
    assertThat(count("SELECT seq FROM edge_cursor")).isEqualTo(20);
  }

  @Test
  void aGapIsRefusedWithTheExpectedCursorAndNothingApplied() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    for (int i = 1; i <= 3; i++) {
      edge.load(i, "CUST1", "RUL87");
    }
    assertThat(edge.post(base, edge.batch(1, 4), true).statusCode()).isEqualTo(200);
    HttpResponse<String> gap = edge.post(base, edge.batch(7, 12), true);
    assertThat(gap.statusCode()).isEqualTo(409);
    assertThat(gap.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(parse(gap).get("expectedFromSeq").asLong()).isEqualTo(5);
    assertThat(count("SELECT count(*) FROM bol")).isEqualTo(1);
    assertThat(count("SELECT seq FROM edge_cursor")).isEqualTo(4);
    // a dropped-range marker is no excuse on the business lane
    UplinkBatchV1 b = edge.batch(7, 12);
    HttpResponse<String> marker = edge.post(base, new UplinkBatchV1("HOU1", Lane.BUSINESS, 7, b.prevHash(), b.events(), 6L), true);
    assertThat(marker.statusCode()).isEqualTo(400);
    assertThat(parse(marker).get("field").asText()).isEqualTo("droppedThroughSeq");
  }

  @Test
  void aTamperedEventIsRefusedFlagsTheSiteAndTheLaneStaysRefusedUntilAnOperatorClearsIt() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    for (int i = 1; i <= 3; i++) {
      edge.load(i, "CUST1", "RUL87");
    }
    assertThat(edge.post(base, edge.batch(1, 4), true).statusCode()).isEqualTo(200);
    UplinkBatchV1 good = edge.batch(5, 12);
    List<EdgeEventV1> tampered = new ArrayList<>(good.events());
    EdgeEventV1 e = tampered.get(1);
    tampered.set(1, new EdgeEventV1(e.seq(), e.type(), e.occurredAt(), e.body().replace("6000", "600"), e.hash()));
    HttpResponse<String> refused = edge.post(base, new UplinkBatchV1("HOU1", Lane.BUSINESS, 5, good.prevHash(), tampered), true);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(parse(refused).get("code").asText()).isEqualTo("CHAIN_BROKEN");
    assertThat(parse(refused).get("brokenSeq").asLong()).isEqualTo(6);
    assertThat(count("SELECT count(*) FROM bol")).isEqualTo(1);
    assertThat(count("SELECT broken_seq FROM edge_cursor WHERE site_code = 'HOU1'")).isEqualTo(6);

    HttpResponse<String> stillRefused = edge.post(base, good, true);
    assertThat(stillRefused.statusCode()).isEqualTo(422);
    assertThat(parse(stillRefused).get("code").asText()).isEqualTo("LANE_BROKEN");
    assertThat(count("SELECT count(*) FROM bol")).isEqualTo(1);

    JsonNode cursors = parse(edge.get(base, "/v1/sites/HOU1/uplink"));
    assertThat(cursors.get(0).get("brokenReason").asText()).contains("hash");
    assertThat(edge.delete(base, "/v1/sites/HOU1/uplink/BUSINESS/break").statusCode()).isEqualTo(204);
    assertThat(edge.delete(base, "/v1/sites/HOU1/uplink/BUSINESS/break").statusCode()).isEqualTo(404);
    HttpResponse<String> after = edge.post(base, good, true);
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    assertThat(count("SELECT count(*) FROM bol")).isEqualTo(3);
  }

  @Test
  void telemetryLandsAsBlocksAndADroppedRangeIsCountedNotRefused() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.TELEMETRY, TestAuth.adminToken(cloud));
    for (int i = 0; i < 10; i++) {
      edge.telemetry("T" + i, 12);
    }
    assertThat(edge.post(base, edge.batch(1, 2), true).statusCode()).isEqualTo(200);
    UplinkBatchV1 rest = edge.batch(7, 10);
    HttpResponse<String> gap = edge.post(base, rest, true);
    assertThat(gap.statusCode()).isEqualTo(409);
    HttpResponse<String> dropped = edge.post(base,
        new UplinkBatchV1("HOU1", Lane.TELEMETRY, 7, rest.prevHash(), rest.events(), 6L), true);
    assertThat(dropped.statusCode()).as(dropped.body()).isEqualTo(200);
    assertThat(count("SELECT dropped FROM edge_cursor WHERE lane = 'TELEMETRY'")).isEqualTo(4);
    assertThat(count("SELECT count(*) FROM telemetry_block")).isEqualTo(6);
    assertThat(count("SELECT sum(sample_count) FROM telemetry_block")).isEqualTo(72);
    double level = cloud.database().jdbi().withHandle(h ->
        h.createQuery("SELECT samples[3][1] FROM telemetry_block WHERE seq = 7").mapTo(Double.class).one());
    assertThat(level).isEqualTo(102.0);
    assertThat(count("SELECT count(*) FROM telemetry_block WHERE seq = 7 AND samples[1][2] IS NULL")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM telemetry_block WHERE seq = 7 AND first_at = '2026-05-01T06:00:00Z'"
        + " AND interval_ms = 5000 AND metrics[1] = 'level_in' AND source_id = 'T6' AND array_length(samples, 1) = 12"
        + " AND array_length(samples, 2) = 4")).isEqualTo(1);
  }

  @Test
  void telemetrySentAheadWaitsForTheBusinessItFollows() throws Exception {
    UplinkClientFake business = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    business.load(1, "CUST1", "RUL87");
    business.load(2, "CUST2", "RUL87");
    UplinkClientFake telemetry = new UplinkClientFake("HOU1", Lane.TELEMETRY, TestAuth.adminToken(cloud));
    telemetry.telemetry("T1", 12);
    telemetry.telemetry("T2", 12);
    UplinkBatchV1 blocks = telemetry.batch(1, 2);
    long lastBusiness = business.events.size();
    UplinkBatchV1 ahead = new UplinkBatchV1("HOU1", Lane.TELEMETRY, 1, blocks.prevHash(), blocks.events(), null,
        lastBusiness);

    UplinkBatchV1 businessAhead = business.batch(1, 1);
    HttpResponse<String> wrongLane = business.post(base, new UplinkBatchV1("HOU1", Lane.BUSINESS, 1,
        businessAhead.prevHash(), businessAhead.events(), null, 5L), true);
    assertThat(wrongLane.statusCode()).isEqualTo(400);
    assertThat(parse(wrongLane).get("field").asText()).isEqualTo("afterBusinessSeq");
    HttpResponse<String> zero = telemetry.post(base, new UplinkBatchV1("HOU1", Lane.TELEMETRY, 1, blocks.prevHash(),
        blocks.events(), null, 0L), true);
    assertThat(zero.statusCode()).isEqualTo(400);
    assertThat(count("SELECT count(*) FROM bol")).as("nothing of either applied").isZero();

    HttpResponse<String> early = telemetry.post(base, ahead, true);
    assertThat(early.statusCode()).as(early.body()).isEqualTo(429);
    assertThat(parse(early).get("code").asText()).isEqualTo("BUSINESS_FIRST");
    assertThat(parse(early).get("field").asText()).isEqualTo("afterBusinessSeq");
    assertThat(early.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(count("SELECT count(*) FROM telemetry_block")).as("nothing of it applied").isZero();

    HttpResponse<String> partly = business.post(base, business.batch(1, (int) lastBusiness - 1), true);
    assertThat(partly.statusCode()).as(partly.body()).isEqualTo(200);
    assertThat(partly.headers().firstValue("Uplink-Features")).hasValue("afterBusinessSeq");
    assertThat(telemetry.post(base, ahead, true).statusCode()).as("business is not all there yet").isEqualTo(429);

    assertThat(business.post(base, business.batch((int) lastBusiness, (int) lastBusiness), true).statusCode())
        .isEqualTo(200);
    HttpResponse<String> after = telemetry.post(base, ahead, true);
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    assertThat(count("SELECT count(*) FROM telemetry_block")).isEqualTo(2);
  }

  @Test
  void compactBlocksLandAsTheirBytesBesideJsonBlocks() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.TELEMETRY, TestAuth.adminToken(cloud));
    edge.telemetry("T1", 12);
    edge.telemetryCompact("T2", 12);
    edge.telemetryCompact("T3", 0);
    HttpResponse<String> r = edge.post(base, edge.batch(1, 3), true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(count("SELECT count(*) FROM telemetry_block")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM telemetry_block WHERE seq = 1 AND encoded IS NULL AND samples IS NOT NULL"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM telemetry_block WHERE seq = 2 AND samples IS NULL AND sample_count = 12"
        + " AND source_id = 'T2' AND metrics[4] = 'density_kgm3' AND first_at = '2026-05-01T06:00:00Z'")).isEqualTo(1);
    byte[] stored = cloud.database().jdbi().withHandle(h ->
        h.createQuery("SELECT encoded FROM telemetry_block WHERE seq = 2").mapTo(byte[].class).one());
    assertThat(java.util.Arrays.deepToString(io.tms.protocol.v1.TelemetryBlock.decode(stored)))
        .isEqualTo(java.util.Arrays.deepToString(UplinkClientFake.compactRows(12)));
  }

  @Test
  void compactBlocksLandTheSameWhateverTheirSizeAndHowTheirTextIsWritten() throws Exception {
    // base64 decoded straight from the request bytes, unless the text has an escape (then as text);
    // blocks below and above a page (telemetry_block keeps rows up to 8160 bytes in the heap, V16)
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.TELEMETRY, TestAuth.adminToken(cloud));
    List<String> four = List.of("level_in", "water_in", "temperature_f", "density_kgm3");
    int[] sizes = {3, 1500, 6000, 6000};
    for (int i = 0; i < sizes.length; i++) {
      String text = io.tms.protocol.v1.TelemetryBlock.encodeBase64(UplinkClientFake.compactRows(sizes[i]),
          new int[] {0, 1, 2, 0});
      String written = i == 3 ? "\\u" + String.format("%04x", (int) text.charAt(0)) + text.substring(1) : text;
      edge.appendRaw(EventTypes.TELEMETRY_SAMPLES, "{\"sourceKind\":\"tank\",\"sourceId\":\"T" + i
          + "\",\"firstAt\":\"2026-05-01T06:00:00Z\",\"intervalMillis\":5000,\"metrics\":[\"level_in\","
          + "\"water_in\",\"temperature_f\",\"density_kgm3\"],\"encoded\":\"" + written + "\"}");
    }
    HttpResponse<String> r = edge.post(base, edge.inlinedBatch(1, 3, seq -> seq != 2), true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    r = edge.post(base, edge.inlinedBatch(4, 4, seq -> true), true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (int i = 0; i < sizes.length; i++) {
      long seq = i + 1;
      byte[] stored = cloud.database().jdbi().withHandle(h ->
          h.createQuery("SELECT encoded FROM telemetry_block WHERE seq = " + seq).mapTo(byte[].class).one());
      assertThat(java.util.Arrays.deepToString(io.tms.protocol.v1.TelemetryBlock.decode(stored))).as("seq " + seq)
          .isEqualTo(java.util.Arrays.deepToString(UplinkClientFake.compactRows(sizes[i])));
      assertThat(count("SELECT count(*) FROM telemetry_block WHERE seq = " + seq + " AND metrics = ARRAY"
          + four.stream().map(m -> "'" + m + "'").toList() + " AND sample_count = " + sizes[i])).isEqualTo(1);
    }
    // one below a page and one above it, which went out of line and came back whole
    assertThat(count("SELECT count(*) FROM telemetry_block WHERE octet_length(encoded) BETWEEN 2100 AND 8000"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM telemetry_block WHERE octet_length(encoded) > 8160")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM pg_class WHERE relname = 'telemetry_block'"
        + " AND 'toast_tuple_target=8160' = ANY (reloptions)")).isEqualTo(1);
  }

  @Test
  void malformedCompactBlocksAreRefusedNamingTheFieldAndChangeNothing() throws Exception {
    java.time.Instant t0 = java.time.Instant.parse("2026-05-01T06:00:00Z");
    String good = io.tms.protocol.v1.TelemetryBlock.encodeBase64(UplinkClientFake.compactRows(4), new int[] {0, 1, 2, 0});
    byte[] bytes = java.util.Base64.getDecoder().decode(good);
    String truncated = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, bytes.length - 1));
    List<String> four = List.of("level_in", "water_in", "temperature_f", "density_kgm3");
    List<Object> bad = List.of(
        java.util.Map.of("sourceKind", "tank", "sourceId", "T1", "firstAt", t0, "intervalMillis", 5000,
            "metrics", four, "encoded", "%%% not base64"),
        java.util.Map.of("sourceKind", "tank", "sourceId", "T1", "firstAt", t0, "intervalMillis", 5000,
            "metrics", four, "encoded", truncated),
        java.util.Map.of("sourceKind", "tank", "sourceId", "T1", "firstAt", t0, "intervalMillis", 5000,
            "metrics", List.of("level_in"), "encoded", good),
        java.util.Map.of("sourceKind", "tank", "sourceId", "T1", "firstAt", t0, "intervalMillis", 5000,
            "metrics", four, "encoded", good, "values", List.of(List.of(1, 2, 3, 4))));
    for (Object body : bad) {
      UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.TELEMETRY, TestAuth.adminToken(cloud));
      edge.telemetryCompact("T0", 3);
      edge.append(EventTypes.TELEMETRY_SAMPLES, body);
      HttpResponse<String> r = edge.post(base, edge.batch(1, 2), true);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(parse(r).get("field").asText()).isEqualTo("events[1].body.encoded");
    }
    assertThat(count("SELECT count(*) FROM telemetry_block")).isZero();
    assertThat(count("SELECT count(*) FROM edge_cursor WHERE seq > 0")).isZero();
  }

  @Test
  void badBatchesAreRefusedNamingTheFieldAndChangeNothing() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    edge.load(1, "CUST1", "RUL87");
    UplinkBatchV1 b = edge.batch(1, 4);
    HttpResponse<String> wrongSite = edge.post(base, new UplinkBatchV1("DAL1", Lane.BUSINESS, 1, b.prevHash(), b.events()), true);
    assertThat(wrongSite.statusCode()).isEqualTo(400);
    assertThat(parse(wrongSite).get("field").asText()).isEqualTo("siteCode");
    UplinkClientFake stranger = new UplinkClientFake("DAL1", Lane.BUSINESS);
    stranger.load(1, "CUST1", "RUL87");
    assertThat(stranger.post(base, stranger.batch(1, 4), true).statusCode()).isEqualTo(404);
    HttpResponse<String> badLane = edge.post(base, java.util.Map.of("siteCode", "HOU1", "lane", "GOSSIP", "fromSeq", 1,
        "prevHash", EventHash.GENESIS, "events", b.events()), false);
    assertThat(badLane.statusCode()).isEqualTo(400);
    assertThat(parse(badLane).get("field").asText()).isEqualTo("lane");
    List<EdgeEventV1> shuffled = new ArrayList<>(b.events());
    java.util.Collections.swap(shuffled, 0, 1);
    HttpResponse<String> reordered = edge.post(base, new UplinkBatchV1("HOU1", Lane.BUSINESS, 1, b.prevHash(), shuffled), true);
    assertThat(reordered.statusCode()).isEqualTo(400);
    assertThat(parse(reordered).get("field").asText()).isEqualTo("events[0].seq");
    UplinkClientFake junk = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    junk.append(EventTypes.BOL_ISSUED, java.util.Map.of("bolNumber", 12));
    HttpResponse<String> badBody = junk.post(base, junk.batch(1, 1), true);
    assertThat(badBody.statusCode()).isEqualTo(400);
    assertThat(parse(badBody).get("field").asText()).isEqualTo("events[0].body");
    UplinkClientFake impostor = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    impostor.append(EventTypes.BOL_ISSUED, new io.tms.protocol.v1.BolIssuedV1("DAL1-00000001", "DAL1", "L1", "B1", "D1",
        "C1", "V1", java.time.Instant.now(), java.time.Instant.now(), 100, 99, List.of()));
    HttpResponse<String> foreign = impostor.post(base, impostor.batch(1, 1), true);
    assertThat(foreign.statusCode()).as("a site may only send its own BOLs").isEqualTo(422);
    assertThat(parse(foreign).get("code").asText()).isEqualTo("FOREIGN_BOL");
    assertThat(count("SELECT count(*) FROM bol")).isZero();
    assertThat(count("SELECT count(*) FROM edge_cursor WHERE seq > 0")).isZero();
  }

  @Test
  void aSitesNextBatchSentWhileOneAppliesIsAppliedAfterItInSeqOrder() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    for (int i = 1; i <= 6; i++) {
      edge.load(i, "CUST" + i, "RUL87"); // 4 events each
    }
    CountDownLatch inApply = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    cloud.ingest().hook((c, site, lines, releases) -> { // holds the first batch inside its transaction
      if (inApply.getCount() > 0) {
        inApply.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<HttpResponse<String>> first = pool.submit(() -> edge.post(base, edge.batch(1, 12), true));
      assertThat(inApply.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      Future<HttpResponse<String>> second = pool.submit(() -> edge.post(base, edge.batch(13, 24), true));
      release.countDown();
      HttpResponse<String> r1 = first.get();
      HttpResponse<String> r2 = second.get();
      assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
      assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
      assertThat(parse(r1).get("cursor").asLong()).isEqualTo(12);
      assertThat(parse(r2).get("cursor").asLong()).isEqualTo(24);
      assertThat(parse(r2).get("applied").asInt()).isEqualTo(12);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertThat(count("SELECT count(*) FROM bol WHERE site_code = 'HOU1'")).isEqualTo(6);
    assertThat(count("SELECT count(*) FROM inventory_movement")).isEqualTo(12);
    assertThat(count("SELECT seq FROM edge_cursor WHERE site_code = 'HOU1' AND lane = 'BUSINESS'")).isEqualTo(24);
    // a batch whose predecessor was never sent is still a gap
    edge.load(7, "CUST7", "RUL87");
    edge.load(8, "CUST8", "RUL87");
    HttpResponse<String> gap = edge.post(base, edge.batch(29, 32), true);
    assertThat(gap.statusCode()).isEqualTo(409);
    assertThat(parse(gap).get("expectedFromSeq").asLong()).isEqualTo(25);
  }

  @Test
  void anInlinedBodyThatDoesNotDecodeIsRefusedNamingItAndChangesNothing() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    String zeros = "0".repeat(64);
    String body = "{\"siteCode\":\"HOU1\",\"lane\":\"BUSINESS\",\"fromSeq\":1,\"prevHash\":\"" + zeros + "\","
        + "\"events\":[{\"seq\":1,\"type\":\"load.started.v1\",\"occurredAt\":\"2026-05-01T06:00:00Z\","
        + "\"hash\":\"" + zeros + "\",\"bodyJson\":{\"loadId\":[1,2]}}]}";
    HttpResponse<String> r = edge.post(base, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(parse(r).get("field").asText()).isEqualTo("events[0].body");
    assertThat(count("SELECT count(*) FROM edge_cursor WHERE site_code = 'HOU1'")).isZero();
  }

  @Test
  void typedColumnsHoldExactlyWhatTheSiteSent() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    java.time.Instant decided = java.time.Instant.parse("2026-05-01T06:07:08.123456Z");
    edge.append(EventTypes.AUTHORIZATION_DECIDED, new io.tms.protocol.v1.AuthorizationDecidedV1("AUTH-1", decided,
        null, false, List.of("PIN_WRONG", "CARD_LOCKED"), "CARD\\7", "Zoë\tD", null, "V1", true, List.of()));
    java.time.Instant started = java.time.Instant.parse("2024-02-29T23:59:59.5Z");
    java.time.Instant completed = java.time.Instant.parse("2024-03-01T00:00:00.000001999Z");
    edge.append(EventTypes.BOL_ISSUED, new io.tms.protocol.v1.BolIssuedV1("HOU1-000042", "HOU1", "L42", "B1", "Zoë",
        "C1", "V1", started, completed, 0.1 + 0.2, -1.0e-300, List.of(new io.tms.protocol.v1.BolIssuedV1.Line(3,
            "ULSD", "CUST\"1", null, "ARM1", "M1", "T1", 4000, 3999.75, 3987.123456789, 59.9, 850.0, 35.0, 0.9971,
            Long.MAX_VALUE))));
    assertThat(edge.post(base, edge.batch(1, 2), true).statusCode()).isEqualTo(200);

    cloud.database().jdbi().useHandle(h -> {
      var a = h.createQuery("SELECT decided_at, expires_at, approved, deny_codes, card_number, driver_id, carrier_id,"
          + " card_locked, compartments, seq FROM authorization_decision WHERE id = 'AUTH-1'").mapToMap().one();
      assertThat(((java.sql.Timestamp) a.get("decided_at")).toInstant()).isEqualTo(decided);
      assertThat(a.get("expires_at")).isNull();
      assertThat(a.get("approved")).isEqualTo(false);
      assertThat((String[]) ((java.sql.Array) a.get("deny_codes")).getArray()).containsExactly("PIN_WRONG", "CARD_LOCKED");
      assertThat(a.get("card_number")).isEqualTo("CARD\\7");
      assertThat(a.get("driver_id")).isEqualTo("Zoë\tD");
      assertThat(a.get("carrier_id")).isNull();
      assertThat(a.get("card_locked")).isEqualTo(true);
      assertThat(a.get("compartments")).isEqualTo(0);
      assertThat(a.get("seq")).isEqualTo(1L);
      var b = h.createQuery("SELECT started_at, completed_at, total_gross_gal, total_net_gal, driver_id, customer_ids,"
          + " seq FROM bol WHERE number = 'HOU1-000042'").mapToMap().one();
      assertThat(((java.sql.Timestamp) b.get("started_at")).toInstant()).isEqualTo(started);
      // PostgreSQL keeps microseconds: 1.999 µs rounds to 2
      assertThat(((java.sql.Timestamp) b.get("completed_at")).toInstant())
          .isEqualTo(java.time.Instant.parse("2024-03-01T00:00:00.000002Z"));
      assertThat(b.get("total_gross_gal")).isEqualTo(0.1 + 0.2);
      assertThat(b.get("total_net_gal")).isEqualTo(-1.0e-300);
      assertThat(b.get("driver_id")).isEqualTo("Zoë");
      assertThat((String[]) ((java.sql.Array) b.get("customer_ids")).getArray()).containsExactly("CUST\"1");
      assertThat(b.get("seq")).isEqualTo(2L);
      var l = h.createQuery("SELECT compartment, allocation_id, preset_gal, gross_gal, net_gal, ctl, consumed_gal"
          + " FROM bol_line WHERE bol_number = 'HOU1-000042'").mapToMap().one();
      assertThat(l.get("compartment")).isEqualTo(3);
      assertThat(l.get("allocation_id")).isNull();
      assertThat(l.get("preset_gal")).isEqualTo(4000L);
      assertThat(l.get("gross_gal")).isEqualTo(3999.75);
      assertThat(l.get("net_gal")).isEqualTo(3987.123456789);
      assertThat(l.get("ctl")).isEqualTo(0.9971);
      assertThat(l.get("consumed_gal")).isEqualTo(Long.MAX_VALUE);
    });
  }

  @Test
  void aBolsLinesLiveInItsRowAndReadBackThroughTheBolLineViewInTheirOrder() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    java.time.Instant at = java.time.Instant.parse("2026-05-01T06:00:00Z");
    List<io.tms.protocol.v1.BolIssuedV1.Line> lines = new ArrayList<>();
    for (int c : new int[] {2, 1, 5}) {
      lines.add(new io.tms.protocol.v1.BolIssuedV1.Line(c, "P" + c, "CUST" + c, c == 5 ? null : "AL" + c, "ARM" + c,
          "M" + c, "T" + c, 1000L * c, 999.5 * c, 990.25 * c, 60 + c, 850.0, 35.0, 0.99, 990L * c));
    }
    edge.append(EventTypes.BOL_ISSUED, new io.tms.protocol.v1.BolIssuedV1("HOU1-000007", "HOU1", "L7", "B1", "D1",
        "C1", "V1", at, at.plusSeconds(600), 0, 0, lines));
    edge.append(EventTypes.BOL_ISSUED, new io.tms.protocol.v1.BolIssuedV1("HOU1-000008", "HOU1", "L8", "B1", "D1",
        "C1", "V1", at, at.plusSeconds(900), 0, 0, List.of()));
    assertThat(edge.post(base, edge.batch(1, 2), true).statusCode()).isEqualTo(200);

    assertThat(count("SELECT count(*) FROM bol")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM bol_line")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM bol_line WHERE bol_number = 'HOU1-000008'")).isZero();
    List<java.util.Map<String, Object>> rows = cloud.database().jdbi().withHandle(h -> h.createQuery(
        "SELECT * FROM bol_line WHERE bol_number = 'HOU1-000007' ORDER BY compartment").mapToMap().list());
    assertThat(rows).extracting(r -> r.get("compartment")).containsExactly(1, 2, 5);
    assertThat(rows).extracting(r -> r.get("site_code")).containsOnly("HOU1");
    assertThat(rows).extracting(r -> r.get("product_code")).containsExactly("P1", "P2", "P5");
    assertThat(rows).extracting(r -> r.get("allocation_id")).containsExactly("AL1", "AL2", null);
    assertThat(rows).extracting(r -> r.get("tank_id")).containsExactly("T1", "T2", "T5");
    assertThat(rows).extracting(r -> r.get("preset_gal")).containsExactly(1000L, 2000L, 5000L);
    assertThat(rows).extracting(r -> r.get("gross_gal")).containsExactly(999.5, 1999.0, 4997.5);
    assertThat(rows).extracting(r -> r.get("temperature_f")).containsExactly(61.0, 62.0, 65.0);
    assertThat(rows).extracting(r -> r.get("consumed_gal")).containsExactly(990L, 1980L, 4950L);

    HttpResponse<String> one = edge.get(base, "/v1/bols/HOU1-000007");
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    JsonNode bol = parse(one);
    assertThat(bol.get("lines")).hasSize(3);
    assertThat(bol.get("lines").get(0).get("compartment").asInt()).isEqualTo(1);
    assertThat(bol.get("lines").get(2).get("consumedGallons").asLong()).isEqualTo(4950L);
  }

  @Test
  void aBolWithTwoLinesForOneCompartmentOrALineWithoutItsProductIsRefusedAndChangesNothing() throws Exception {
    java.time.Instant at = java.time.Instant.parse("2026-05-01T06:00:00Z");
    var good = new io.tms.protocol.v1.BolIssuedV1.Line(1, "ULSD", "CUST1", "AL1", "ARM1", "M1", "T1", 100, 99, 98,
        60, 850, 35, 0.99, 98);
    var twice = new io.tms.protocol.v1.BolIssuedV1.Line(1, "RUL87", "CUST1", "AL1", "ARM1", "M1", "T1", 100, 99, 98,
        60, 850, 35, 0.99, 98);
    var noProduct = new io.tms.protocol.v1.BolIssuedV1.Line(2, null, "CUST1", "AL1", "ARM1", "M1", "T1", 100, 99, 98,
        60, 850, 35, 0.99, 98);
    for (var bad : List.of(List.of(good, twice), List.of(good, noProduct))) {
      UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
      edge.load(1, "CUST1", "ULSD");
      edge.append(EventTypes.BOL_ISSUED, new io.tms.protocol.v1.BolIssuedV1("HOU1-000009", "HOU1", "L9", "B1", "D1",
          "C1", "V1", at, at.plusSeconds(600), 0, 0, bad));
      HttpResponse<String> r = edge.post(base, edge.batch(1, edge.events.size()), true);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(parse(r).get("field").asText()).isEqualTo("events[" + (edge.events.size() - 1) + "].body");
      assertThat(count("SELECT count(*) FROM bol")).isZero();
      assertThat(count("SELECT count(*) FROM site_load")).isZero();
      assertThat(count("SELECT count(*) FROM edge_cursor WHERE seq > 0")).isZero();
    }
  }

  @Test
  void queriesFindBolsLoadsAndInventoryOfASite() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    for (int i = 1; i <= 5; i++) {
      edge.load(i, i % 2 == 0 ? "CUSTA" : "CUSTB", "RUL87");
    }
    edge.gauge("T1", 80_000);
    assertThat(edge.post(base, edge.batch(1, edge.events.size()), true).statusCode()).isEqualTo(200);

    JsonNode page1 = parse(edge.get(base, "/v1/bols?site=HOU1&customer=CUSTB&limit=2"));
    assertThat(page1.get("items")).hasSize(2);
    assertThat(page1.get("items").get(0).get("lines")).hasSize(2);
    JsonNode page2 = parse(edge.get(base, "/v1/bols?site=HOU1&customer=CUSTB&limit=2&after=" + page1.get("next").asText()));
    assertThat(page2.get("items")).hasSize(1);
    assertThat(page2.get("next").isNull()).isTrue();
    assertThat(parse(edge.get(base, "/v1/bols?product=ULSD&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z"))
        .get("items")).hasSize(5);
    assertThat(parse(edge.get(base, "/v1/bols?product=JET")).get("items")).isEmpty();

    // fleet-wide pages (no site) merge every site's BOLs in (completed, number) order
    sql("INSERT INTO site (code, name, zone) VALUES ('DAL1', 'Dallas', 'America/Chicago')");
    UplinkClientFake dallas = new UplinkClientFake("DAL1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    for (int i = 1; i <= 3; i++) {
      dallas.load(i, "CUSTA", "ULSD");
    }
    assertThat(dallas.post(base, dallas.batch(1, dallas.events.size()), true).statusCode()).isEqualTo(200);
    List<String> fleet = new ArrayList<>();
    String after = null;
    for (int pages = 0; pages < 10; pages++) {
      JsonNode page = parse(edge.get(base, "/v1/bols?limit=3" + (after == null ? "" : "&after=" + after)));
      page.get("items").forEach(b -> fleet.add(b.get("number").asText()));
      if (page.get("next").isNull()) {
        break;
      }
      after = page.get("next").asText();
    }
    assertThat(fleet).containsExactly("DAL1-000001", "HOU1-000001", "DAL1-000002", "HOU1-000002", "DAL1-000003",
        "HOU1-000003", "HOU1-000004", "HOU1-000005");
    assertThat(parse(edge.get(base, "/v1/bols?customer=CUSTA&from=2026-05-01T06:30:00Z&limit=10")).get("items"))
        .extracting(b -> b.get("number").asText())
        .containsExactly("DAL1-000002", "HOU1-000002", "DAL1-000003", "HOU1-000004");
    JsonNode one = parse(edge.get(base, "/v1/bols/HOU1-000003"));
    assertThat(one.get("loadId").asText()).isEqualTo("HOU1-L3");
    assertThat(edge.get(base, "/v1/bols/HOU1-999999").statusCode()).isEqualTo(404);

    assertThat(parse(edge.get(base, "/v1/loads?site=HOU1&status=COMPLETED")).get("items")).hasSize(5);
    assertThat(parse(edge.get(base, "/v1/loads?site=HOU1&status=LOADING")).get("items")).isEmpty();

    JsonNode inv = parse(edge.get(base, "/v1/sites/HOU1/inventory"));
    JsonNode t1 = inv.get("tanks").get(0);
    assertThat(t1.get("tankId").asText()).isEqualTo("T1");
    assertThat(t1.get("bookNetGallons").asDouble()).isEqualTo(100_000 - 2985.0 * 5);
    assertThat(t1.get("gaugeNetGallons").asDouble()).isEqualTo(80_000);
    assertThat(t1.get("differenceGallons").asDouble()).isEqualTo(100_000 - 2985.0 * 5 - 80_000);

    for (String bad : List.of("/v1/bols?from=yesterday", "/v1/bols?limit=0", "/v1/bols?site=hou1", "/v1/loads?status=DONE",
        "/v1/bols?after=zzz")) {
      HttpResponse<String> r = edge.get(base, bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(parse(r).get("field").asText()).as(bad).isNotBlank();
    }
  }
}
