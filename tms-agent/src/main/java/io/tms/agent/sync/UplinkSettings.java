package io.tms.agent.sync;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How the uplink drains the outbox and how much of it the site keeps, validated at start-up with
 * errors that name the key. Read from {@code TMS_UPLINK_*} / {@code TMS_OUTBOX_*} environment
 * variables (defaults below), so the agent's command line stays as it is.
 *
 * @param batchBytes uncompressed bytes of event bodies per batch (a batch ends at the first event
 *     past it), env {@code TMS_UPLINK_BATCH_BYTES}, default {@link #DEFAULT_BATCH_BYTES}
 * @param backoffInitial first wait after a failed exchange, env {@code TMS_UPLINK_BACKOFF_INITIAL}
 * @param backoffMax longest wait between tries, env {@code TMS_UPLINK_BACKOFF_MAX}, default 30 s
 * @param brokenRetry how long a lane the cloud refused (422) waits before it probes again, so that
 *     an operator's clearing of the flag takes effect, env {@code TMS_UPLINK_BROKEN_RETRY}
 * @param retention acknowledged events older than this are pruned, env {@code TMS_OUTBOX_RETENTION}
 * @param telemetryBudgetBytes unacknowledged telemetry kept on disk; past it the oldest is dropped
 *     and counted, env {@code TMS_OUTBOX_TELEMETRY_BUDGET_BYTES}, default 512 MiB
 * @param inFlight batches of a lane sent before the oldest one is answered (1-4), env
 *     {@code TMS_UPLINK_IN_FLIGHT}, default 2: the cloud decodes the next batch while it applies one
 * @param compression how batches are compressed, env {@code TMS_UPLINK_COMPRESSION} ({@code zstd},
 *     the default, or {@code gzip}); a cloud that refuses zstd (415) gets gzip
 */
public record UplinkSettings(
    int batchBytes, Duration backoffInitial, Duration backoffMax, Duration brokenRetry, Duration retention,
    long telemetryBudgetBytes, int inFlight, UplinkEncoding compression) {

  /**
   * 6 MiB of bodies per batch. Larger batches cost less per event — each batch costs the cloud a
   * transaction (a commit's fsync, the cursor's lock, a COPY per table) and the agent a request: 6 MiB
   * took one site's drain from ~48,000 to 55,000-61,000 events/s against 2 MiB ({@code tms bench
   * sync}, docs/benchmarks.md). The cloud bounds the inflated bytes it holds at once (its ingest
   * budget), so a reconnect storm of sites sending 6 MiB batches stays within its memory. The first
   * batch after a start or a failure is 64 KiB and each next one twice the last, so a flaky link
   * resends little ({@link #firstBatchBytes}).
   */
  public static final int DEFAULT_BATCH_BYTES = 6 * 1024 * 1024;

  public UplinkSettings {
    if (batchBytes < 1024 || batchBytes > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("uplink.batch-bytes must be 1 KiB-64 MiB (was " + batchBytes + ")");
    }
    if (backoffInitial.isNegative() || backoffInitial.isZero() || backoffMax.compareTo(backoffInitial) < 0) {
      throw new IllegalArgumentException("uplink.backoff needs 0 < initial <= max (was " + backoffInitial + ", "
          + backoffMax + ")");
    }
    if (brokenRetry.isNegative() || brokenRetry.isZero()) {
      throw new IllegalArgumentException("uplink.broken-retry must be > 0 (was " + brokenRetry + ")");
    }
    if (retention.isNegative()) {
      throw new IllegalArgumentException("outbox.retention must be >= 0 (was " + retention + ")");
    }
    if (telemetryBudgetBytes < 1024) {
      throw new IllegalArgumentException("outbox.telemetry-budget-bytes must be >= 1024 (was " + telemetryBudgetBytes + ")");
    }
    if (inFlight < 1 || inFlight > 4) {
      throw new IllegalArgumentException("uplink.in-flight must be 1-4 (was " + inFlight + ")");
    }
    if (compression == null) {
      throw new IllegalArgumentException("uplink.compression must be zstd or gzip (was null)");
    }
  }

  /**
   * The budget of the first batch after start or a lost link, doubled batch by batch up to
   * {@link #batchBytes}: the cloud commits it (and the site sees the link work) in milliseconds,
   * while the agent reads the next, larger one.
   */
  public int firstBatchBytes() {
    return Math.min(batchBytes, 64 * 1024);
  }

  public static UplinkSettings defaults() {
    return new UplinkSettings(DEFAULT_BATCH_BYTES, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMinutes(10),
        Duration.ofDays(7), 512L * 1024 * 1024, 2, UplinkEncoding.ZSTD);
  }

  public static UplinkSettings fromEnvironment() {
    return from(System::getenv);
  }

  static UplinkSettings from(UnaryOperator<String> env) {
    UplinkSettings d = defaults();
    Duration max = duration(env, "TMS_UPLINK_BACKOFF_MAX", d.backoffMax());
    // an unset initial wait follows a maximum set below its default
    Duration initial = duration(env, "TMS_UPLINK_BACKOFF_INITIAL",
        d.backoffInitial().compareTo(max) > 0 ? max : d.backoffInitial());
    return new UplinkSettings(
        (int) number(env, "TMS_UPLINK_BATCH_BYTES", d.batchBytes()),
        initial,
        max,
        duration(env, "TMS_UPLINK_BROKEN_RETRY", d.brokenRetry()),
        duration(env, "TMS_OUTBOX_RETENTION", d.retention()),
        number(env, "TMS_OUTBOX_TELEMETRY_BUDGET_BYTES", d.telemetryBudgetBytes()),
        (int) number(env, "TMS_UPLINK_IN_FLIGHT", d.inFlight()),
        env.apply("TMS_UPLINK_COMPRESSION") == null || env.apply("TMS_UPLINK_COMPRESSION").isBlank() ? d.compression()
            : UplinkEncoding.parse("TMS_UPLINK_COMPRESSION", env.apply("TMS_UPLINK_COMPRESSION")));
  }

  public UplinkSettings withBackoff(Duration initial, Duration max) {
    return new UplinkSettings(batchBytes, initial, max, brokenRetry, retention, telemetryBudgetBytes, inFlight,
        compression);
  }

  public UplinkSettings withTelemetryBudget(long bytes) {
    return new UplinkSettings(batchBytes, backoffInitial, backoffMax, brokenRetry, retention, bytes, inFlight,
        compression);
  }

  public UplinkSettings withBatchBytes(int bytes) {
    return new UplinkSettings(bytes, backoffInitial, backoffMax, brokenRetry, retention, telemetryBudgetBytes, inFlight,
        compression);
  }

  public UplinkSettings withInFlight(int batches) {
    return new UplinkSettings(batchBytes, backoffInitial, backoffMax, brokenRetry, retention, telemetryBudgetBytes,
        batches, compression);
  }

  public UplinkSettings withCompression(UplinkEncoding encoding) {
    return new UplinkSettings(batchBytes, backoffInitial, backoffMax, brokenRetry, retention, telemetryBudgetBytes,
        inFlight, encoding);
  }

  public Map<String, Object> describe() {
    return Map.of("batchBytes", batchBytes, "backoffMax", backoffMax.toString(), "retention", retention.toString(),
        "telemetryBudgetBytes", telemetryBudgetBytes, "inFlight", inFlight, "compression", compression.header());
  }

  private static long number(UnaryOperator<String> env, String key, long dflt) {
    String v = env.apply(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number (was " + v + ")");
    }
  }

  /**
   * {@code 500ms}, {@code 30s}, {@code 10m}, {@code 7d}, or ISO-8601 ({@code PT30S}): the one parser
   * of the agent's duration settings (the heartbeat's too).
   */
  public static Duration duration(UnaryOperator<String> env, String key, Duration dflt) {
    String v = env.apply(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    String s = v.trim();
    try {
      if (s.startsWith("P") || s.startsWith("p")) {
        return Duration.parse(s);
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (s.charAt(s.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " must be a duration such as 500ms, 30s, 10m, 7d (was " + v + ")");
    }
  }
}
