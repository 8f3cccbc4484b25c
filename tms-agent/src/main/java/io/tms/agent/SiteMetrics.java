package io.tms.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
  /** Bucket bounds of the writer's timers: 0.05 ms to 1 s, 0.25-0.5 ms apart from 1 to 5 ms. */
  private static final Duration[] WRITER_BUCKETS = java.util.stream.DoubleStream.of(
          0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 10, 12.5, 15, 20, 30,
          50, 100, 250, 500, 1000)
      .mapToObj(ms -> Duration.ofNanos(Math.round(ms * 1e6))).toArray(Duration[]::new);

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
    writer.timings(new WriterTimings());
  }

  /**
   * Where a write's time goes, as histograms: {@code tms_writer_unit_seconds} by {@code phase} —
   * {@code queued} (waiting for the writer), {@code committing} (its batch's run, from the batch's
   * start to its commit) and {@code flushing} (from the commit to its answer: the fsync that covers
   * it and the wait for one under way) — and per batch {@code tms_writer_batch_seconds} and
   * {@code tms_writer_batch_units}, per WAL flush {@code tms_writer_flush_seconds}. A request's time
   * in the agent is roughly the three phases plus parsing and answering it.
   */
  private final class WriterTimings implements WriteQueue.Timings {
    private final Timer queued = unitTimer("queued");
    private final Timer committing = unitTimer("committing");
    private final Timer flushing = unitTimer("flushing");
    private final Timer batch = fine(Timer.builder("tms_writer_batch_seconds")
        .description("a group commit's run, from its first unit to its commit"));
    private final DistributionSummary batchUnits = DistributionSummary.builder("tms_writer_batch_units")
        .description("units (writes) per group commit").publishPercentileHistogram()
        .minimumExpectedValue(1.0).maximumExpectedValue(1024.0).register(registry);
    private final Timer flush = fine(Timer.builder("tms_writer_flush_seconds")
        .description("one fsync of the site database's WAL"));

    private Timer unitTimer(String phase) {
      return fine(Timer.builder("tms_writer_unit_seconds").tag("phase", phase)
          .description("a write's time in the site writer, by phase"));
    }

    /**
     * Buckets for phases of tens of microseconds to a few milliseconds, finest around the 5 ms a
     * request may take in all (issue 2): Micrometer's own percentile buckets are ~25 % apart there.
     */
    private Timer fine(Timer.Builder timer) {
      return timer.serviceLevelObjectives(WRITER_BUCKETS).register(registry);
    }

    @Override
    public void unit(long queuedNanos, long committingNanos, long flushingNanos) {
      queued.record(queuedNanos, TimeUnit.NANOSECONDS);
      committing.record(committingNanos, TimeUnit.NANOSECONDS);
      flushing.record(flushingNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void batch(int units, long runNanos) {
      batchUnits.record(units);
      batch.record(runNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void flush(long nanos) {
      flush.record(nanos, TimeUnit.NANOSECONDS);
    }
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
