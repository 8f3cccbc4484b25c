package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.agent.Json;
import io.tms.protocol.v1.Lane;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the housekeeping prunes from the outbox: acknowledged events past the retention, and only those. */
class OutboxRetentionTest {
  private static final Instant T0 = Instant.parse("2025-11-25T14:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  private final OutboxStore outbox = new OutboxStore(Json.mapper());
  private final OutboxRetention retention = new OutboxRetention(Duration.ofDays(7), 1L << 30);

  @Test
  void prunes_acknowledged_events_past_the_retention_and_never_an_unacknowledged_or_younger_one(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "R1", CLOCK, 64)) {
      append(db, T0, 1, 2, 3); // seqs 1-3, day 0
      append(db, T0.plus(Duration.ofDays(3650)), 4); // a device ten years ahead
      append(db, T0.plus(Duration.ofDays(1)), 5, 6); // day 1
      append(db, T0.plus(Duration.ofHours(12)), 7); // out of order: older than 5 and 6
      append(db, T0.plus(Duration.ofDays(2)), 8, 9); // day 2
      acknowledge(db, 8);

      assertThat(prune(db, T0.plus(Duration.ofDays(7)))).as("nothing past 7 days yet").isZero();
      assertThat(prune(db, T0.plus(Duration.ofDays(7)).plusSeconds(1))).isEqualTo(3);
      assertThat(seqs(db)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);

      assertThat(prune(db, T0.plus(Duration.ofDays(8)).plusSeconds(1)))
          .as("5 and 6, and 7 behind them; not the one ten years ahead").isEqualTo(3);
      assertThat(seqs(db)).containsExactly(4L, 8L, 9L);

      assertThat(prune(db, T0.plus(Duration.ofDays(30)))).as("9 is not acknowledged").isEqualTo(1);
      assertThat(seqs(db)).containsExactly(4L, 9L);
    }
  }

  private void append(SiteDatabase db, Instant at, long... expectedSeqs) {
    db.writer().write(ctx -> {
      for (long seq : expectedSeqs) {
        assertThat(outbox.append(ctx, Lane.BUSINESS, "test", at, Map.of("n", seq))).isEqualTo(seq);
      }
      return null;
    });
  }

  private static void acknowledge(SiteDatabase db, long seq) {
    db.writer().write(ctx -> ctx.sql().update("UPDATE outbox_head SET acked_seq = ? WHERE lane = ?", seq,
        Lane.BUSINESS.name()));
  }

  private long prune(SiteDatabase db, Instant now) {
    return db.writer().write(ctx -> retention.apply(ctx, now)).pruned();
  }

  private static List<Long> seqs(SiteDatabase db) {
    return db.writer().write(ctx -> {
      List<Long> seqs = new ArrayList<>();
      ctx.sql().forEach("SELECT seq FROM " + OutboxTables.BUSINESS.table + " ORDER BY seq", rs -> seqs.add(rs.getLong(1)));
      return seqs;
    });
  }
}
