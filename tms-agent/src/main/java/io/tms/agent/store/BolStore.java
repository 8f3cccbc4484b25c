package io.tms.agent.store;

import io.tms.domain.loading.BillOfLading;
import io.tms.domain.loading.BolLine;
import io.tms.protocol.v1.InstantText;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Issued bills of lading: typed lines for queries and the full document as JSON for reprints. */
public final class BolStore {

  public void insert(PreparedSql sql, BillOfLading bol, String documentJson) {
    String number = bol.number().toString();
    sql.update("INSERT INTO bol (number, seq, load_id, issued_at, total_gross, total_net, body_json) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)",
        number, bol.number().sequence(), bol.loadId(), InstantText.format(bol.completedAt()), bol.totalGrossGallons(),
        bol.totalNetGallons(), documentJson);
    // all lines in one statement
    Object[] args = new Object[bol.lines().size() * 11];
    int i = 0;
    for (BolLine l : bol.lines()) {
      args[i++] = number;
      args[i++] = l.compartment();
      args[i++] = l.productCode();
      args[i++] = l.customerId();
      args[i++] = l.allocationId();
      args[i++] = l.tankId();
      args[i++] = l.grossGallons();
      args[i++] = l.netGallons();
      args[i++] = l.temperatureF();
      args[i++] = l.baseDensityKgM3();
      args[i++] = l.ctl();
    }
    int rows = bol.lines().size();
    if (rows > 0) {
      sql.update(rows < LINES.length ? LINES[rows] : PreparedSql.multiRowInsert(LINES_INSERT, 11, rows), args);
    }
  }

  private static final String LINES_INSERT = "INSERT INTO bol_line (bol_number, compartment, product_code, "
      + "customer_id, allocation_id, tank_id, gross_gal, net_gal, temperature_f, base_density, ctl)";
  private static final String[] LINES = PreparedSql.multiRowInserts(LINES_INSERT, 11, 12);

  public Optional<String> document(Handle h, String number) {
    return h.createQuery("SELECT body_json FROM bol WHERE number = ?").bind(0, number).mapTo(String.class).findOne();
  }

  /** BOL numbers issued after {@code afterSeq}, oldest first. */
  public List<String> documentsAfter(Handle h, long afterSeq, int limit) {
    return h.createQuery("SELECT body_json FROM bol WHERE seq > ? ORDER BY seq LIMIT ?")
        .bind(0, afterSeq).bind(1, limit).mapTo(String.class).list();
  }

  public long count(Handle h) {
    return h.createQuery("SELECT count(*) FROM bol").mapTo(Long.class).one();
  }
}
