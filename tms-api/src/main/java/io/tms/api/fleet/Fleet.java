package io.tms.api.fleet;

import io.javalin.config.RoutesConfig;
import io.tms.api.http.CloudHttp;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the fleet part of the cloud: heartbeats, the fleet view, offline detection and the drain
 * gate. {@link #start()} schedules the two background jobs (heartbeat flush every second, offline
 * detection every few seconds) on one daemon thread; tests leave it unstarted and drive
 * {@link HeartbeatBuffer#flush()} and {@link OfflineDetector#tick} themselves.
 */
public final class Fleet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Fleet.class);

  private final FleetConfig config;
  private final Clock clock;
  private final HeartbeatBuffer heartbeats;
  private final OfflineDetector offline;
  private final DrainGate gate;
  private final FleetApi api;
  private ScheduledExecutorService jobs;

  public Fleet(Jdbi jdbi, CloudHttp web, Clock clock, FleetConfig config) {
    this.config = config;
    this.clock = clock;
    this.heartbeats = new HeartbeatBuffer(jdbi, web.json());
    this.offline = new OfflineDetector(jdbi, config.offlineAfter());
    this.gate = new DrainGate(config);
    this.api = new FleetApi(web, clock, heartbeats, new FleetStore(jdbi), gate);
  }

  public void routes(RoutesConfig r) {
    api.routes(r);
  }

  /** Starts the background jobs; idempotent. */
  public synchronized Fleet start() {
    if (jobs == null) {
      jobs = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("fleet-jobs").factory());
      long flush = config.flushInterval().toMillis();
      long check = config.offlineCheckInterval().toMillis();
      jobs.scheduleWithFixedDelay(() -> run("heartbeat flush", heartbeats::flush), flush, flush, TimeUnit.MILLISECONDS);
      jobs.scheduleWithFixedDelay(() -> run("offline detection", () -> offline.tick(clock.instant())), check, check,
          TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private static void run(String job, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("{} failed; next run as scheduled", job, e);
    }
  }

  /** The gate the uplink handler takes a permit from around each apply. */
  public DrainGate drainGate() {
    return gate;
  }

  public HeartbeatBuffer heartbeats() {
    return heartbeats;
  }

  public OfflineDetector offlineDetector() {
    return offline;
  }

  public FleetConfig config() {
    return config;
  }

  @Override
  public synchronized void close() {
    if (jobs != null) {
      jobs.shutdownNow();
      try {
        jobs.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      jobs = null;
    }
    run("final heartbeat flush", heartbeats::flush);
  }
}
