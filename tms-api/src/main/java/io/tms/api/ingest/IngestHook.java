package io.tms.api.ingest;

import io.tms.protocol.v1.ReserveReleasedV1;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Called inside the apply transaction of every batch that lands new business events, after they
 * are written and before the cursor advances: whatever the hook writes on {@code c} commits (or
 * rolls back) together with the batch, so consumers such as the reserve ledger count each BOL line
 * and each release exactly once. A hook that throws refuses the whole batch (the site retries).
 */
public interface IngestHook {
  IngestHook NONE = (c, site, lines, releases) -> {};

  /** A BOL line as landed: what the site consumed of an allocation's reserve. */
  record BolLine(String bolNumber, long seq, int compartment, String customerId, String productCode,
      String allocationId, long consumedGallons, double grossGallons, double netGallons, java.time.Instant completedAt) {}

  /** A release as landed, with the seq of its event (per site, increasing). */
  record Release(long seq, ReserveReleasedV1 event) {}

  void applied(Connection c, String siteCode, List<BolLine> bolLines, List<Release> releases) throws SQLException;
}
