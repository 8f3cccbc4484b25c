package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.javalin.Javalin;
import io.tms.agent.Json;
import io.tms.api.fleet.DrainGate;
import io.tms.api.fleet.FleetConfig;
import io.tms.api.http.ApiException;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.EdgeEventV1;
import io.tms.protocol.v1.sync.HeartbeatAckV1;
import io.tms.protocol.v1.sync.HeartbeatV1;
import io.tms.protocol.v1.sync.UplinkAckV1;
import io.tms.protocol.v1.sync.UplinkBatchV1;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storm's drain step against a stand-in for the uplink endpoint that follows the protocol
 * (cursor per site and lane, 409 {@code expectedFromSeq}, hash chain checked, events at or below the
 * cursor skipped) behind a real {@link DrainGate}: the harness drains every site to the end through
 * 409s and 429s (the harness keeps two batches in flight per site, as agents do), and the gate never
 * lets two applies run at once. The real endpoint replaces the
 * stand-in when it lands.
 */
class StormDrainAgainstStandInTest {
  @TempDir Path dir;
  private final ObjectMapper json = Json.mapper();

  /** Per site and lane: cursor and the hash at it. */
  private record Head(long cursor, String hash) {}

  /** A lock held for a try-with-resources block. */
  private static final class CloseableLock {
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    AutoCloseable hold() {
      lock.lock();
      return lock::unlock;
    }
  }

  @Test
  void every_site_drains_to_the_end_through_409s_and_429s() throws Exception {
    StormBacklog.Shape shape = new StormBacklog.Shape(5, 1, 2, false, 30, 4, 64 * 1024);
    Instant outageEnd = Instant.parse("2026-11-25T12:00:00Z");
    StormBacklog expected = StormBacklog.generate(shape, outageEnd, json);
    FleetConfig gateConfig = FleetConfig.defaults().withDrain(1, Duration.ofMillis(20));
    DrainGate gate = new DrainGate(gateConfig);
    Map<String, Head> heads = new ConcurrentHashMap<>();
    // ST0002 already holds 7 business events (a batch acknowledged before the outage ended)
    heads.put("ST0002/BUSINESS", new Head(7, expected.events("ST0002", Lane.BUSINESS).get(6).hash()));
    AtomicBoolean firstOf3 = new AtomicBoolean(true);
    AtomicInteger applying = new AtomicInteger();
    AtomicInteger maxApplying = new AtomicInteger();
    AtomicInteger chainBreaks = new AtomicInteger();
    Map<String, CloseableLock> lanes = new ConcurrentHashMap<>();

    Javalin standIn = Javalin.create(c -> {
      c.routes.post("/edge/v1/sites/{site}/heartbeat", ctx -> {
        HeartbeatV1 hb = json.readValue(ctx.bodyAsBytes(), HeartbeatV1.class);
        gate.reportBacklog(hb.siteCode(), hb.outbox().values().stream().mapToLong(HeartbeatV1.LaneBacklog::depth).sum());
        DrainGate.Position p = gate.position(hb.siteCode());
        ctx.contentType("application/json").result(json.writeValueAsString(
            new HeartbeatAckV1(Instant.now(), 0, p.place(), p.etaSeconds())));
      });
      c.routes.get("/v1/fleet/sites", ctx -> ctx.contentType("application/json").result(json.writeValueAsString(
          Map.of("sites", StormBenchmark.siteCodes(3).stream().map(code -> Map.of("code", code)).toList()))));
      c.routes.post("/edge/v1/sites/{site}/events", ctx -> {
        String site = ctx.pathParam("site");
        assertThat(ctx.header("Content-Encoding")).isEqualTo("zstd");
        UplinkBatchV1 batch;
        try (var in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(ctx.bodyAsBytes()))) {
          batch = WireBatch.read(json, in.readAllBytes());
        }
        String key = site + "/" + batch.lane();
        if (site.equals("ST0003") && firstOf3.getAndSet(false)) { // as if the cloud had lost track: start over
          ctx.status(409).contentType("application/problem+json").result("{\"status\":409,\"expectedFromSeq\":1}");
          return;
        }
        // a site may have two batches inside the gate (DrainGate.PER_SITE): they apply one at a time
        try (DrainGate.Permit permit = gate.enter(site, batch.events().size());
             var turn = lanes.computeIfAbsent(key, k -> new CloseableLock()).hold()) {
          Head head = heads.getOrDefault(key, new Head(0, EventHash.GENESIS));
          if (batch.fromSeq() > head.cursor() + 1) {
            ctx.status(409).contentType("application/problem+json")
                .result("{\"status\":409,\"expectedFromSeq\":" + (head.cursor() + 1) + "}");
            return;
          }
          maxApplying.accumulateAndGet(applying.incrementAndGet(), Math::max);
          String prev = batch.prevHash();
          int applied = 0;
          int skipped = 0;
          Head now = head;
          for (EdgeEventV1 e : batch.events()) {
            String h = EventHash.next(prev, batch.lane(), e.seq(), e.type(), e.occurredAt(), e.body());
            if (!h.equals(e.hash())) {
              chainBreaks.incrementAndGet();
            }
            prev = h;
            if (e.seq() <= now.cursor()) {
              skipped++;
            } else {
              if (e.seq() == batch.fromSeq() && !batch.prevHash().equals(now.hash())) {
                chainBreaks.incrementAndGet(); // the first new event must chain to what the cloud holds
              }
              now = new Head(e.seq(), e.hash());
              applied++;
            }
          }
          heads.put(key, now);
          applying.decrementAndGet();
          ctx.contentType("application/json").result(json.writeValueAsString(
              new UplinkAckV1(batch.lane(), now.cursor(), applied, skipped)));
        } catch (ApiException refused) {
          refused.headers().forEach(ctx::header);
          ctx.status(refused.status()).contentType("application/problem+json")
              .result(json.writeValueAsString(refused.problem()));
        }
      });
    }).start("127.0.0.1", 0);
    try {
      BenchReport report = new StormBenchmark().runAgainst(URI.create("http://127.0.0.1:" + standIn.port()),
          new StormBenchmark.Settings(3, Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(500), true, shape,
              Duration.ofSeconds(60), 1, null, dir), outageEnd);
      report.printTable(System.out);
      Map<String, JsonNode> metrics = new HashMap<>();
      new ObjectMapper().readTree(report.toJson()).get("results")
          .forEach(r -> metrics.put(r.get("metric").asText(), r));
      assertThat(metrics.get("sites_drained").get("value").asLong()).isEqualTo(3);
      assertThat(metrics.get("drain_errors").get("value").asLong()).isZero();
      assertThat(metrics.get("drain_409s").get("value").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(metrics).containsKeys("storm_drain_s", "storm_heartbeat_p99_ms", "drain_429s");
      for (String site : StormBenchmark.siteCodes(3)) {
        for (Lane lane : List.of(Lane.BUSINESS, Lane.TELEMETRY)) {
          assertThat(heads.get(site + "/" + lane).cursor()).as(site + " " + lane).isEqualTo(expected.lastSeq(lane));
        }
      }
      assertThat(chainBreaks.get()).isZero();
      assertThat(maxApplying.get()).isEqualTo(1);
    } finally {
      standIn.stop();
    }
  }
}
