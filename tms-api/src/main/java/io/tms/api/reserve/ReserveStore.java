package io.tms.api.reserve;

import io.tms.api.reserve.ParticipatingSites.SiteSetting;
import io.tms.domain.allocation.SiteAccount;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of reserve rounds and the admin view: allocations, accounts, settings, recent consumption. */
public final class ReserveStore {

  /** The allocation row as the ledger needs it. */
  public record AllocationRow(
      String id, String customerId, String productCode, LocalDate periodStart, LocalDate periodEnd, long quantityGallons,
      boolean active) {
    /** Active and its period not over on {@code today}. */
    public boolean open(LocalDate today) {
      return active && !today.isAfter(periodEnd);
    }
  }

  private static final String ALLOCATION_COLUMNS =
      "id, customer_id, product_code, period_start, period_end, quantity_gal, active";

  /**
   * Locks the allocation for a round ({@code FOR NO KEY UPDATE}: rounds exclude each other and
   * quantity changes, foreign-key checks pass). With {@code skipLocked}, answers empty when another
   * transaction holds it.
   */
  public Optional<AllocationRow> lock(Handle h, String id, boolean skipLocked) {
    return h.createQuery("SELECT " + ALLOCATION_COLUMNS + " FROM allocation WHERE id = :id FOR NO KEY UPDATE"
            + (skipLocked ? " SKIP LOCKED" : ""))
        .bind("id", id).map((rs, ctx) -> allocation(rs)).findOne();
  }

  public Optional<AllocationRow> find(Handle h, String id) {
    return h.createQuery("SELECT " + ALLOCATION_COLUMNS + " FROM allocation WHERE id = :id")
        .bind("id", id).map((rs, ctx) -> allocation(rs)).findOne();
  }

  /**
   * Allocations a round looks at: open ones, and closed ones where some site still has reserve that
   * has not been asked back (a closed allocation asks for everything; once asked, nothing is left
   * to do).
   */
  public List<String> allocationsToReview(Handle h, LocalDate today) {
    return h.createQuery("""
            SELECT a.id FROM allocation a
             WHERE (a.active AND a.period_end >= :today)
                OR EXISTS (SELECT 1 FROM reserve_account r WHERE r.allocation_id = a.id
                              AND r.granted_total - greatest(r.release_requested_total, r.released_total)
                                  - r.consumed_total > 0)
             ORDER BY a.id""")
        .bind("today", today).mapTo(String.class).list();
  }

  /** Every site's account of the allocation, locked with {@code forUpdate}. */
  public List<SiteAccount> accounts(Handle h, String allocationId, boolean forUpdate) {
    return h.createQuery("""
            SELECT site_code, granted_total, release_requested_total, released_total, consumed_total
              FROM reserve_account WHERE allocation_id = :id ORDER BY site_code""" + (forUpdate ? " FOR UPDATE" : ""))
        .bind("id", allocationId)
        .map((rs, ctx) -> new SiteAccount(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
        .list();
  }

  /** Writes what a round decided: the granted and requested totals (consumption and releases are the ingest's). */
  public void saveDecision(Handle h, String allocationId, SiteAccount a) {
    h.createUpdate("""
            INSERT INTO reserve_account (allocation_id, site_code, granted_total, release_requested_total)
            VALUES (:allocation, :site, :granted, :requested)
            ON CONFLICT (allocation_id, site_code) DO UPDATE
              SET granted_total = EXCLUDED.granted_total,
                  release_requested_total = EXCLUDED.release_requested_total,
                  version = reserve_account.version + 1, updated_at = now()""")
        .bind("allocation", allocationId)
        .bind("site", a.siteCode())
        .bind("granted", a.granted())
        .bind("requested", a.releaseRequested())
        .execute();
  }

  /**
   * Gallons each site consumed of the allocation since {@code since}: the reports by reference
   * ({@code reserve_consumption}) after it, and the landed BOL lines' hours
   * ({@code reserve_consumption_hourly}) — an hour that began before {@code since} counts pro rata
   * for the part of it after {@code since} (consumption taken as even within its hour).
   */
  public Map<String, Double> consumedSince(Handle h, String allocationId, Instant since) {
    Map<String, Double> out = new HashMap<>();
    h.createQuery("""
            SELECT site_code, sum(g) FROM (
              SELECT site_code, gallons * least(1.0, extract(epoch FROM hour + interval '1 hour' - :since) / 3600.0) AS g
                FROM reserve_consumption_hourly
               WHERE allocation_id = :id AND hour > :since - interval '1 hour'
              UNION ALL
              SELECT site_code, gallons FROM reserve_consumption WHERE allocation_id = :id AND consumed_at > :since) x
             GROUP BY site_code""")
        .bind("id", allocationId)
        .bind("since", OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getDouble(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /**
   * The sites that take part in the allocation: where its customer may lift its product (a granted
   * lifting right at an active site), unless the operator says otherwise in {@code reserve_site},
   * which also adds sites and sets floors. A site whose lifting right is withdrawn stops taking part,
   * so it is asked to give back what it holds.
   */
  public List<SiteSetting> settings(Handle h, String allocationId) {
    return h.createQuery("""
            WITH lifting_sites AS (
              SELECT l.site_code, l.granted AND s.active AS may_lift
                FROM allocation a
                JOIN lifting l ON l.customer_id = a.customer_id AND l.product_code = a.product_code
                JOIN site s ON s.code = l.site_code
               WHERE a.id = :id)
            SELECT COALESCE(r.site_code, ls.site_code) AS site_code,
                   COALESCE(r.participating, ls.may_lift) AS participating,
                   r.minimum_gal
              FROM (SELECT * FROM reserve_site WHERE allocation_id = :id) r
              FULL JOIN lifting_sites ls ON ls.site_code = r.site_code
             ORDER BY 1""")
        .bind("id", allocationId)
        .map((rs, ctx) -> new SiteSetting(rs.getString(1), rs.getBoolean(2), (Long) rs.getObject(3, Long.class)))
        .list();
  }

  public void putSetting(Handle h, String allocationId, SiteSetting s) {
    h.createUpdate("""
            INSERT INTO reserve_site (allocation_id, site_code, participating, minimum_gal)
            VALUES (:allocation, :site, :participating, :minimum)
            ON CONFLICT (allocation_id, site_code) DO UPDATE
              SET participating = EXCLUDED.participating, minimum_gal = EXCLUDED.minimum_gal, updated_at = now()""")
        .bind("allocation", allocationId)
        .bind("site", s.siteCode())
        .bind("participating", s.participating())
        .bind("minimum", s.minimumGallons())
        .execute();
  }

  public boolean siteExists(Handle h, String siteCode) {
    return h.createQuery("SELECT count(*) FROM site WHERE code = :code").bind("code", siteCode)
        .mapTo(Long.class).one() > 0;
  }

  private static AllocationRow allocation(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new AllocationRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, LocalDate.class),
        rs.getObject(5, LocalDate.class), rs.getLong(6), rs.getBoolean(7));
  }
}
