package io.tms.agent.store;

import io.tms.protocol.v1.Lane;

/**
 * Where each outbox lane is stored (agent schema V8): a rowid table per lane whose {@code seq} is
 * the rowid, so that a body of up to ~4,000 bytes stays in the table's leaf page instead of an
 * overflow page of its own, and appends in seq order fill the rightmost leaf. The {@code outbox}
 * view keeps the old columns ({@code lane, seq, …}) for tools and ad-hoc reads; the agent reads and
 * writes the lane's table directly, with the statement texts made here once. Immutable.
 */
public enum OutboxTables {
  BUSINESS("outbox_business"),
  TELEMETRY("outbox_telemetry");

  /** The lane's table. */
  public final String table;
  /** Appends an event: {@code seq, type, occurred_at, prev_hash, hash, body}. */
  final String insert;
  /** The lane's last event: {@code seq, hash}. */
  final String last;
  /** Events with {@code seq > ?}, in order, at most {@code ?}: {@code seq, type, occurred_at, body, prev_hash, hash}. */
  final String readAfter;
  /**
   * Events in {@code (?, ?]}, in order: {@code seq, type, occurred_at, body, prev_hash, hash} (the
   * uplink's batch read, body in column 4).
   */
  public final String readRange;
  /** The seq of the first event after {@code ?}. */
  public final String firstSeqAfter;
  /** The time of the first event after {@code ?}. */
  public final String firstAtAfter;

  OutboxTables(String table) {
    this.table = table;
    this.insert = "INSERT INTO " + table
        + " (seq, type, occurred_at, prev_hash, hash, body) VALUES (?, ?, ?, ?, ?, ?)";
    this.last = "SELECT seq, hash FROM " + table + " ORDER BY seq DESC LIMIT 1";
    this.readAfter = "SELECT seq, type, occurred_at, body, prev_hash, hash FROM " + table
        + " WHERE seq > ? ORDER BY seq LIMIT ?";
    this.readRange = "SELECT seq, type, occurred_at, body, prev_hash, hash FROM " + table
        + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT 100000";
    this.firstSeqAfter = "SELECT seq FROM " + table + " WHERE seq > ? ORDER BY seq LIMIT 1";
    this.firstAtAfter = "SELECT occurred_at FROM " + table + " WHERE seq > ? ORDER BY seq LIMIT 1";
  }

  /** The storage of {@code lane}. */
  public static OutboxTables of(Lane lane) {
    return switch (lane) {
      case BUSINESS -> BUSINESS;
      case TELEMETRY -> TELEMETRY;
    };
  }
}
