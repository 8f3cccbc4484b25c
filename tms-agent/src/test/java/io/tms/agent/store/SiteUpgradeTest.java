package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.agent.Json;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.Lane;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A site upgraded in place: a database written by the agent before the V5 schema (at V2) opens with
 * the current code and keeps its outbox chain, its BOLs, its movements and its stored answers; one
 * written before V8 (the outbox in one WITHOUT ROWID table) keeps each lane's events, heads, acked
 * cursor and chain in the lanes' tables.
 */
class SiteUpgradeTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-25T14:00:00Z"), ZoneOffset.UTC);

  @Test
  void aSiteWrittenBeforeV5KeepsItsChainBolsMovementsAndAnswers(@TempDir Path dir) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve(SiteDatabase.FILE_NAME));
    Flyway.configure().dataSource(ds).locations("classpath:db/agent").target("2").load().migrate();
    String bolJson = "{\"bolNumber\":\"T1-1\"}";
    Jdbi.create(ds).useHandle(h -> {
      h.execute("INSERT INTO product (code, name, commodity_group) VALUES ('ULSD', 'Diesel', 'FUEL_OILS')");
      h.execute("INSERT INTO tank (id, product_code, capacity_gal, base_density) VALUES ('T-1', 'ULSD', 1000, 850)");
      h.execute("INSERT INTO bay (id, name, active) VALUES ('B1', 'Bay 1', 1)");
      h.execute("INSERT INTO driver_authorization (id, decided_at, expires_at, approved, card_number, vehicle_id, "
          + "decision_json) VALUES ('T1-A1', '2025-11-25T13:00:00Z', '2025-11-25T17:00:00Z', 1, 'C1', 'V1', '{}')");
      h.execute("INSERT INTO load (id, authorization_id, bay_id, vehicle_id, driver_id, carrier_id, status, "
          + "started_at) VALUES ('T1-L1', 'T1-A1', 'B1', 'V1', 'D1', 'K1', 'COMPLETED', '2025-11-25T13:10:00Z')");
      h.execute("INSERT INTO bol (number, seq, load_id, issued_at, total_gross, total_net, body_json) "
          + "VALUES ('T1-1', 1, 'T1-L1', '2025-11-25T13:30:00Z', 100, 99, ?)", bolJson);
      h.execute("INSERT INTO site_sequence (name, value) VALUES ('bol', 1)");
      for (int i = 0; i < 3; i++) {
        h.execute("INSERT INTO inventory_movement (tank_id, moved_at, reason, reference, delta_net, book_after) "
            + "VALUES ('T-1', '2025-11-25T13:30:00Z', 'LOAD', 'T1-1', -33, ?)", 900 - 33 * i);
      }
      h.execute("INSERT INTO idempotency (key, operation, request_hash, status, response_json, created_at) "
          + "VALUES ('k1', 'complete-load:T1-L1', 'h1', 201, ?, '2025-11-25T13:30:00Z')", bolJson);
      String prev = EventHash.GENESIS;
      for (long seq = 1; seq <= 3; seq++) {
        String body = "{\"n\":" + seq + "}";
        String hash = EventHash.next(prev, Lane.BUSINESS, seq, "test", "2025-11-25T13:30:00Z", body);
        h.execute("INSERT INTO outbox (lane, seq, type, occurred_at, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            "BUSINESS", seq, "test", "2025-11-25T13:30:00Z", body, prev, hash);
        prev = hash;
      }
      h.execute("INSERT INTO outbox_head (lane, last_seq, last_hash) VALUES ('BUSINESS', 3, ?)", prev);
    });

    OutboxStore outbox = new OutboxStore(Json.mapper());
    SequenceStore sequences = new SequenceStore();
    IdempotencyStore idempotency = new IdempotencyStore();
    InventoryStore inventory = new InventoryStore();
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      var answers = db.writer().write(ctx -> {
        var old = idempotency.find(ctx, "k1", "complete-load:T1-L1", "h1").orElseThrow();
        outbox.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("n", 4));
        inventory.move(ctx, "T-1", -10, "LOAD", "T1-2", ctx.now());
        long bol = sequences.next(ctx, SequenceStore.BOL);
        return Map.of("old", old.responseJson(), "bol", bol);
      });
      assertThat(answers).containsEntry("old", bolJson).containsEntry("bol", 2L);

      db.reader().useHandle(h -> {
        var check = outbox.verify(h, Lane.BUSINESS);
        assertThat(check.ok()).as(check.problem()).isTrue();
        assertThat(check.events()).isEqualTo(4);
        assertThat(h.createQuery("SELECT group_concat(id) FROM (SELECT id FROM inventory_movement ORDER BY id)")
            .mapTo(String.class).one()).isEqualTo("1,2,3,4");
        assertThat(h.createQuery("SELECT body_json FROM bol WHERE number = 'T1-1'").mapTo(String.class).one())
            .isEqualTo(bolJson);
        assertThat(h.createQuery("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'")
            .mapTo(Integer.class).one()).isZero();
      });
    }
  }

  @Test
  void aSiteWrittenBeforeV8KeepsBothLanesTheirHeadsCursorsAndChains(@TempDir Path dir) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve(SiteDatabase.FILE_NAME));
    Flyway.configure().dataSource(ds).locations("classpath:db/agent").target("7").load().migrate();
    String bigBody = "{\"samples\":\"" + "x".repeat(3_000) + "\"}"; // spilled to an overflow page before V8
    Map<Lane, List<String>> hashes = new EnumMap<>(Lane.class);
    Jdbi.create(ds).useHandle(h -> {
      for (Lane lane : Lane.values()) {
        int events = lane == Lane.BUSINESS ? 5 : 3;
        String prev = EventHash.GENESIS;
        List<String> chain = new ArrayList<>();
        // inserted newest first: the copy must put them in seq order all the same
        List<String[]> rows = new ArrayList<>();
        for (long seq = 1; seq <= events; seq++) {
          String body = lane == Lane.TELEMETRY ? bigBody : "{\"n\":" + seq + "}";
          String hash = EventHash.next(prev, lane, seq, "test", "2025-11-25T13:30:00Z", body);
          rows.add(new String[] {Long.toString(seq), body, prev, hash});
          chain.add(hash);
          prev = hash;
        }
        for (String[] r : rows.reversed()) {
          h.execute("INSERT INTO outbox (lane, seq, type, occurred_at, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
              lane.name(), Long.parseLong(r[0]), "test", "2025-11-25T13:30:00Z", r[1], r[2], r[3]);
        }
        h.execute("INSERT INTO outbox_head (lane, last_seq, last_hash, acked_seq) VALUES (?, ?, ?, ?)",
            lane.name(), events, prev, events - 2);
        hashes.put(lane, chain);
      }
    });

    OutboxStore outbox = new OutboxStore(Json.mapper());
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      long next = db.writer().write(ctx -> outbox.append(ctx, Lane.TELEMETRY, "test", ctx.now(), Map.of("n", 4)));
      assertThat(next).isEqualTo(4);

      db.reader().useHandle(h -> {
        for (Lane lane : Lane.values()) {
          var check = outbox.verify(h, lane);
          assertThat(check.ok()).as(check.problem()).isTrue();
          assertThat(outbox.read(h, lane, 0, 3).stream().map(OutboxStore.Event::hash).toList())
              .isEqualTo(hashes.get(lane).subList(0, 3));
        }
        assertThat(outbox.state(h)).containsEntry(Lane.BUSINESS, new OutboxStore.LaneState(5, 3, "2025-11-25T13:30:00Z"))
            .containsEntry(Lane.TELEMETRY, new OutboxStore.LaneState(4, 1, "2025-11-25T13:30:00Z"));
        // the old columns stay readable through the view, in each lane's seq order
        assertThat(h.createQuery("SELECT lane || ':' || seq FROM outbox WHERE lane = ? AND seq > ? ORDER BY seq LIMIT ?")
            .bind(0, "BUSINESS").bind(1, 2).bind(2, 10).mapTo(String.class).list())
            .containsExactly("BUSINESS:3", "BUSINESS:4", "BUSINESS:5");
        assertThat(h.createQuery("SELECT body FROM outbox WHERE lane = 'TELEMETRY' AND seq = 2").mapTo(String.class).one())
            .isEqualTo(bigBody);
        assertThat(h.createQuery("SELECT count(*) FROM sqlite_master WHERE name = 'outbox' AND type = 'view'")
            .mapTo(Integer.class).one()).isOne();
      });
    }
  }
}
