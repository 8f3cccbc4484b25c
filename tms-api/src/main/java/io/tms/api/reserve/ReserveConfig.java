package io.tms.api.reserve;

import io.tms.domain.allocation.ReservePolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the reserve ledger, validated at start-up with errors that name the variable.
 *
 * @param interval how often a round runs across all replicas ({@code TMS_RESERVE_INTERVAL}, e.g.
 *     {@code 5s}; {@code 0} runs no background rounds: rebalancing only on request)
 * @param policy horizon ({@code TMS_RESERVE_HORIZON}, {@code 72h}), initial reserve
 *     ({@code TMS_RESERVE_INITIAL_GAL}, 8000) and top-up threshold ({@code TMS_RESERVE_TOP_UP_BELOW}, 0.75)
 * @param rateWindow how far back consumption is averaged into a site's rate ({@code TMS_RESERVE_RATE_WINDOW}, {@code 24h})
 */
public record ReserveConfig(Duration interval, ReservePolicy policy, Duration rateWindow) {

  public static final ReserveConfig DEFAULT =
      new ReserveConfig(Duration.ofSeconds(5), ReservePolicy.DEFAULT, Duration.ofHours(24));

  public ReserveConfig {
    Objects.requireNonNull(interval, "TMS_RESERVE_INTERVAL");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(rateWindow, "TMS_RESERVE_RATE_WINDOW");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("TMS_RESERVE_INTERVAL must be >= 0 (was " + interval + ")");
    }
    if (rateWindow.toSeconds() < 3600) { // the landed consumption is kept per hour
      throw new IllegalArgumentException("TMS_RESERVE_RATE_WINDOW must be >= 1h (was " + rateWindow + ")");
    }
  }

  /** From {@code TMS_RESERVE_*} variables, defaults for those not set. */
  public static ReserveConfig fromEnv(Map<String, String> env) {
    ReservePolicy d = ReservePolicy.DEFAULT;
    Duration interval = duration(env, "TMS_RESERVE_INTERVAL", DEFAULT.interval());
    Duration horizon = duration(env, "TMS_RESERVE_HORIZON", d.horizon());
    Duration window = duration(env, "TMS_RESERVE_RATE_WINDOW", DEFAULT.rateWindow());
    long initial;
    double below;
    try {
      initial = Long.parseLong(env.getOrDefault("TMS_RESERVE_INITIAL_GAL", Long.toString(d.initialGallons())).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("TMS_RESERVE_INITIAL_GAL must be whole gallons (was "
          + env.get("TMS_RESERVE_INITIAL_GAL") + ")");
    }
    try {
      below = Double.parseDouble(env.getOrDefault("TMS_RESERVE_TOP_UP_BELOW", Double.toString(d.topUpBelow())).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("TMS_RESERVE_TOP_UP_BELOW must be a fraction in (0, 1] (was "
          + env.get("TMS_RESERVE_TOP_UP_BELOW") + ")");
    }
    if (horizon.isZero()) {
      throw new IllegalArgumentException("TMS_RESERVE_HORIZON must be > 0 (was 0)");
    }
    if (initial < 0) {
      throw new IllegalArgumentException("TMS_RESERVE_INITIAL_GAL must be >= 0 (was " + initial + ")");
    }
    if (!(below > 0 && below <= 1)) {
      throw new IllegalArgumentException("TMS_RESERVE_TOP_UP_BELOW must be in (0, 1] (was " + below + ")");
    }
    return new ReserveConfig(interval, new ReservePolicy(horizon, initial, below), window);
  }

  /** {@code 500ms}, {@code 5s}, {@code 10m}, {@code 72h}, {@code 7d}, or {@code 0}. */
  static Duration duration(Map<String, String> env, String name, Duration dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?").matcher(v.trim());
    if (!m.matches() || (m.group(2) == null && !"0".equals(m.group(1)))) {
      throw new IllegalArgumentException(name + " must be a duration like 5s, 10m, 72h (was " + v + ")");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
