package io.tms.api.fleet;

import io.tms.api.fleet.FleetViews.Backlog;
import io.tms.api.fleet.FleetViews.FleetPage;
import io.tms.api.fleet.FleetViews.FleetSite;
import io.tms.api.fleet.FleetViews.FleetSiteDetail;
import io.tms.api.fleet.FleetViews.SiteTransition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The read side of the fleet view: sites joined with their last reported state. Ages are brought
 * up to {@code now} (a silent site's backlog keeps getting older), and flags are computed here so
 * thresholds can change without a migration.
 */
public final class FleetStore {
  /** Site states as the API names them. */
  public static final List<String> STATES = List.of("online", "offline", "never-seen");

  static final long CLOCK_SKEW_FLAG_MS = 30_000;
  static final long DISK_LOW_BYTES = 1L << 30;
  /**
   * An agent renews at 2/3 of its certificate's 30-day lifetime (10 days left); under 7 days left
   * means its renewals have failed for 3 days.
   */
  static final Duration CERT_EXPIRING = Duration.ofDays(7);
  static final long BACKLOG_OLD_SECONDS = 15 * 60;

  private static final String SELECT = """
      SELECT s.code, s.name, st.*, (SELECT rev FROM feed_head WHERE id = 1) AS head
      FROM site s LEFT JOIN site_state st ON st.site_code = s.code
      """;

  private final Jdbi jdbi;

  public FleetStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Every site's code (deactivated sites too: they are never deleted). */
  public List<String> siteCodes() {
    return jdbi.withHandle(h -> h.createQuery("SELECT code FROM site").mapTo(String.class).list());
  }

  public boolean siteExists(String code) {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM site WHERE code = :code").bind("code", code)
        .mapTo(Integer.class).one() > 0);
  }

  /** Sites by code after {@code after}, {@code state} one of {@link #STATES} or null for all. */
  public FleetPage list(String state, String after, int limit, Instant now) {
    String where = switch (state == null ? "" : state) {
      case "online" -> " AND st.state = 'ONLINE'";
      case "offline" -> " AND st.state = 'OFFLINE'";
      case "never-seen" -> " AND st.site_code IS NULL";
      default -> "";
    };
    List<FleetSite> rows = jdbi.withHandle(h -> h.createQuery(SELECT + "WHERE s.code > :after" + where
            + " ORDER BY s.code LIMIT :limit")
        .bind("after", after == null ? "" : after)
        .bind("limit", limit + 1)
        .map((rs, ctx) -> site(rs, now))
        .list());
    if (rows.size() > limit) {
      List<FleetSite> page = rows.subList(0, limit);
      return new FleetPage(List.copyOf(page), page.getLast().code());
    }
    return new FleetPage(rows, null);
  }

  public Optional<FleetSiteDetail> detail(String code, Instant now, int transitions) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + "WHERE s.code = :code").bind("code", code)
        .map((rs, ctx) -> {
          FleetSite site = site(rs, now);
          return new FleetSiteDetail(site, rs.getString("config_version"), instant(rs, "started_at"),
              nullableLong(rs, "uptime_s"), nullableLong(rs, "disk_free_bytes"), nullableLong(rs, "heap_used_bytes"),
              nullableLong(rs, "rss_bytes"), instant(rs, "certificate_expires"), instant(rs, "sent_at"),
              rs.getLong("heartbeats"), List.of());
        })
        .findOne()
        .map(d -> {
          List<SiteTransition> events = h.createQuery(
                  "SELECT at, kind, detail FROM site_event WHERE site_code = :code ORDER BY id DESC LIMIT :n")
              .bind("code", code).bind("n", transitions)
              .map((rs, ctx) -> new SiteTransition(instant(rs, "at"), rs.getString("kind"), rs.getString("detail")))
              .list();
          return new FleetSiteDetail(d.site(), d.configVersion(), d.startedAt(), d.uptimeSeconds(), d.diskFreeBytes(),
              d.heapUsedBytes(), d.rssBytes(), d.certificateExpires(), d.sentAt(), d.heartbeats(), events);
        }));
  }

  private static FleetSite site(ResultSet rs, Instant now) throws SQLException {
    String code = rs.getString("code");
    String name = rs.getString("name");
    long head = rs.getLong("head");
    if (rs.getString("site_code") == null) {
      return new FleetSite(code, name, "never-seen", null, null, null, new Backlog(0, 0, null),
          new Backlog(0, 0, 0L), 0, null, 0, head, 0, 0, null, List.of());
    }
    Instant last = instant(rs, "last_heartbeat_at");
    long silent = Math.max(0, Duration.between(last, now).toSeconds());
    Backlog business = new Backlog(rs.getLong("business_depth"),
        aged(rs.getLong("business_depth"), rs.getLong("business_oldest_age_s"), silent), null);
    long dropped = rs.getLong("telemetry_dropped");
    Backlog telemetry = new Backlog(rs.getLong("telemetry_depth"),
        aged(rs.getLong("telemetry_depth"), rs.getLong("telemetry_oldest_age_s"), silent), dropped);
    long lag = Math.max(business.oldestAgeSeconds(), telemetry.oldestAgeSeconds());
    long rev = rs.getLong("rev");
    Long skew = nullableLong(rs, "clock_skew_ms");
    Long disk = nullableLong(rs, "disk_free_bytes");
    Instant cert = instant(rs, "certificate_expires");
    int place = rs.getInt("drain_place");
    String state = "ONLINE".equals(rs.getString("state")) ? "online" : "offline";

    List<String> flags = new ArrayList<>();
    if (skew != null && Math.abs(skew) > CLOCK_SKEW_FLAG_MS) {
      flags.add("CLOCK_SKEW");
    }
    if (disk != null && disk < DISK_LOW_BYTES) {
      flags.add("DISK_LOW");
    }
    if (cert != null && cert.isBefore(now.plus(CERT_EXPIRING))) {
      flags.add("CERTIFICATE_EXPIRING");
    }
    if (dropped > 0) {
      flags.add("TELEMETRY_DROPPED");
    }
    if (business.oldestAgeSeconds() > BACKLOG_OLD_SECONDS) {
      flags.add("BACKLOG_OLD");
    }
    if (place > 0) {
      flags.add("DRAIN_QUEUED");
    }
    return new FleetSite(code, name, state, instant(rs, "state_since"), last, rs.getString("version"), business,
        telemetry, lag, instant(rs, "last_sync_at"), rev, Math.max(0, head - rev), place, rs.getLong("drain_eta_s"),
        skew, List.copyOf(flags));
  }

  private static long aged(long depth, long reportedAge, long silentSeconds) {
    return depth == 0 ? 0 : reportedAge + silentSeconds;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
