package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.agent.Json;
import io.tms.protocol.v1.Lane;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the outbox is stored (agent schema V8): bodies in the lane table's leaves, reads by rowid range. */
class OutboxTablesTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-25T14:00:00Z"), ZoneOffset.UTC);

  @Test
  void bodiesOfBusinessEventsAndTelemetryBlocksStayInTheLeafPages(@TempDir Path dir) {
    OutboxStore outbox = new OutboxStore(Json.mapper());
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      // a BOL's event is ~1,400 bytes, a telemetry block up to ~3,500: both spilled before V8
      db.writer().write(ctx -> {
        for (int i = 0; i < 200; i++) {
          outbox.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("doc", "b".repeat(1_400)));
          outbox.append(ctx, Lane.TELEMETRY, "test", ctx.now(), Map.of("samples", "t".repeat(3_500)));
        }
        return null;
      });
      db.reader().useHandle(h -> {
        for (OutboxTables lane : OutboxTables.values()) {
          List<Map<String, Object>> pages = h.createQuery(
                  "SELECT pagetype, count(*) AS pages FROM dbstat WHERE name = ? GROUP BY pagetype")
              .bind(0, lane.table).mapToMap().list();
          assertThat(pages).as(lane.table).noneMatch(p -> "overflow".equals(p.get("pagetype")));
          assertThat(pages).as(lane.table).anyMatch(p -> "leaf".equals(p.get("pagetype")));
        }
        for (Lane lane : Lane.values()) {
          assertThat(outbox.verify(h, lane).events()).isEqualTo(200);
        }
      });
    }
  }

  @Test
  void theUplinksReadsAreRowidRangeScansOfTheLanesTable(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      db.reader().useHandle(h -> {
        for (OutboxTables lane : OutboxTables.values()) {
          for (String sql : List.of(lane.readAfter, lane.readRange, lane.firstSeqAfter, lane.firstAtAfter)) {
            var query = h.createQuery("EXPLAIN QUERY PLAN " + sql);
            for (int i = 0; i < sql.chars().filter(c -> c == '?').count(); i++) {
              query.bind(i, 10L);
            }
            List<String> plan = query.map((rs, ctx) -> rs.getString("detail")).list();
            assertThat(plan).as(sql).singleElement().asString()
                .startsWith("SEARCH " + lane.table + " USING INTEGER PRIMARY KEY (rowid>?");
          }
        }
      });
    }
  }
}
