package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.tms.agent.Json;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.EdgeEventV1;
import io.tms.protocol.v1.sync.UplinkBatchV1;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of {@code tms bench storm}, so the harness cannot rot; figures are not asserted. */
class StormBenchmarkSmokeTest {
  @TempDir Path dir;

  @Test
  void three_sites_heartbeat_are_listed_online_and_drain_when_the_cloud_has_an_uplink() throws Exception {
    BenchReport report = new StormBenchmark().run(new StormBenchmark.Settings(
        3, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2), true, StormBacklog.Shape.tiny(), Duration.ofSeconds(60),
        2, null, dir, 1, 1.0));

    report.printTable(System.out);
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("benchmark").asText()).isEqualTo("storm");
    Map<String, JsonNode> metrics = new HashMap<>();
    json.get("results").forEach(r -> metrics.put(r.get("metric").asText(), r));
    assertThat(metrics).containsKeys("heartbeat_p50_ms", "heartbeat_p99_ms", "heartbeats", "sites_online",
        "heartbeat_errors");
    assertThat(metrics.get("heartbeats").get("value").asLong()).isPositive();
    assertThat(metrics.get("sites_online").get("value").asLong()).isEqualTo(3);
    assertThat(metrics.get("heartbeat_errors").get("value").asLong()).isZero();
    if (metrics.containsKey("storm_drain_s")) { // once the uplink endpoint is in the cloud
      assertThat(metrics.get("sites_drained").get("value").asLong()).isEqualTo(3);
      assertThat(metrics.get("drain_errors").get("value").asLong()).isZero();
      assertThat(report.notes()).anyMatch(n -> n.startsWith("warm-up (not measured): 1 of at most 1 other sites drained")
          && n.contains(" 0 errors;"));
    }
  }

  @Test
  void backlog_batches_decode_as_one_zstd_body_whose_chain_holds() throws Exception {
    ObjectMapper json = Json.mapper();
    StormBacklog b = StormBacklog.generate(StormBacklog.Shape.tiny(), Instant.parse("2026-11-25T12:00:00Z"), json);
    assertThat(b.lastSeq(Lane.BUSINESS)).isEqualTo(5 * 4 + 2); // 4 events per load, a gauge reading per tank-hour
    assertThat(b.lastSeq(Lane.TELEMETRY)).isEqualTo(2); // the gauge console's two 30-minute blocks of both tanks
    assertThat(b.events(Lane.TELEMETRY)).allSatisfy(e -> { // the compact form, decoding to the samples
      io.tms.protocol.v1.TelemetrySamplesV1 t = json.readValue(e.body(), io.tms.protocol.v1.TelemetrySamplesV1.class);
      assertThat(t.values()).isNull();
      double[][] rows = t.decodeSamples();
      assertThat(rows).hasNumberOfRows(360);
      assertThat(t.metrics()).hasSize(2 * 4).startsWith("T1.level_in", "T1.water_in");
      assertThat(rows[0]).hasSize(2 * 4).contains(2.5, 845.3);
    });
    for (Lane lane : Lane.values()) {
      long next = 1;
      String prev = EventHash.GENESIS;
      while (next <= b.lastSeq(lane)) {
        byte[] body = b.body("ST0001", lane, next, 50);
        UplinkBatchV1 batch;
        try (var in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(body))) {
          batch = WireBatch.read(json, in.readAllBytes());
        }
        assertThat(batch.siteCode()).isEqualTo("ST0001");
        assertThat(batch.lane()).isEqualTo(lane);
        assertThat(batch.fromSeq()).isEqualTo(next);
        assertThat(batch.prevHash()).isEqualTo(prev);
        for (EdgeEventV1 e : batch.events()) {
          assertThat(e.seq()).isEqualTo(next);
          prev = EventHash.next(prev, lane, e.seq(), e.type(), e.occurredAt(), e.body());
          assertThat(e.hash()).isEqualTo(prev);
          next++;
        }
        assertThat(b.batchEnd("ST0001", lane, batch.fromSeq(), 50)).isEqualTo(next - 1);
      }
    }
    // a batch from a seq where no pre-cut batch starts (after a 409) is built on the spot
    byte[] odd = b.body("ST0001", Lane.BUSINESS, 3, 4);
    try (var in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(odd))) {
      UplinkBatchV1 batch = WireBatch.read(json, in.readAllBytes());
      assertThat(batch.events()).hasSize(4);
      assertThat(batch.prevHash()).isEqualTo(b.events("ST0001", Lane.BUSINESS).get(1).hash());
    }
    // with no practical cap on events (--batch-events), it runs to the lane's end
    byte[] rest = b.body("ST0001", Lane.BUSINESS, 3, Integer.MAX_VALUE);
    try (var in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(rest))) {
      assertThat(WireBatch.read(json, in.readAllBytes()).events()).hasSize((int) b.lastSeq(Lane.BUSINESS) - 2);
    }
    assertThat(b.batchEnd("ST0001", Lane.BUSINESS, 3, Integer.MAX_VALUE)).isEqualTo(b.lastSeq(Lane.BUSINESS));
    // each site's BOLs are its own (the cloud refuses another site's BOL numbers)
    assertThat(b.events("ST0002", Lane.BUSINESS)).filteredOn(e -> e.type().equals("bol.issued.v1"))
        .allSatisfy(e -> assertThat(e.body()).contains("\"bolNumber\":\"ST0002-"));
  }
}
