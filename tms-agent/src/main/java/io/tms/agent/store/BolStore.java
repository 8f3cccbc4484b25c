package io.tms.agent.store;

import io.tms.domain.loading.BillOfLading;
import io.tms.domain.loading.BolLine;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Issued bills of lading: typed lines for queries and the full document as JSON for reprints. */
public final class BolStore {

  public void insert(Handle h, BillOfLading bol, String documentJson) {
    h.createUpdate("INSERT INTO bol (number, seq, load_id, issued_at, total_gross, total_net, body_json) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(0, bol.number().toString()).bind(1, bol.number().sequence()).bind(2, bol.loadId())
        .bind(3, bol.completedAt().toString()).bind(4, bol.totalGrossGallons()).bind(5, bol.totalNetGallons())
        .bind(6, documentJson)
        .execute();
    var batch = h.prepareBatch("INSERT INTO bol_line (bol_number, compartment, product_code, customer_id, allocation_id, "
        + "tank_id, gross_gal, net_gal, temperature_f, base_density, ctl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (BolLine l : bol.lines()) {
      batch.bind(0, bol.number().toString()).bind(1, l.compartment()).bind(2, l.productCode())
          .bind(3, l.customerId()).bind(4, l.allocationId()).bind(5, l.tankId()).bind(6, l.grossGallons())
          .bind(7, l.netGallons()).bind(8, l.temperatureF()).bind(9, l.baseDensityKgM3()).bind(10, l.ctl()).add();
    }
    if (!bol.lines().isEmpty()) {
      batch.execute();
    }
  }

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
