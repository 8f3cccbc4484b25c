package io.tms.agent.store;

import io.tms.domain.inventory.GaugeReading;
import io.tms.protocol.v1.InstantText;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Book inventory per tank, its movements, and gauge readings. The books are kept by the writer in
 * memory and written through ({@link WriterMemory}).
 */
public final class InventoryStore {

  /** A tank's book and its last gauge reading (null before the first). */
  public record TankState(String tankId, double bookNetGallons, Instant bookUpdatedAt, GaugeReading lastGauge) {}

  /** A tank's book (0 before anything moved it). */
  public double book(WriteContext ctx, String tankId) {
    return bookState(ctx, tankId).netGallons();
  }

  /**
   * A tank's book and whether it is known: {@code opened} once the seed or an OPENING receipt set
   * it; a book that only loads and receipts moved from nothing (or one from before receipts existed)
   * is not, and the load-start check leaves it alone.
   */
  public record Book(double netGallons, boolean opened) {}

  /** The tank's book, kept by the writer in memory once read ({@link WriterMemory}). */
  public Book bookState(WriteContext ctx, String tankId) {
    Map<String, Book> books = ctx.memory().books;
    Book book = books.get(tankId);
    if (book == null) {
      book = ctx.sql().first("SELECT book_net_gal, opened FROM tank_inventory WHERE tank_id = ?",
          rs -> new Book(rs.getDouble(1), rs.getInt(2) != 0), tankId).orElse(new Book(0, false));
      ctx.memory().put(ctx, books, tankId, book);
    }
    return book;
  }

  /** Marks the tank's book as known (in the unit that booked its opening balance). */
  public void markOpened(WriteContext ctx, String tankId) {
    Book book = bookState(ctx, tankId);
    ctx.sql().update("UPDATE tank_inventory SET opened = 1 WHERE tank_id = ?", tankId);
    ctx.memory().put(ctx, ctx.memory().books, tankId, new Book(book.netGallons(), true));
  }

  /** Moves the book by {@code deltaNet} and records why; returns the book after. */
  public double move(WriteContext ctx, String tankId, double deltaNet, String reason, String reference, Instant at) {
    Book book = bookState(ctx, tankId);
    double after = io.tms.domain.Gallons.tenths(book.netGallons() + deltaNet);
    String when = at == ctx.now() ? ctx.nowText() : InstantText.format(at);
    PreparedSql sql = ctx.sql();
    sql.update("INSERT INTO tank_inventory (tank_id, book_net_gal, updated_at) VALUES (?, ?, ?) "
            + "ON CONFLICT (tank_id) DO UPDATE SET book_net_gal = excluded.book_net_gal, updated_at = excluded.updated_at",
        tankId, after, when);
    sql.update("INSERT INTO inventory_movement (tank_id, moved_at, reason, reference, delta_net, book_after) "
            + "VALUES (?, ?, ?, ?, ?, ?)",
        tankId, when, reason, reference, deltaNet, after);
    ctx.memory().put(ctx, ctx.memory().books, tankId, new Book(after, book.opened()));
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
