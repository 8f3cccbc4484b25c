package io.tms.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tms.api.admin.AdminRoutes;
import io.tms.api.feed.ChangeFeed;
import io.tms.api.feed.ChangeLog;
import io.tms.api.feed.FeedNotifier;
import io.tms.api.feed.FeedRoutes;
import io.tms.api.feed.FeedSettings;
import io.tms.api.fleet.Fleet;
import io.tms.api.fleet.FleetConfig;
import io.tms.api.http.CloudHttp;
import io.tms.api.http.CloudJson;
import io.tms.api.reserve.ReserveConfig;
import io.tms.api.reserve.ReserveLedger;
import io.tms.api.reserve.Reserves;
import io.tms.api.ingest.IngestHook;
import io.tms.api.ingest.SiteActivityQueries;
import io.tms.api.ingest.UplinkIngest;
import io.tms.api.ingest.UplinkRoutes;
import io.tms.api.store.CloudDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud service's composition root: opens PostgreSQL (embedded or by URL), migrates it, wires
 * the parts with constructors and serves the admin and edge APIs. Stateless: any number of
 * replicas may share one database.
 */
public final class Cloud implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Cloud.class);

  private final CloudConfig config;
  private final CloudDatabase db;
  private final Javalin http;
  private final UplinkIngest ingest;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private Cloud(CloudConfig config) {
    long t0 = System.nanoTime();
    this.config = config;
    this.db = CloudDatabase.open(config);
    try {
      ObjectMapper json = CloudJson.mapper();
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      CloudHttp web = new CloudHttp(json, metrics, config.maxBodyBytes());
      ChangeLog changeLog = new ChangeLog(json);
      List<Consumer<RoutesConfig>> routes = new ArrayList<>();
      // parts of the service add their routes here (admin API, change feed, uplink, fleet)
      routes.add(new AdminRoutes(db.jdbi(), changeLog, web));
      routes.add(new io.tms.api.admin.TerminalResource(db.jdbi(), changeLog, web));
      Reserves reserves = new Reserves(db.jdbi(), web, changeLog, ReserveConfig.fromEnv(System.getenv()), Clock.systemUTC());
      routes.add(reserves.routes());
      closeables.add(reserves);
      FeedNotifier feedNotifier = new FeedNotifier(() -> db.dedicatedConnection("tms-feed-listener"));
      closeables.add(feedNotifier);
      metrics.gauge("tms_feed_waiting_polls", feedNotifier, FeedNotifier::waiting);
      routes.add(new FeedRoutes(new ChangeFeed(db.jdbi(), feedNotifier, FeedSettings.fromEnvironment(System.getenv()))));
      Fleet fleet = new Fleet(db.jdbi(), web, Clock.systemUTC(), FleetConfig.fromEnvironment());
      routes.add(fleet::routes);
      closeables.add(fleet.start());
      // BOL lines and releases land in the reserve ledger in the same transaction as their batch
      this.ingest = new UplinkIngest(db.dataSource(), json, reserveHook(reserves.ledger()));
      routes.add(new UplinkRoutes(web, ingest, new SiteActivityQueries(db.jdbi()), 256 * 1024 * 1024,
          fleet.drainGate()));
      routes.add(new io.tms.api.ingest.EdgeAuditRoutes(db.jdbi()));
      this.http = web.create(() -> true, routes).start(config.httpHost(), config.httpPort());
      reserves.job().start();
      log.info("cloud ready on port {} in {} ms ({})", http.port(), (System.nanoTime() - t0) / 1_000_000,
          config.describe());
    } catch (RuntimeException e) {
      closeParts();
      db.close();
      throw e;
    }
  }

  private static IngestHook reserveHook(ReserveLedger ledger) {
    return (c, site, lines, releases) -> {
      List<ReserveLedger.Consumption> consumed = new ArrayList<>(lines.size());
      for (IngestHook.BolLine l : lines) {
        if (l.allocationId() != null && l.consumedGallons() > 0) {
          consumed.add(new ReserveLedger.Consumption(l.allocationId(), l.consumedGallons(),
              l.bolNumber() + "/" + l.compartment(), l.completedAt()));
        }
      }
      ledger.consumed(c, site, consumed);
      for (IngestHook.Release r : releases) {
        ledger.released(c, site, r.event().allocationId(), r.event().releasedTotalGallons());
      }
    };
  }

  public static Cloud start(CloudConfig config) {
    return new Cloud(config);
  }

  public int port() {
    return http.port();
  }

  /** Every route this replica serves, as {@code "get /v1/sites"} (for the OpenAPI test). */
  public java.util.SortedSet<String> routes() {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    http.unsafe.internalRouter.allHttpHandlers().forEach(e ->
        out.add(e.endpoint.method.name().toLowerCase(java.util.Locale.ROOT) + " " + e.endpoint.path));
    return out;
  }

  public CloudDatabase database() {
    return db;
  }

  /** The uplink apply, whose {@link IngestHook} the reserve ledger replaces. */
  public UplinkIngest ingest() {
    return ingest;
  }

  public CloudConfig config() {
    return config;
  }

  @Override
  public void close() {
    http.stop();
    closeParts();
    db.close();
  }

  private void closeParts() {
    for (AutoCloseable c : closeables.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error while stopping {}", c, e);
      }
    }
  }
}
