package io.tms.agent.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Housekeeping over a table the writer appends in time order (idempotency answers, an outbox lane):
 * what is old enough to go is a prefix of it in id order, so a pass finds the first row to keep,
 * walking from the oldest, and deletes what comes before it. The walk stops at the first young
 * row, so a pass with nothing due reads one row instead of the whole table, on the writer. The
 * clock can step: a row written while it stood behind waits for the prefix to reach it (kept
 * longer, never removed early), and one stamped more than {@link #CLOCK_AHEAD} ahead of now does
 * not end the walk (else nothing after it would go until that date) but stays, as any young row
 * does.
 */
final class TimeOrderedPrefix {
  /** How far ahead of the writer's clock a row's time may be and still count as written now. */
  static final Duration CLOCK_AHEAD = Duration.ofDays(1);

  private TimeOrderedPrefix() {}

  /**
   * The id of the first row, up to {@code lastId}, whose {@code timeColumn} (ISO-8601 text) is from
   * {@code cutoff} to {@code now} + {@link #CLOCK_AHEAD}; empty when there is none up to it.
   */
  static Optional<Long> firstToKeep(PreparedSql sql, String table, String idColumn, String timeColumn, long lastId,
      Instant cutoff, Instant now) {
    return sql.first("SELECT " + idColumn + " FROM " + table + " WHERE " + idColumn + " <= ? AND " + timeColumn
            + " >= ? AND " + timeColumn + " <= ? ORDER BY " + idColumn + " LIMIT 1", rs -> rs.getLong(1), lastId,
        cutoff.toString(), now.plus(CLOCK_AHEAD).toString());
  }
}
