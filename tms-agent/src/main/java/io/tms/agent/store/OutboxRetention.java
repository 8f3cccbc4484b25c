package io.tms.agent.store;

import io.tms.protocol.v1.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Keeps the outbox bounded (DESIGN §3): acknowledged events older than the retention are deleted
 * (the cloud holds them), and when the unacknowledged telemetry passes its byte budget the oldest
 * of it is deleted and counted in {@code sync_state} — the uplink then tells the cloud the range
 * was dropped on purpose ({@code droppedThroughSeq}). Business events are never dropped. Runs as
 * units of the site writer. Thread-safe (stateless apart from its settings).
 */
public final class OutboxRetention {
  public static final String DROPPED_KEY = "outbox.telemetry.dropped";

  private final Duration retention;
  private final long telemetryBudgetBytes;

  public OutboxRetention(Duration retention, long telemetryBudgetBytes) {
    this.retention = retention;
    this.telemetryBudgetBytes = telemetryBudgetBytes;
  }

  /** What one pass did. */
  public record Result(long pruned, long dropped) {}

  public Result apply(WriteContext ctx, Instant now) {
    PreparedSql sql = ctx.sql();
    String cutoff = now.minus(retention).toString();
    long pruned = 0;
    for (Lane lane : Lane.values()) {
      // a prefix of the lane's acknowledged events in seq order ({@link TimeOrderedPrefix}), not a test
      // of occurred_at on all 7 days of them, every 10 minutes, on the writer
      String table = OutboxTables.of(lane).table;
      long acked = sql.first("SELECT acked_seq FROM outbox_head WHERE lane = ?", rs -> rs.getLong(1), lane.name())
          .orElse(0L);
      long through = TimeOrderedPrefix.firstToKeep(sql, table, "seq", "occurred_at", acked, now.minus(retention), now)
          .map(firstKept -> firstKept - 1).orElse(acked);
      pruned += sql.update("DELETE FROM " + table + " WHERE seq <= ? AND occurred_at < ?", through, cutoff);
    }
    long dropped = dropTelemetryOverBudget(sql);
    return new Result(pruned, dropped);
  }

  private long dropTelemetryOverBudget(PreparedSql sql) {
    long acked = sql.first("SELECT acked_seq FROM outbox_head WHERE lane = ?", rs -> rs.getLong(1), Lane.TELEMETRY.name())
        .orElse(0L);
    String table = OutboxTables.TELEMETRY.table;
    long total = sql.longValue("SELECT coalesce(sum(octet_length(body)), 0) FROM " + table + " WHERE seq > ?", acked);
    if (total <= telemetryBudgetBytes) {
      return 0;
    }
    // newest first: keep events while they fit, drop everything older than the first that does not
    List<long[]> sizes = sql.list("SELECT seq, octet_length(body) FROM " + table + " WHERE seq > ? ORDER BY seq DESC",
        rs -> new long[] {rs.getLong(1), rs.getLong(2)}, acked);
    long kept = 0;
    long dropThrough = -1;
    for (long[] s : sizes) {
      if (kept + s[1] > telemetryBudgetBytes) {
        dropThrough = s[0];
        break;
      }
      kept += s[1];
    }
    if (dropThrough < 0) {
      return 0;
    }
    long dropped = sql.update("DELETE FROM " + table + " WHERE seq > ? AND seq <= ?", acked, dropThrough);
    sql.update("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
        + " SET value = CAST(CAST(sync_state.value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT)",
        DROPPED_KEY, Long.toString(dropped));
    return dropped;
  }
}
