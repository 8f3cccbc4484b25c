package io.tms.api.fleet;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks a site offline when it missed N heartbeats in a row and records the transition in
 * {@code site_event}. Every replica runs it every few seconds; a transaction-scoped advisory lock
 * makes one of them do the work at a time (the others skip the tick), and the conditional UPDATE
 * ({@code state = 'ONLINE'}, rows skipped when a heartbeat flush holds them) records each
 * transition once even without it. The way back online is the heartbeat flush
 * ({@link HeartbeatBuffer}).
 *
 * <p>Time is a parameter: {@link #tick(Instant)} with the cloud's clock; tests drive it by hand.
 */
public final class OfflineDetector {
  private static final Logger log = LoggerFactory.getLogger(OfflineDetector.class);
  /** pg_try_advisory_xact_lock key of this job ("tms" fleet offline detection). */
  static final long LOCK_KEY = 0x746d73_0030_0001L;

  /** What one tick did: {@code ran} false when another replica held the job's lock. */
  public record Tick(boolean ran, List<String> wentOffline) {}

  private final Jdbi jdbi;
  private final Duration offlineAfter;

  public OfflineDetector(Jdbi jdbi, Duration offlineAfter) {
    this.jdbi = jdbi;
    this.offlineAfter = offlineAfter;
  }

  public Tick tick(Instant now) {
    Tick t = jdbi.inTransaction(h -> {
      boolean mine = h.createQuery("SELECT pg_try_advisory_xact_lock(:key)").bind("key", LOCK_KEY)
          .mapTo(Boolean.class).one();
      if (!mine) {
        return new Tick(false, List.of());
      }
      List<String> offline = h.createQuery("""
              WITH due AS (
                SELECT site_code FROM site_state
                WHERE state = 'ONLINE' AND last_heartbeat_at < :cutoff
                ORDER BY site_code
                FOR UPDATE SKIP LOCKED),
              gone AS (
                UPDATE site_state s SET state = 'OFFLINE', state_since = :now
                FROM due WHERE s.site_code = due.site_code
                RETURNING s.site_code, s.last_heartbeat_at)
              INSERT INTO site_event (site_code, at, kind, detail)
              SELECT site_code, :now, 'OFFLINE',
                     'no heartbeat since ' || to_char(last_heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
              FROM gone ORDER BY site_code
              RETURNING site_code""")
          .bind("cutoff", now.minus(offlineAfter).atOffset(ZoneOffset.UTC))
          .bind("now", now.atOffset(ZoneOffset.UTC))
          .mapTo(String.class)
          .list();
      return new Tick(true, offline);
    });
    if (!t.wentOffline().isEmpty()) {
      log.warn("sites offline (no heartbeat for {} s): {}", offlineAfter.toSeconds(), t.wentOffline());
    }
    return t;
  }
}
