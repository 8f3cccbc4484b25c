package io.tms.api.reserve;

import io.tms.api.audit.AuditLog;
import io.tms.api.feed.ChangeLog;
import io.tms.api.http.CloudHttp;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The reserve ledger's parts, built with constructors for {@code Cloud}: the ingest hooks
 * ({@link #ledger()}), the background rounds ({@link #job()}, started by the caller, closed with
 * it) and the admin routes ({@link #routes()}).
 */
public final class Reserves implements AutoCloseable {
  private final ReserveLedger ledger = new ReserveLedger();
  private final ReserveStore store = new ReserveStore();
  private final ReserveRebalancer rebalancer;
  private final ReserveJob job;
  private final ReserveRoutes routes;

  /** Sites from {@code reserve_site}. */
  public Reserves(Jdbi jdbi, CloudHttp http, ChangeLog changeLog, AuditLog audit, ReserveConfig config, Clock clock) {
    this(jdbi, http, changeLog, audit, config, clock, null);
  }

  /** With another source of participating sites (e.g. lifting rights); {@code null}: {@code reserve_site}. */
  public Reserves(
      Jdbi jdbi, CloudHttp http, ChangeLog changeLog, AuditLog audit, ReserveConfig config, Clock clock,
      ParticipatingSites sites) {
    this.rebalancer = new ReserveRebalancer(store, sites != null ? sites : store::settings, changeLog, config.policy(),
        config.rateWindow(), clock);
    this.job = new ReserveJob(jdbi, rebalancer, store, config.interval(), clock);
    this.routes = new ReserveRoutes(jdbi, http, store, rebalancer, audit);
  }

  public ReserveLedger ledger() {
    return ledger;
  }

  public ReserveRebalancer rebalancer() {
    return rebalancer;
  }

  public ReserveJob job() {
    return job;
  }

  public ReserveRoutes routes() {
    return routes;
  }

  @Override
  public void close() {
    job.close();
  }
}
