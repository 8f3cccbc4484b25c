package io.tms.api.ingest;

import io.javalin.http.Context;
import io.tms.api.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Queries of what sites did, over the landed uplink tables: BOLs by site, time, customer and
 * product; loads by site, status and time; inventory per tank (book from the latest movement next
 * to the latest gauge). Pages are keyset-paginated with an opaque {@code after} token. Thread-safe.
 */
public final class SiteActivityQueries {
  static final int MAX_LIMIT = 1000;
  private static final Set<String> LOAD_STATUSES = Set.of("LOADING", "COMPLETED", "CANCELLED");

  private final Jdbi jdbi;

  public SiteActivityQueries(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public record Page<T>(List<T> items, String next) {}

  public record BolLineView(int compartment, String productCode, String customerId, String allocationId, String armId,
      String meterId, String tankId, long presetGallons, double grossGallons, double netGallons, double temperatureF,
      double baseDensityKgM3, double apiGravity, double ctl, long consumedGallons) {}

  public record BolView(String number, String siteCode, long seq, String loadId, String bayId, String driverId,
      String carrierId, String vehicleId, Instant startedAt, Instant completedAt, double totalGrossGallons,
      double totalNetGallons, List<BolLineView> lines) {}

  public record LoadView(String siteCode, String id, String authorizationId, String bayId, String vehicleId,
      String status, Instant startedAt, Instant endedAt, String bolNumber, String cancelReason, int compartments) {}

  public record TankInventory(String tankId, Double bookNetGallons, Instant bookAt, Double gaugeNetGallons,
      Instant gaugeAt, Double differenceGallons) {}

  public record Inventory(String siteCode, List<TankInventory> tanks) {}

  public record Cursor(String lane, long seq, long dropped, long batches, Instant appliedAt, Instant brokenAt,
      Long brokenSeq, String brokenReason) {}

  /** A site code from a path or query, 400 naming {@code field} when malformed. */
  static String site(String v) {
    return site(v, "site");
  }

  private static String site(String v, String field) {
    if (v == null || !v.matches("[A-Z][A-Z0-9]{1,9}")) {
      throw new ApiException(400, "INVALID_INPUT", field, field + " must be a site code (2-10 upper-case letters or digits)");
    }
    return v;
  }

  public Page<BolView> bols(Context ctx) {
    String site = opt(ctx, "site") == null ? null : site(ctx.queryParam("site"));
    Instant from = instant(ctx, "from");
    Instant to = instant(ctx, "to");
    if (from != null && to != null && !to.isAfter(from)) {
      throw new ApiException(400, "INVALID_INPUT", "to", "to must be after from");
    }
    String customer = opt(ctx, "customer");
    String product = opt(ctx, "product");
    int limit = limit(ctx);
    String[] after = after(ctx, 2);
    // Without a site, the page is merged from each site's first rows (index bol_by_site_time):
    // no second index on time is written with every BOL for this one fleet-wide report (V14).
    StringBuilder sql = new StringBuilder(site != null ? "SELECT * FROM bol WHERE site_code = :site"
        : "SELECT b.* FROM site s CROSS JOIN LATERAL (SELECT * FROM bol WHERE site_code = s.code");
    Map<String, Object> args = new LinkedHashMap<>();
    if (site != null) {
      args.put("site", site);
    }
    if (from != null) {
      sql.append(" AND completed_at >= :from");
      args.put("from", Timestamp.from(from));
    }
    if (to != null) {
      sql.append(" AND completed_at < :to");
      args.put("to", Timestamp.from(to));
    }
    if (customer != null) {
      sql.append(" AND customer_ids @> ARRAY[CAST(:customer AS text)]");
      args.put("customer", customer);
    }
    if (product != null) {
      sql.append(" AND product_codes @> ARRAY[CAST(:product AS text)]");
      args.put("product", product);
    }
    if (after != null) {
      sql.append(" AND (completed_at, number) > (:afterAt, :afterKey)");
      args.put("afterAt", Timestamp.from(afterInstant(after[0])));
      args.put("afterKey", after[1]);
    }
    sql.append(" ORDER BY completed_at, number LIMIT :limit");
    if (site == null) {
      sql.append(") b ORDER BY b.completed_at, b.number LIMIT :limit");
    }
    args.put("limit", limit + 1);
    return jdbi.withHandle(h -> {
      List<BolView> rows = bind(h.createQuery(sql.toString()), args).map((rs, c) -> bolRow(rs)).list();
      String next = null;
      if (rows.size() > limit) {
        rows = rows.subList(0, limit);
        BolView lastRow = rows.getLast();
        next = token(lastRow.completedAt().toString(), lastRow.number());
      }
      return new Page<>(withLines(h, rows), next);
    });
  }

  public BolView bol(String number) {
    if (number == null || number.isBlank() || number.length() > 64) {
      throw new ApiException(400, "INVALID_INPUT", "number", "number must be a BOL number");
    }
    return jdbi.withHandle(h -> {
      List<BolView> rows = h.createQuery("SELECT * FROM bol WHERE number = :n").bind("n", number)
          .map((rs, c) -> bolRow(rs)).list();
      if (rows.isEmpty()) {
        throw new ApiException(404, "NOT_FOUND", "number", "no BOL " + number);
      }
      return withLines(h, rows).getFirst();
    });
  }

  public Page<LoadView> loads(Context ctx) {
    String site = opt(ctx, "site") == null ? null : site(ctx.queryParam("site"));
    String status = opt(ctx, "status");
    if (status != null && !LOAD_STATUSES.contains(status)) {
      throw new ApiException(400, "INVALID_INPUT", "status", "status must be one of LOADING, COMPLETED, CANCELLED");
    }
    Instant from = instant(ctx, "from");
    Instant to = instant(ctx, "to");
    int limit = limit(ctx);
    String[] after = after(ctx, 3);
    StringBuilder sql = new StringBuilder("SELECT * FROM site_load WHERE started_at IS NOT NULL");
    Map<String, Object> args = new LinkedHashMap<>();
    if (site != null) {
      sql.append(" AND site_code = :site");
      args.put("site", site);
    }
    if (status != null) {
      sql.append(" AND status = :status");
      args.put("status", status);
    }
    if (from != null) {
      sql.append(" AND started_at >= :from");
      args.put("from", Timestamp.from(from));
    }
    if (to != null) {
      sql.append(" AND started_at < :to");
      args.put("to", Timestamp.from(to));
    }
    if (after != null) {
      sql.append(" AND (started_at, site_code, id) > (:afterAt, :afterSite, :afterId)");
      args.put("afterAt", Timestamp.from(afterInstant(after[0])));
      args.put("afterSite", after[1]);
      args.put("afterId", after[2]);
    }
    sql.append(" ORDER BY started_at, site_code, id LIMIT :limit");
    args.put("limit", limit + 1);
    return jdbi.withHandle(h -> {
      List<LoadView> rows = bind(h.createQuery(sql.toString()), args).map((rs, c) -> new LoadView(
          rs.getString("site_code"), rs.getString("id"), rs.getString("authorization_id"), rs.getString("bay_id"),
          rs.getString("vehicle_id"), rs.getString("status"), instant(rs, "started_at"), instant(rs, "ended_at"),
          rs.getString("bol_number"), rs.getString("cancel_reason"), rs.getInt("compartments"))).list();
      String next = null;
      if (rows.size() > limit) {
        rows = rows.subList(0, limit);
        LoadView l = rows.getLast();
        next = token(l.startedAt().toString(), l.siteCode(), l.id());
      }
      return new Page<>(rows, next);
    });
  }

  public Inventory inventory(String site) {
    return jdbi.withHandle(h -> {
      boolean known = h.createQuery("SELECT count(*) FROM site WHERE code = :s").bind("s", site).mapTo(Long.class).one() > 0;
      if (!known) {
        throw new ApiException(404, "NOT_FOUND", "site", "no site " + site);
      }
      List<TankInventory> tanks = h.createQuery("""
          WITH tanks AS (
            SELECT DISTINCT tank_id FROM inventory_movement WHERE site_code = :s
            UNION SELECT DISTINCT tank_id FROM gauge_reading WHERE site_code = :s)
          SELECT t.tank_id, m.book_after_gal, m.moved_at, g.net_gal, g.read_at
          FROM tanks t
          LEFT JOIN LATERAL (SELECT book_after_gal, moved_at FROM inventory_movement
                             WHERE site_code = :s AND tank_id = t.tank_id ORDER BY seq DESC LIMIT 1) m ON true
          LEFT JOIN LATERAL (SELECT net_gal, read_at FROM gauge_reading
                             WHERE site_code = :s AND tank_id = t.tank_id ORDER BY seq DESC LIMIT 1) g ON true
          ORDER BY t.tank_id""").bind("s", site).map((rs, c) -> {
            Double book = (Double) rs.getObject("book_after_gal");
            Double gauge = (Double) rs.getObject("net_gal");
            return new TankInventory(rs.getString("tank_id"), book, instant(rs, "moved_at"), gauge, instant(rs, "read_at"),
                book == null || gauge == null ? null : book - gauge);
          }).list();
      return new Inventory(site, tanks);
    });
  }

  public List<Cursor> cursors(String site) {
    return jdbi.withHandle(h -> cursors(h, site));
  }

  public List<Cursor> cursors(Handle h, String site) {
    return h.createQuery("SELECT * FROM edge_cursor WHERE site_code = :s ORDER BY lane")
        .bind("s", site)
        .map((rs, c) -> new Cursor(rs.getString("lane"), rs.getLong("seq"), rs.getLong("dropped"), rs.getLong("batches"),
            instant(rs, "applied_at"), instant(rs, "broken_at"), (Long) rs.getObject("broken_seq"),
            rs.getString("broken_reason")))
        .list();
  }

  private static Query bind(Query q, Map<String, Object> args) {
    args.forEach(q::bind);
    return q;
  }

  private static BolView bolRow(ResultSet rs) throws SQLException {
    return new BolView(rs.getString("number"), rs.getString("site_code"), rs.getLong("seq"), rs.getString("load_id"),
        rs.getString("bay_id"), rs.getString("driver_id"), rs.getString("carrier_id"), rs.getString("vehicle_id"),
        instant(rs, "started_at"), instant(rs, "completed_at"), rs.getDouble("total_gross_gal"),
        rs.getDouble("total_net_gal"), List.of());
  }

  private static List<BolView> withLines(Handle h, List<BolView> bols) {
    if (bols.isEmpty()) {
      return bols;
    }
    Map<String, List<BolLineView>> lines = new LinkedHashMap<>();
    h.createQuery("SELECT * FROM bol_line WHERE bol_number = ANY(:n) ORDER BY bol_number, compartment")
        .bindArray("n", String.class, bols.stream().map(BolView::number).toList())
        .map((rs, c) -> lines.computeIfAbsent(rs.getString("bol_number"), k -> new ArrayList<>()).add(new BolLineView(
            rs.getInt("compartment"), rs.getString("product_code"), rs.getString("customer_id"),
            rs.getString("allocation_id"), rs.getString("arm_id"), rs.getString("meter_id"), rs.getString("tank_id"),
            rs.getLong("preset_gal"), rs.getDouble("gross_gal"), rs.getDouble("net_gal"), rs.getDouble("temperature_f"),
            rs.getDouble("base_density"), rs.getDouble("api_gravity"), rs.getDouble("ctl"), rs.getLong("consumed_gal"))))
        .list();
    return bols.stream().map(b -> new BolView(b.number(), b.siteCode(), b.seq(), b.loadId(), b.bayId(), b.driverId(),
        b.carrierId(), b.vehicleId(), b.startedAt(), b.completedAt(), b.totalGrossGallons(), b.totalNetGallons(),
        lines.getOrDefault(b.number(), List.of()))).toList();
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }

  private static String opt(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.length() > 256) {
      throw new ApiException(400, "INVALID_INPUT", name, name + " is too long");
    }
    return v;
  }

  private static Instant instant(Context ctx, String name) {
    String v = opt(ctx, name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "INVALID_INPUT", name, name + " must be an ISO-8601 instant, e.g. 2026-05-01T00:00:00Z");
    }
  }

  private static int limit(Context ctx) {
    String v = ctx.queryParam("limit");
    if (v == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > MAX_LIMIT) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "INVALID_INPUT", "limit", "limit must be 1-" + MAX_LIMIT);
    }
  }

  private static String token(String... parts) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] after(Context ctx, int parts) {
    String v = opt(ctx, "after");
    if (v == null) {
      return null;
    }
    try {
      String[] p = new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8).split("\n", -1);
      if (p.length != parts) {
        throw new IllegalArgumentException();
      }
      afterInstant(p[0]);
      return p;
    } catch (IllegalArgumentException | ApiException e) {
      throw new ApiException(400, "INVALID_INPUT", "after", "after must be the next token of a previous page");
    }
  }

  private static Instant afterInstant(String v) {
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "INVALID_INPUT", "after", "after must be the next token of a previous page");
    }
  }
}
