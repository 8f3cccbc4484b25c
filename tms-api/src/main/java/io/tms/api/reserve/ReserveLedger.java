package io.tms.api.reserve;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.ReserveReleasedV1;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * What sites report about their reserves, landed in the caller's transaction (the uplink ingest
 * calls these while it applies a batch, so a report counts exactly when its batch commits).
 *
 * <ul>
 *   <li>Consumption the uplink ingest landed ({@link #landed}): each BOL line arrives exactly once
 *       (the site's cursor; {@code bol}'s primary key), so it is added to the account and to
 *       the hour's row of {@code reserve_consumption_hourly} (the rate) with no row per line.
 *   <li>Consumption reported by reference ({@link #consumed}) lands once per reference: a replayed
 *       report is skipped by the primary key of {@code reserve_consumption}.
 *   <li>Releases ({@code reserve.released.v1}) carry the site's running total: a total at or below
 *       the known one changes nothing.
 * </ul>
 *
 * <p>Neither refuses a report that looks wrong (an unknown allocation, more consumed than granted):
 * they are facts from the site, and the escrow counts them (see
 * {@link io.tms.domain.allocation.SiteAccount#committed()}). Rows are touched in allocation order,
 * and only the reporting site's rows, so concurrent ingests and reserve rounds cannot deadlock.
 * Stateless and thread-safe.
 */
public final class ReserveLedger {

  /** One consumption report: {@code gallons} of {@code allocationId}, once per {@code reference}. */
  public record Consumption(String allocationId, long gallons, String reference, Instant at) {
    public Consumption {
      Objects.requireNonNull(allocationId, "allocationId");
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(at, "at");
      if (gallons < 0) {
        throw new DomainException(ErrorCode.INVALID_INPUT, "consumedGallons", "must be >= 0 (was " + gallons + ")");
      }
    }
  }

  /** The consumption a BOL reports: one per line with an allocation, referenced {@code BOL/compartment}. */
  public static List<Consumption> consumptions(BolIssuedV1 bol) {
    List<Consumption> out = new ArrayList<>();
    for (BolIssuedV1.Line line : bol.lines()) {
      if (line.allocationId() != null && line.consumedGallons() > 0) {
        out.add(new Consumption(line.allocationId(), line.consumedGallons(), bol.bolNumber() + "/" + line.compartment(),
            bol.completedAt()));
      }
    }
    return out;
  }

  public void consumed(Handle h, String siteCode, String allocationId, long gallons, String reference, Instant at) {
    consumed(h.getConnection(), siteCode, List.of(new Consumption(allocationId, gallons, reference, at)));
  }

  public void consumed(Handle h, BolIssuedV1 bol) {
    consumed(h.getConnection(), bol.siteCode(), consumptions(bol));
  }

  public void consumed(Handle h, String siteCode, List<Consumption> items) {
    consumed(h.getConnection(), siteCode, items);
  }

  /**
   * Lands a site's consumption reports in one statement: the references, then what was new added
   * to the accounts. Pass a whole uplink batch's reports at once where possible (3,000 BOL lines
   * land in about 0.2 s; one call per BOL costs a round trip each).
   */
  public void consumed(Connection c, String siteCode, List<Consumption> items) {
    Objects.requireNonNull(siteCode, "siteCode");
    if (items.isEmpty()) {
      return;
    }
    String[] allocations = new String[items.size()];
    String[] references = new String[items.size()];
    Long[] gallons = new Long[items.size()];
    String[] times = new String[items.size()];
    for (int i = 0; i < items.size(); i++) {
      Consumption it = items.get(i);
      allocations[i] = it.allocationId();
      references[i] = it.reference();
      gallons[i] = it.gallons();
      times[i] = it.at().toString();
    }
    // one round trip: land the new references, add what was new to the accounts in allocation order
    try (PreparedStatement st = c.prepareStatement("""
        WITH landed AS (
          INSERT INTO reserve_consumption (allocation_id, site_code, reference, gallons, consumed_at)
          SELECT u.a, ?, u.r, u.g, u.t::timestamptz
            FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[]) AS u(a, r, g, t)
          ON CONFLICT DO NOTHING
          RETURNING allocation_id, gallons)
        INSERT INTO reserve_account (allocation_id, site_code, consumed_total)
        SELECT allocation_id, ?, sum(gallons) FROM landed
         GROUP BY allocation_id HAVING sum(gallons) > 0 ORDER BY allocation_id
        ON CONFLICT (allocation_id, site_code) DO UPDATE
          SET consumed_total = reserve_account.consumed_total + EXCLUDED.consumed_total,
              version = reserve_account.version + 1, updated_at = now()""")) {
      st.setString(1, siteCode);
      st.setArray(2, c.createArrayOf("text", allocations));
      st.setArray(3, c.createArrayOf("text", references));
      st.setArray(4, c.createArrayOf("bigint", gallons));
      st.setArray(5, c.createArrayOf("text", times));
      st.setString(6, siteCode);
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot land consumption of site " + siteCode, e);
    }
  }

  /**
   * Lands consumption the caller promises is new — the uplink ingest's BOL lines, each applied once
   * by the site's cursor — in one statement: the gallons added to the accounts (allocation order),
   * and to one row per allocation and UTC hour for the rate. References are not kept: a batch's
   * lines cost a few rows, not one per line with two indexes.
   */
  public void landed(Connection c, String siteCode, List<Consumption> items) {
    Objects.requireNonNull(siteCode, "siteCode");
    Landed rows = Landed.of(items);
    if (rows == null) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement("""
        WITH accounts AS (
          INSERT INTO reserve_account (allocation_id, site_code, consumed_total)
          SELECT u.a, ?, u.g FROM unnest(?::text[], ?::bigint[]) WITH ORDINALITY AS u(a, g, n) ORDER BY u.n
          ON CONFLICT (allocation_id, site_code) DO UPDATE
            SET consumed_total = reserve_account.consumed_total + EXCLUDED.consumed_total,
                version = reserve_account.version + 1, updated_at = now())
        INSERT INTO reserve_consumption_hourly (allocation_id, hour, site_code, gallons)
        SELECT u.a, to_timestamp(u.h), ?, u.g FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS u(a, h, g)
        ON CONFLICT (allocation_id, hour, site_code) DO UPDATE
          SET gallons = reserve_consumption_hourly.gallons + EXCLUDED.gallons""")) {
      st.setString(1, siteCode);
      st.setArray(2, c.createArrayOf("text", rows.allocations()));
      st.setArray(3, c.createArrayOf("bigint", rows.totals()));
      st.setString(4, siteCode);
      st.setArray(5, c.createArrayOf("text", rows.hourAllocations()));
      st.setArray(6, c.createArrayOf("bigint", rows.hours()));
      st.setArray(7, c.createArrayOf("bigint", rows.hourGallons()));
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot land consumption of site " + siteCode, e);
    }
  }

  /**
   * What {@link #landed} writes: the gallons per allocation (in allocation order, the lock order)
   * and per allocation and UTC hour. Built apart from the JDBC of {@link #landed}: its loops, over a
   * batch's thousands of lines, are compiled on the stack (OSR) with whatever surrounds them, and
   * with the statement inlined that was an 80-100 KB compilation of 1-3 s, redone as its profile
   * moved (five times in one reconnect storm).
   */
  private record Landed(Object[] allocations, Object[] totals, Object[] hourAllocations, Object[] hours,
      Object[] hourGallons) {
    /** Null when nothing was consumed. */
    static Landed of(List<Consumption> items) {
      HashMap<String, HashMap<Long, long[]>> perHour = new HashMap<>(); // hashed per line, sorted once
      for (Consumption it : items) {
        if (it.gallons() == 0) {
          continue;
        }
        long hour = Math.floorDiv(it.at().getEpochSecond(), 3600) * 3600;
        perHour.computeIfAbsent(it.allocationId(), a -> new HashMap<>(4)).computeIfAbsent(hour, h -> new long[1])[0]
            += it.gallons();
      }
      if (perHour.isEmpty()) {
        return null;
      }
      TreeMap<String, Long> perAllocation = new TreeMap<>();
      List<String> hourAllocations = new ArrayList<>();
      List<Long> hours = new ArrayList<>();
      List<Long> hourGallons = new ArrayList<>();
      for (Map.Entry<String, HashMap<Long, long[]>> a : new TreeMap<>(perHour).entrySet()) {
        long sum = 0;
        for (Map.Entry<Long, long[]> h : new TreeMap<>(a.getValue()).entrySet()) {
          hourAllocations.add(a.getKey());
          hours.add(h.getKey());
          hourGallons.add(h.getValue()[0]);
          sum += h.getValue()[0];
        }
        perAllocation.put(a.getKey(), sum);
      }
      return new Landed(perAllocation.keySet().toArray(), perAllocation.values().toArray(), hourAllocations.toArray(),
          hours.toArray(), hourGallons.toArray());
    }
  }

  public void released(Handle h, String siteCode, String allocationId, long releasedTotalGallons) {
    released(h.getConnection(), siteCode, allocationId, releasedTotalGallons);
  }

  public void released(Handle h, ReserveReleasedV1 event) {
    released(h.getConnection(), event.siteCode(), event.allocationId(), event.releasedTotalGallons());
  }

  /** Lands a site's released running total; at or below the known total it changes nothing. */
  public void released(Connection c, String siteCode, String allocationId, long releasedTotalGallons) {
    Objects.requireNonNull(siteCode, "siteCode");
    if (allocationId == null) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "allocationId", "a release names its allocation");
    }
    if (releasedTotalGallons < 0) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "releasedTotalGallons",
          "must be >= 0 (was " + releasedTotalGallons + ")");
    }
    try (PreparedStatement st = c.prepareStatement("""
        INSERT INTO reserve_account (allocation_id, site_code, released_total) VALUES (?, ?, ?)
        ON CONFLICT (allocation_id, site_code) DO UPDATE
          SET released_total = EXCLUDED.released_total, version = reserve_account.version + 1, updated_at = now()
          WHERE reserve_account.released_total < EXCLUDED.released_total""")) {
      st.setString(1, allocationId);
      st.setString(2, siteCode);
      st.setLong(3, releasedTotalGallons);
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot land release of site " + siteCode + " allocation " + allocationId, e);
    }
  }
}
