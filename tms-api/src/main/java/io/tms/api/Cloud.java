package io.tms.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tms.api.feed.ChangeLog;
import io.tms.api.http.CloudHttp;
import io.tms.api.http.CloudJson;
import io.tms.api.ingest.IngestHook;
import io.tms.api.ingest.SiteActivityQueries;
import io.tms.api.ingest.UplinkIngest;
import io.tms.api.ingest.UplinkRoutes;
import io.tms.api.store.CloudDatabase;
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
      this.ingest = new UplinkIngest(db.dataSource(), json, IngestHook.NONE);
      routes.add(new UplinkRoutes(web, ingest, new SiteActivityQueries(db.jdbi()), 256 * 1024 * 1024));
      this.http = web.create(() -> true, routes).start(config.httpHost(), config.httpPort());
      log.info("cloud ready on port {} in {} ms ({})", http.port(), (System.nanoTime() - t0) / 1_000_000,
          config.describe());
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  public static Cloud start(CloudConfig config) {
    return new Cloud(config);
  }

  public int port() {
    return http.port();
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
    for (AutoCloseable c : closeables.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error while stopping {}", c, e);
      }
    }
    db.close();
  }
}
