package io.tms.api.reserve;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tms.api.CloudConfig;
import io.tms.api.audit.AuditLog;
import io.tms.api.feed.ChangeLog;
import io.tms.api.http.CloudHttp;
import io.tms.api.http.CloudJson;
import io.tms.api.store.CloudDatabase;
import io.tms.domain.allocation.ReservePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Master data and reserve parts on a real database, written directly (the admin API is elsewhere). */
final class ReserveFixture {
  private ReserveFixture() {}

  static Reserves reserves(CloudDatabase db, ReserveConfig config, Clock clock) {
    var json = CloudJson.mapper();
    return new Reserves(db.jdbi(), new CloudHttp(json, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 1 << 20),
        new ChangeLog(json), new AuditLog(json, clock), config, clock);
  }

  static ReserveConfig config(Duration interval, ReservePolicy policy, Duration rateWindow) {
    return new ReserveConfig(interval, policy, rateWindow);
  }

  static CloudDatabase open(CloudConfig config) {
    return CloudDatabase.open(config);
  }

  static void sites(Jdbi jdbi, String... codes) {
    jdbi.useHandle(h -> {
      for (String code : codes) {
        h.execute("INSERT INTO site (code, name, zone) VALUES (?, ?, 'America/Chicago')", code, "Site " + code);
      }
    });
  }

  static void allocation(Jdbi jdbi, String id, long gallons) {
    jdbi.useHandle(h -> h.execute("""
        INSERT INTO allocation (id, customer_id, product_code, period_start, period_end, quantity_gal)
        VALUES (?, 'C1', 'ULSD', current_date - 1, current_date + 30, ?)""", id, gallons));
  }

  static void enrol(Jdbi jdbi, String allocationId, String... sites) {
    jdbi.useHandle(h -> {
      for (String s : sites) {
        h.execute("INSERT INTO reserve_site (allocation_id, site_code) VALUES (?, ?)", allocationId, s);
      }
    });
  }

  /** The reserve records on the feed for one site and allocation, in rev order: {granted, requested}. */
  static List<long[]> feed(Jdbi jdbi, String site, String allocationId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT (record ->> 'grantedGallons')::bigint, (record ->> 'releaseRequestedGallons')::bigint
              FROM change_log WHERE entity = 'reserve' AND site_code = :site AND key = :key ORDER BY rev""")
        .bind("site", site).bind("key", site + "/" + allocationId)
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list());
  }

  /** Σ committed of an allocation and its quantity, read in one snapshot. */
  static long[] committedAndTotal(Jdbi jdbi, String allocationId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT coalesce((SELECT sum(greatest(granted_total - released_total, consumed_total))
                               FROM reserve_account WHERE allocation_id = :id), 0),
                   (SELECT quantity_gal FROM allocation WHERE id = :id)""")
        .bind("id", allocationId).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one());
  }
}
