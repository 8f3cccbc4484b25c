package io.tms.api.fleet;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Fleet settings, validated at start-up with errors that name the key.
 *
 * @param heartbeatInterval how often agents heartbeat (they are told nothing; it is their default)
 * @param missedHeartbeats a site is offline after this many intervals without a heartbeat
 * @param offlineCheckInterval how often the offline detector runs
 * @param flushInterval how often received heartbeats are written to PostgreSQL
 * @param drainConcurrency K: uplink applies that run at once (see {@link DrainGate})
 * @param drainMaxWait how long an uplink request waits in the drain queue before a 429
 * @param drainIdleRelease a draining site that sends nothing for this long gives its slot up
 * @param drainMaxHold a site holding a slot this long yields it when others wait
 * @param drainMaxWaiting requests waiting in the queue at most; more get a 429 at once
 * @param drainInitialRate events/s assumed for ETAs before any apply was measured
 * @param drainMaxBytes the inflated bytes of uplink batches inside the gate at once
 *     ({@link io.tms.api.ingest.IngestBudget})
 * @param uplinkMaxBatchBytes the largest uplink batch, inflated, that one request may carry: a larger
 *     one is a 413, and every uplink answer names this size so agents cut their batches to fit
 */
public record FleetConfig(
    Duration heartbeatInterval,
    int missedHeartbeats,
    Duration offlineCheckInterval,
    Duration flushInterval,
    int drainConcurrency,
    Duration drainMaxWait,
    Duration drainIdleRelease,
    Duration drainMaxHold,
    int drainMaxWaiting,
    double drainInitialRate,
    long drainMaxBytes,
    long uplinkMaxBatchBytes) {

  public FleetConfig {
    positive("fleet.heartbeat-interval", heartbeatInterval);
    positive("fleet.offline-check-interval", offlineCheckInterval);
    positive("fleet.flush-interval", flushInterval);
    positive("drain.idle-release", drainIdleRelease);
    positive("drain.max-hold", drainMaxHold);
    if (drainMaxWait == null || drainMaxWait.isNegative()) {
      throw new IllegalArgumentException("drain.max-wait must be >= 0 (was " + drainMaxWait + ")");
    }
    if (missedHeartbeats < 1) {
      throw new IllegalArgumentException("fleet.missed-heartbeats must be >= 1 (was " + missedHeartbeats + ")");
    }
    if (drainConcurrency < 1 || drainConcurrency > 64) {
      throw new IllegalArgumentException("drain.concurrency must be 1-64 (was " + drainConcurrency + ")");
    }
    if (drainMaxWaiting < 0) {
      throw new IllegalArgumentException("drain.max-waiting must be >= 0 (was " + drainMaxWaiting + ")");
    }
    if (!(drainInitialRate > 0)) {
      throw new IllegalArgumentException("drain.initial-rate must be > 0 (was " + drainInitialRate + ")");
    }
    if (drainMaxBytes < MIB || drainMaxBytes > 4096 * MIB) {
      throw new IllegalArgumentException("drain.max-bytes must be 1 MiB-4 GiB (was " + drainMaxBytes + ")");
    }
    if (uplinkMaxBatchBytes < MIB || uplinkMaxBatchBytes > 256 * MIB) {
      throw new IllegalArgumentException("uplink.max-batch-bytes must be 1-256 MiB (was " + uplinkMaxBatchBytes + ")");
    }
  }

  private static final long MIB = 1024 * 1024;

  /**
   * Heartbeats every 5 s, offline after 3 missed; K = 2 sites drain at once (each with up to
   * {@link DrainGate#PER_SITE} batches inside: on 2 cores two applying while the next two are read
   * and decoded; K = 3 let storm heartbeats reach a p99 of 555 ms), 2 s in the queue before a 429;
   * {@value #DEFAULT_DRAIN_MAX_MIB} MiB of inflated batches inside at once (the four requests of K = 2
   * with the agents' 6 MiB batches would be 24: two of them wait); uplink batches of at most
   * {@value #DEFAULT_UPLINK_MAX_BATCH_MIB} MiB inflated.
   */
  public static FleetConfig defaults() {
    return new FleetConfig(Duration.ofSeconds(5), 3, Duration.ofSeconds(2), Duration.ofSeconds(1), 2,
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30), 512, 5_000, DEFAULT_DRAIN_MAX_MIB * MIB,
        DEFAULT_UPLINK_MAX_BATCH_MIB * MIB);
  }

  /** The default of {@link #drainMaxBytes}, in MiB. */
  public static final int DEFAULT_DRAIN_MAX_MIB = 16;

  /**
   * The default of {@link #uplinkMaxBatchBytes}, in MiB: five times the agents' default batch (6 MiB),
   * and what a replica's 320 MiB heap can decode with room to spare, since a batch larger than the
   * ingest budget applies alone. It was 256 MiB, more than that heap can hold decoded.
   */
  public static final int DEFAULT_UPLINK_MAX_BATCH_MIB = 32;

  /**
   * The defaults overridden by {@code TMS_FLEET_HEARTBEAT_INTERVAL}, {@code TMS_FLEET_MISSED_HEARTBEATS}
   * (ISO-8601 durations or plain seconds), {@code TMS_DRAIN_CONCURRENCY}, {@code TMS_DRAIN_MAX_WAIT},
   * {@code TMS_DRAIN_MAX_MIB}, {@code TMS_UPLINK_MAX_BATCH_MIB}.
   */
  public static FleetConfig from(Function<String, String> env) {
    FleetConfig d = defaults();
    return new FleetConfig(
        duration(env, "TMS_FLEET_HEARTBEAT_INTERVAL", d.heartbeatInterval()),
        integer(env, "TMS_FLEET_MISSED_HEARTBEATS", d.missedHeartbeats()),
        d.offlineCheckInterval(), d.flushInterval(),
        integer(env, "TMS_DRAIN_CONCURRENCY", d.drainConcurrency()),
        duration(env, "TMS_DRAIN_MAX_WAIT", d.drainMaxWait()),
        d.drainIdleRelease(), d.drainMaxHold(), d.drainMaxWaiting(), d.drainInitialRate(),
        integer(env, "TMS_DRAIN_MAX_MIB", (int) (d.drainMaxBytes() / MIB)) * MIB,
        integer(env, "TMS_UPLINK_MAX_BATCH_MIB", (int) (d.uplinkMaxBatchBytes() / MIB)) * MIB);
  }

  public static FleetConfig fromEnvironment() {
    return from(System::getenv);
  }

  public FleetConfig withDrain(int concurrency, Duration maxWait) {
    return new FleetConfig(heartbeatInterval, missedHeartbeats, offlineCheckInterval, flushInterval, concurrency,
        maxWait, drainIdleRelease, drainMaxHold, drainMaxWaiting, drainInitialRate, drainMaxBytes,
        uplinkMaxBatchBytes);
  }

  public FleetConfig withHeartbeat(Duration interval, int missed) {
    return new FleetConfig(interval, missed, offlineCheckInterval, flushInterval, drainConcurrency,
        drainMaxWait, drainIdleRelease, drainMaxHold, drainMaxWaiting, drainInitialRate, drainMaxBytes,
        uplinkMaxBatchBytes);
  }

  /** Silence after which a site counts as offline. */
  public Duration offlineAfter() {
    return heartbeatInterval.multipliedBy(missedHeartbeats);
  }

  public Map<String, Object> describe() {
    return Map.of("heartbeatInterval", heartbeatInterval.toString(), "missedHeartbeats", missedHeartbeats,
        "drainConcurrency", drainConcurrency, "drainMaxWait", drainMaxWait.toString(), "drainMaxBytes", drainMaxBytes,
        "uplinkMaxBatchBytes", uplinkMaxBatchBytes);
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be > 0 (was " + d + ")");
    }
  }

  private static Duration duration(Function<String, String> env, String key, Duration dflt) {
    String v = env.apply(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return v.startsWith("P") || v.startsWith("p") ? Duration.parse(v) : Duration.ofMillis(
          Math.round(Double.parseDouble(v) * 1000));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " must be a duration in seconds or ISO-8601 (was " + v + ")");
    }
  }

  private static int integer(Function<String, String> env, String key, int dflt) {
    String v = env.apply(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer (was " + v + ")");
    }
  }
}
