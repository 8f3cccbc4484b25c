package io.tms.agent.sync;

import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.WriteContext;
import io.tms.domain.allocation.Reserve;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.ReserveReleasedV1;
import io.tms.protocol.v1.sync.ReserveV1;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's side of escrow (DESIGN §4). The cloud sends running totals — granted, release
 * requested — and takes reserve back only when the site says so: when more was requested than the
 * site has released, the site gives back what it can spare (granted − released − consumed − held,
 * never a held or consumed gallon) and records a {@code reserve.released.v1} event in the same
 * transaction. Running totals make this idempotent: applying the same record twice releases
 * nothing more. Writer thread only.
 */
public final class ReserveLedger {
  private static final Logger log = LoggerFactory.getLogger(ReserveLedger.class);

  private final String siteCode;
  private final OutboxStore outbox;

  public ReserveLedger(String siteCode, OutboxStore outbox) {
    this.siteCode = siteCode;
    this.outbox = outbox;
  }

  private record Row(String allocationId, long granted, long released, long requested, long consumed, long held) {}

  /** Takes the cloud's totals for one allocation; releases follow in {@link #releaseRequested}. */
  public void grant(WriteContext ctx, ReserveV1 r) {
    Handle h = ctx.handle();
    Row row = row(h, r.allocationId());
    if (row == null) {
      h.createUpdate("INSERT INTO reserve (allocation_id, granted_gal, release_requested_gal) VALUES (?, ?, ?)")
          .bind(0, r.allocationId()).bind(1, r.grantedGallons()).bind(2, r.releaseRequestedGallons()).execute();
      return;
    }
    long floor = row.consumed() + row.held() + row.released();
    long granted = r.grantedGallons();
    if (granted < floor) {
      // totals only grow in the cloud; a smaller one is a cloud-side mistake the site must survive
      log.warn("site={} allocation={} cloud grants {} gal but the site already used or gave back {}; keeping {}",
          siteCode, r.allocationId(), granted, floor, floor);
      granted = floor;
    }
    h.createUpdate("UPDATE reserve SET granted_gal = ?, release_requested_gal = max(release_requested_gal, ?) "
            + "WHERE allocation_id = ?")
        .bind(0, granted).bind(1, r.releaseRequestedGallons()).bind(2, r.allocationId()).execute();
  }

  /**
   * Gives back what can be spared of every reserve with an outstanding release request, each with
   * one event. Returns the gallons released. Cheap when nothing is outstanding (one indexed scan).
   */
  public long releaseRequested(WriteContext ctx) {
    Handle h = ctx.handle();
    List<Row> outstanding = h.createQuery("SELECT allocation_id, granted_gal, released_gal, release_requested_gal, "
            + "consumed_gal, held_gal FROM reserve WHERE release_requested_gal > released_gal")
        .map((rs, c) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6)))
        .list();
    long total = 0;
    for (Row row : outstanding) {
      Reserve spendable = new Reserve(row.allocationId(), row.granted() - row.released(), row.consumed(), row.held());
      long give = Math.min(row.requested() - row.released(), spendable.available());
      if (give <= 0) {
        continue;
      }
      spendable.giveBack(give); // checks, once more, that no held or consumed gallon goes back
      long releasedTotal = row.released() + give;
      h.createUpdate("UPDATE reserve SET released_gal = ? WHERE allocation_id = ?")
          .bind(0, releasedTotal).bind(1, row.allocationId()).execute();
      outbox.append(ctx, Lane.BUSINESS, EventTypes.RESERVE_RELEASED, ctx.now(),
          new ReserveReleasedV1(siteCode, row.allocationId(), give, releasedTotal, ctx.now()));
      log.info("site={} allocation={} released {} gal of reserve (asked {}, released so far {})", siteCode,
          row.allocationId(), give, row.requested(), releasedTotal);
      total += give;
    }
    return total;
  }

  private static Row row(Handle h, String allocationId) {
    return h.createQuery("SELECT allocation_id, granted_gal, released_gal, release_requested_gal, consumed_gal, "
            + "held_gal FROM reserve WHERE allocation_id = ?")
        .bind(0, allocationId)
        .map((rs, c) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6)))
        .findOne()
        .orElse(null);
  }
}
