package io.tms.agent.store;

import io.tms.domain.inventory.GaugeReading;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Book inventory per tank, its movements, and gauge readings. */
public final class InventoryStore {

  /** A tank's book and its last gauge reading (null before the first). */
  public record TankState(String tankId, double bookNetGallons, Instant bookUpdatedAt, GaugeReading lastGauge) {}

  public double book(PreparedSql sql, String tankId) {
    return sql.first("SELECT book_net_gal FROM tank_inventory WHERE tank_id = ?", rs -> rs.getDouble(1), tankId)
        .orElse(0.0);
  }

  /**
   * A tank's book and whether it is known: {@code opened} once the seed or an OPENING receipt set
   * it; a book that only loads and receipts moved from nothing (or one from before receipts existed)
   * is not, and the load-start check leaves it alone.
   */
  public record Book(double netGallons, boolean opened) {}

  public Book bookState(PreparedSql sql, String tankId) {
    return sql.first("SELECT book_net_gal, opened FROM tank_inventory WHERE tank_id = ?",
        rs -> new Book(rs.getDouble(1), rs.getInt(2) != 0), tankId).orElse(new Book(0, false));
  }

  /** Marks the tank's book as known (in the unit that booked its opening balance). */
  public void markOpened(PreparedSql sql, String tankId) {
    sql.update("UPDATE tank_inventory SET opened = 1 WHERE tank_id = ?", tankId);
  }

  /**
   * Gross gallons preset on the tank's loads in progress (started, not completed or cancelled):
   * few rows, found through the partial index of active loads per bay (CROSS JOIN keeps SQLite from
   * scanning every compartment ever loaded instead).
   */
  public long presetInProgress(PreparedSql sql, String tankId) {
    return sql.first("SELECT coalesce(sum(c.preset_gal), 0) FROM load l CROSS JOIN load_compartment c "
        + "ON c.load_id = l.id WHERE l.status = 'LOADING' AND c.tank_id = ?", rs -> rs.getLong(1), tankId).orElse(0L);
  }

  /** Moves the book by {@code deltaNet} and records why; returns the book after. */
  public double move(PreparedSql sql, String tankId, double deltaNet, String reason, String reference, Instant at) {
    double after = io.tms.domain.Gallons.tenths(book(sql, tankId) + deltaNet);
    String when = at.toString();
    sql.update("INSERT INTO tank_inventory (tank_id, book_net_gal, updated_at) VALUES (?, ?, ?) "
            + "ON CONFLICT (tank_id) DO UPDATE SET book_net_gal = excluded.book_net_gal, updated_at = excluded.updated_at",
        tankId, after, when);
    sql.update("INSERT INTO inventory_movement (tank_id, moved_at, reason, reference, delta_net, book_after) "
            + "VALUES (?, ?, ?, ?, ?, ?)",
        tankId, when, reason, reference, deltaNet, after);
    return after;
  }

  public void insertGauge(PreparedSql sql, String id, GaugeReading g, double bookNet) {
    sql.update("INSERT INTO gauge_reading (id, tank_id, read_at, gross_gal, water_gal, temperature_f, net_gal, "
            + "book_net_gal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id, g.tankId(), g.readAt().toString(), g.grossGallons(), g.waterGallons(), g.temperatureF(), g.netGallons(),
        bookNet);
  }

  public List<TankState> tanks(Handle h) {
    return h.createQuery("SELECT i.tank_id, i.book_net_gal, i.updated_at, g.read_at, g.gross_gal, g.water_gal, "
            + "g.temperature_f, g.net_gal FROM tank_inventory i LEFT JOIN gauge_reading g ON g.id = ("
            + "SELECT id FROM gauge_reading x WHERE x.tank_id = i.tank_id ORDER BY read_at DESC, id DESC LIMIT 1) "
            + "ORDER BY i.tank_id")
        .map((rs, ctx) -> {
          String readAt = rs.getString("read_at");
          GaugeReading g = readAt == null ? null : new GaugeReading(
              rs.getString("tank_id"), Instant.parse(readAt), rs.getDouble("gross_gal"), rs.getDouble("water_gal"),
              rs.getDouble("temperature_f"), rs.getDouble("net_gal"));
          return new TankState(
              rs.getString("tank_id"), rs.getDouble("book_net_gal"), Instant.parse(rs.getString("updated_at")), g);
        })
        .list();
  }
}
