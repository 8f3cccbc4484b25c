package io.tms.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tms.api.admin.AdminRoutes;
import io.tms.api.audit.AuditLog;
import io.tms.api.audit.AuditRoutes;
import io.tms.api.auth.AdminBootstrap;
import io.tms.api.auth.AuthConfig;
import io.tms.api.auth.Authenticator;
import io.tms.api.auth.PeopleRoutes;
import io.tms.api.auth.PeopleStore;
import io.tms.api.feed.ChangeFeed;
import io.tms.api.feed.ChangeLog;
import io.tms.api.feed.FeedNotifier;
import io.tms.api.feed.FeedPruner;
import io.tms.api.feed.FeedRoutes;
import io.tms.api.feed.FeedSettings;
import io.tms.api.fleet.Fleet;
import io.tms.api.fleet.FleetConfig;
import io.tms.api.http.CloudHttp;
import io.tms.api.http.CloudJson;
import io.tms.api.reserve.ReserveConfig;
import io.tms.api.reserve.ReserveLedger;
import io.tms.api.reserve.Reserves;
import io.tms.api.ingest.IngestBudget;
import io.tms.api.ingest.IngestHook;
import io.tms.api.ingest.SiteActivityQueries;
import io.tms.api.ingest.UplinkIngest;
import io.tms.api.ingest.UplinkRoutes;
import io.tms.api.pki.Pki;
import io.tms.api.store.CloudDatabase;
import java.time.Clock;
import java.time.Duration;
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
  private Pki pki;
  private final String firstAdminToken;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private Cloud(CloudConfig config, AuthConfig auth, Clock pkiClock) {
    long t0 = System.nanoTime();
    this.config = config;
    this.db = CloudDatabase.open(config);
    try {
      ObjectMapper json = CloudJson.mapper();
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      CloudHttp web = new CloudHttp(json, metrics, config.maxBodyBytes());
      ChangeLog changeLog = new ChangeLog(json);
      List<Consumer<RoutesConfig>> routes = new ArrayList<>();
      // people: every route but the open ones needs a token or OIDC JWT and the permission of the matrix
      AuditLog audit = new AuditLog(json, Clock.systemUTC());
      PeopleStore people = new PeopleStore();
      this.firstAdminToken = new AdminBootstrap(db.jdbi(), people, audit, Clock.systemUTC()).run(auth).orElse(null);
      routes.add(new Authenticator(db.jdbi(), people, auth, Clock.systemUTC())::register);
      // the fleet's routes first: Javalin tries routes in order, and heartbeats are most of the requests
      FleetConfig fleetConfig = FleetConfig.fromEnvironment();
      Fleet fleet = new Fleet(db.jdbi(), web, Clock.systemUTC(), fleetConfig);
      routes.add(fleet::routes);
      closeables.add(fleet.start());
      routes.add(new PeopleRoutes(db.jdbi(), people, audit, web, auth.tokenTtl(), Clock.systemUTC()));
      routes.add(new AuditRoutes(db.jdbi(), audit, web));
      // parts of the service add their routes here (admin API, change feed, uplink, fleet)
      routes.add(new AdminRoutes(db.jdbi(), changeLog, audit, web));
      routes.add(new io.tms.api.admin.TerminalResource(db.jdbi(), changeLog, audit, web));
      Reserves reserves = new Reserves(db.jdbi(), web, changeLog, audit, ReserveConfig.fromEnv(System.getenv()),
          Clock.systemUTC());
      routes.add(reserves.routes());
      closeables.add(reserves);
      FeedNotifier feedNotifier = new FeedNotifier(() -> db.dedicatedConnection("tms-feed-listener"));
      closeables.add(feedNotifier);
      metrics.gauge("tms_feed_waiting_polls", feedNotifier, FeedNotifier::waiting);
      FeedSettings feedSettings = FeedSettings.fromEnvironment(System.getenv());
      routes.add(new FeedRoutes(new ChangeFeed(db.jdbi(), feedNotifier, feedSettings)));
      closeables.add(new FeedPruner(db.jdbi(), feedSettings, Duration.ofMinutes(10)).start());
      // BOL lines and releases land in the reserve ledger in the same transaction as their batch
      this.ingest = new UplinkIngest(db.dataSource(), json, reserveHook(reserves.ledger()));
      IngestBudget ingestBudget = new IngestBudget(fleetConfig.drainMaxBytes());
      metrics.gauge("tms_uplink_inflight_bytes", ingestBudget, IngestBudget::inUseBytes);
      metrics.gauge("tms_uplink_budget_waiting", ingestBudget, IngestBudget::waiting);
      routes.add(new UplinkRoutes(web, ingest, new SiteActivityQueries(db.jdbi()),
          (int) fleetConfig.uplinkMaxBatchBytes(),
          fleet.drainGate(), ingestBudget, fleetConfig.drainMaxWait(), db.jdbi(), audit));
      routes.add(new io.tms.api.ingest.EdgeAuditRoutes(db.jdbi()));
      List<Consumer<RoutesConfig>> adminRoutes = new ArrayList<>(routes);
      if (config.edge().pkiEnabled()) {
        this.pki = new Pki(db.jdbi(), () -> db.dedicatedConnection("tms-pki-listener"), web, config.edge(), pkiClock,
            audit);
        closeables.add(pki);
        adminRoutes.add(pki.adminRoutes());
        pki.listen(routes); // the edge routes over mTLS, with EST
      }
      if (!config.edge().plaintext()) {
        adminRoutes.addFirst(r -> r.before("/edge/*", ctx -> {
          throw new io.tms.api.http.ApiException(403, "EDGE_REQUIRES_MTLS", null,
              "the edge API is served only on the mTLS edge listener");
        }));
      }
      this.http = web.create(() -> true, adminRoutes).start(config.httpHost(), config.httpPort());
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
          consumed.add(new ReserveLedger.Consumption(l.allocationId(), l.consumedGallons(), l.bolNumber(),
              l.completedAt())); // landed keeps no reference: the BOL's number, not a string per line
        }
      }
      ledger.landed(c, site, consumed);
      for (IngestHook.Release r : releases) {
        ledger.released(c, site, r.event().allocationId(), r.event().releasedTotalGallons());
      }
    };
  }

  /** Starts with the people settings of the environment ({@code TMS_ADMIN_TOKEN}, {@code TMS_OIDC_*}). */
  public static Cloud start(CloudConfig config) {
    return start(config, AuthConfig.fromEnvironment(System.getenv()), Clock.systemUTC());
  }

  /** As {@link #start(CloudConfig)}; certificate lifetimes and expiry follow {@code pkiClock}. */
  public static Cloud start(CloudConfig config, Clock pkiClock) {
    return start(config, AuthConfig.fromEnvironment(System.getenv()), pkiClock);
  }

  public static Cloud start(CloudConfig config, AuthConfig auth) {
    return start(config, auth, Clock.systemUTC());
  }

  public static Cloud start(CloudConfig config, AuthConfig auth, Clock pkiClock) {
    return new Cloud(config, auth, pkiClock);
  }

  /** The mTLS edge listener's port, or -1 when it does not run (no CA configured). */
  public int edgePort() {
    return pki == null ? -1 : pki.port();
  }

  /** The site CA, or null when none is configured. */
  public Pki pki() {
    return pki;
  }

  /**
   * The admin token generated because this start found no admin (a new database without
   * {@code TMS_ADMIN_TOKEN}): the caller shows it once. Empty on every later start.
   */
  public java.util.Optional<String> firstAdminToken() {
    return java.util.Optional.ofNullable(firstAdminToken);
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
