package io.tms.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tms.agent.service.SiteEvents;
import io.tms.agent.service.SiteQueries;
import io.tms.agent.store.WriteQueue;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.LoadStartedV1;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The agent's Prometheus metrics: request latency histograms, authorizations by outcome, loads,
 * BOLs, outbox depth per lane and the writer's group-commit figures. Thread-safe.
 */
public final class SiteMetrics implements SiteEvents {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final Counter approved;
  private final Counter loadsStarted;
  private final Counter bols;

  public SiteMetrics(String siteCode) {
    registry.config().commonTags("site", siteCode);
    approved = Counter.builder("tms_authorizations").tag("outcome", "approved").tag("deny_code", "none").register(registry);
    loadsStarted = Counter.builder("tms_loads_started").register(registry);
    bols = Counter.builder("tms_bols_issued").register(registry);
  }

  /** Gauges that read the site's state when scraped. */
  public void bind(SiteQueries queries, WriteQueue writer) {
    for (Lane lane : Lane.values()) {
      Gauge.builder("tms_outbox_depth", queries, q -> q.outbox().get(lane).depth())
          .tag("lane", lane.name().toLowerCase())
          .description("events written and not yet acknowledged by the cloud")
          .register(registry);
    }
    Gauge.builder("tms_writer_commits", writer, WriteQueue::commits).register(registry);
    Gauge.builder("tms_writer_units", writer, WriteQueue::units).register(registry);
    Gauge.builder("tms_writer_queued", writer, WriteQueue::queued).register(registry);
  }

  public void request(String method, String route, int status, long nanos) {
    String key = method + ' ' + route + ' ' + status;
    timers.computeIfAbsent(key, k -> Timer.builder("tms_http_requests")
            .tag("method", method)
            .tag("route", route)
            .tag("status", Integer.toString(status))
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(5))
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void authorized(AuthorizationDecidedV1 decision) {
    if (decision.approved()) {
      approved.increment();
    } else {
      String code = decision.denyCodes().isEmpty() ? "UNKNOWN" : decision.denyCodes().get(0);
      Counter.builder("tms_authorizations").tag("outcome", "denied").tag("deny_code", code).register(registry)
          .increment();
    }
  }

  @Override
  public void loadStarted(LoadStartedV1 load) {
    loadsStarted.increment();
  }

  @Override
  public void bolIssued(BolIssuedV1 bol) {
    bols.increment();
  }

  public String scrape() {
    return registry.scrape();
  }
}
