package io.tms.api.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatV1;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest heartbeat of each site, kept in memory and written to {@code site_state} in one
 * statement per flush (every second), so that a heartbeat costs no database round trip.
 *
 * <p>Why: hundreds of sites heartbeat every few seconds (10,000 sources in the fleet benchmark), and
 * during a reconnect storm the same database applies uplink batches. A row per heartbeat would be a
 * commit (≈ 0.3 ms of fsync) per request on the storm's critical resource; coalescing makes it one
 * commit per replica per second whatever the rate, and only the newest state of a site is written.
 * The row stays the cross-replica truth: the fleet view and the offline detector read it. The price
 * is that a heartbeat is visible up to one flush interval late, and one lost if the replica dies
 * before its flush — the next heartbeat, seconds later, replaces it (the offline threshold is many
 * flush intervals long). A row only moves forward: an older heartbeat flushed late by another
 * replica does not overwrite a newer one.
 *
 * <p>Thread-safe: {@link #put} from any request thread; {@link #flush} runs one at a time.
 */
public final class HeartbeatBuffer {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatBuffer.class);

  /** A heartbeat as received: the cloud's receive time, skew, the place it was told, and how many it stands for. */
  public record Received(HeartbeatV1 heartbeat, Instant receivedAt, long clockSkewMs, int drainPlace,
                         long drainEtaSeconds, int count) {}

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final ConcurrentHashMap<String, Received> pending = new ConcurrentHashMap<>();
  private volatile long feedRev = -1;

  public HeartbeatBuffer(Jdbi jdbi, ObjectMapper json) {
    this.jdbi = jdbi;
    this.json = json;
  }

  public void put(String site, Received r) {
    pending.merge(site, r, (old, fresh) -> fresh.receivedAt().isBefore(old.receivedAt())
        ? new Received(old.heartbeat(), old.receivedAt(), old.clockSkewMs(), old.drainPlace(), old.drainEtaSeconds(),
            old.count() + fresh.count())
        : new Received(fresh.heartbeat(), fresh.receivedAt(), fresh.clockSkewMs(), fresh.drainPlace(),
            fresh.drainEtaSeconds(), old.count() + fresh.count()));
  }

  /** Heartbeats received and not yet written. */
  public int pending() {
    return pending.size();
  }

  /** The feed head as of the last flush (read once per flush, not per heartbeat). */
  public long feedRev() {
    long rev = feedRev;
    if (rev < 0) {
      rev = readFeedRev();
      feedRev = rev;
    }
    return rev;
  }

  /**
   * Writes what is pending in one transaction: upserts the rows, records an ONLINE event for sites
   * seen for the first time or back from offline. Returns those sites. On failure the heartbeats are
   * put back (unless newer ones arrived) and the error is rethrown.
   */
  public synchronized List<String> flush() {
    Map<String, Received> batch = new HashMap<>();
    for (String site : List.copyOf(pending.keySet())) {
      Received r = pending.remove(site);
      if (r != null) {
        batch.put(site, r);
      }
    }
    try {
      List<String> online = batch.isEmpty() ? List.of() : write(batch);
      feedRev = readFeedRev();
      return online;
    } catch (RuntimeException e) {
      batch.forEach((site, r) -> pending.merge(site, r, (newer, old) -> newer));
      throw e;
    }
  }

  private long readFeedRev() {
    return jdbi.withHandle(h -> h.createQuery("SELECT rev FROM feed_head WHERE id = 1").mapTo(Long.class).one());
  }

  private List<String> write(Map<String, Received> batch) {
    String[] codes = batch.keySet().stream().sorted().toArray(String[]::new);
    String rows = rows(batch, codes);
    return jdbi.inTransaction(h -> {
      // lock the rows in code order (as the offline detector does) and learn their state before the upsert
      Map<String, String> prior = new HashMap<>();
      h.createQuery("SELECT site_code, state FROM site_state WHERE site_code = ANY(:codes) ORDER BY site_code FOR UPDATE")
          .bind("codes", codes)
          .map((rs, ctx) -> prior.put(rs.getString(1), rs.getString(2)))
          .list();
      List<Written> written = h.createQuery("""
              INSERT INTO site_state AS s (site_code, state, state_since, last_heartbeat_at, heartbeats, version,
                config_version, started_at, uptime_s, business_depth, business_oldest_age_s, telemetry_depth,
                telemetry_oldest_age_s, telemetry_dropped, last_sync_at, rev, disk_free_bytes, heap_used_bytes,
                rss_bytes, certificate_expires, sent_at, clock_skew_ms, drain_place, drain_eta_s)
              SELECT site_code, 'ONLINE', received_at, received_at, n, version, config_version, started_at, uptime_s,
                business_depth, business_oldest_age_s, telemetry_depth, telemetry_oldest_age_s, telemetry_dropped,
                last_sync_at, rev, disk_free_bytes, heap_used_bytes, rss_bytes, certificate_expires, sent_at,
                clock_skew_ms, drain_place, drain_eta_s
              FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(
                site_code text, received_at timestamptz, n bigint, version text, config_version text,
                started_at timestamptz, uptime_s bigint, business_depth bigint, business_oldest_age_s bigint,
                telemetry_depth bigint, telemetry_oldest_age_s bigint, telemetry_dropped bigint,
                last_sync_at timestamptz, rev bigint, disk_free_bytes bigint, heap_used_bytes bigint,
                rss_bytes bigint, certificate_expires timestamptz, sent_at timestamptz, clock_skew_ms bigint,
                drain_place int, drain_eta_s bigint)
              ORDER BY site_code
              ON CONFLICT (site_code) DO UPDATE SET
                state = 'ONLINE',
                state_since = CASE WHEN s.state = 'ONLINE' THEN s.state_since ELSE excluded.state_since END,
                last_heartbeat_at = excluded.last_heartbeat_at,
                heartbeats = s.heartbeats + excluded.heartbeats,
                version = excluded.version, config_version = excluded.config_version,
                started_at = excluded.started_at, uptime_s = excluded.uptime_s,
                business_depth = excluded.business_depth, business_oldest_age_s = excluded.business_oldest_age_s,
                telemetry_depth = excluded.telemetry_depth, telemetry_oldest_age_s = excluded.telemetry_oldest_age_s,
                telemetry_dropped = excluded.telemetry_dropped, last_sync_at = excluded.last_sync_at,
                rev = excluded.rev, disk_free_bytes = excluded.disk_free_bytes,
                heap_used_bytes = excluded.heap_used_bytes, rss_bytes = excluded.rss_bytes,
                certificate_expires = excluded.certificate_expires, sent_at = excluded.sent_at,
                clock_skew_ms = excluded.clock_skew_ms, drain_place = excluded.drain_place,
                drain_eta_s = excluded.drain_eta_s
              WHERE s.last_heartbeat_at <= excluded.last_heartbeat_at
              RETURNING site_code, last_heartbeat_at, (xmax = 0) AS inserted""")
          .bind("rows", rows)
          .map((rs, ctx) -> new Written(rs.getString(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant(),
              rs.getBoolean(3)))
          .list();
      List<String> online = new ArrayList<>();
      var events = h.prepareBatch("INSERT INTO site_event (site_code, at, kind, detail) VALUES (:site, :at, 'ONLINE', :detail)");
      for (Written w : written) {
        String before = prior.get(w.site());
        if (w.inserted() || "OFFLINE".equals(before)) {
          online.add(w.site());
          events.bind("site", w.site()).bind("at", w.at().atOffset(java.time.ZoneOffset.UTC))
              .bind("detail", w.inserted() ? "first heartbeat" : "heartbeat after being offline").add();
        }
      }
      if (!online.isEmpty()) {
        events.execute();
        log.info("sites online: {}", online);
      }
      return online;
    });
  }

  private record Written(String site, Instant at, boolean inserted) {}

  private String rows(Map<String, Received> batch, String[] codes) {
    ArrayNode rows = json.createArrayNode();
    for (String code : codes) {
      Received r = batch.get(code);
      HeartbeatV1 hb = r.heartbeat();
      HeartbeatV1.LaneBacklog business = lane(hb, Lane.BUSINESS);
      HeartbeatV1.LaneBacklog telemetry = lane(hb, Lane.TELEMETRY);
      ObjectNode o = rows.addObject();
      o.put("site_code", code);
      o.put("received_at", r.receivedAt().toString());
      o.put("n", r.count());
      o.put("version", hb.version());
      o.put("config_version", hb.configVersion());
      o.put("started_at", text(hb.startedAt()));
      o.put("uptime_s", hb.uptimeSeconds());
      o.put("business_depth", business.depth());
      o.put("business_oldest_age_s", business.oldestAgeSeconds());
      o.put("telemetry_depth", telemetry.depth());
      o.put("telemetry_oldest_age_s", telemetry.oldestAgeSeconds());
      o.put("telemetry_dropped", telemetry.dropped());
      o.put("last_sync_at", text(hb.lastSyncAt()));
      o.put("rev", hb.rev());
      o.put("disk_free_bytes", hb.diskFreeBytes());
      o.put("heap_used_bytes", hb.heapUsedBytes());
      o.put("rss_bytes", hb.rssBytes());
      o.put("certificate_expires", text(hb.certificateExpires()));
      o.put("sent_at", text(hb.sentAt()));
      o.put("clock_skew_ms", r.clockSkewMs());
      o.put("drain_place", r.drainPlace());
      o.put("drain_eta_s", r.drainEtaSeconds());
    }
    try {
      return json.writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HeartbeatV1.LaneBacklog lane(HeartbeatV1 hb, Lane lane) {
    HeartbeatV1.LaneBacklog b = hb.outbox() == null ? null : hb.outbox().get(lane);
    return b == null ? new HeartbeatV1.LaneBacklog(0, 0, 0) : b;
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }
}
