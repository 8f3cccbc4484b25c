package io.tms.api.feed;

import java.util.Map;

/**
 * Bounds of the change feed, validated at start-up with errors that name the key.
 *
 * @param maxLag a site more than this many revs behind the head takes a snapshot instead of the
 *     changes (replaying a long history costs more than sending the current state)
 * @param maxWaitMillis the longest a long poll waits; below the HTTP idle timeout of every proxy on
 *     the way (30 s is common)
 * @param defaultLimit changes per answer when the agent does not say
 * @param maxLimit the most changes one answer may carry
 */
public record FeedSettings(long maxLag, long maxWaitMillis, int defaultLimit, int maxLimit) {
  public FeedSettings {
    if (maxLag < 1) {
      throw new IllegalArgumentException("feed.max-lag must be >= 1 (was " + maxLag + ")");
    }
    if (maxWaitMillis < 0 || maxWaitMillis > 60_000) {
      throw new IllegalArgumentException("feed.max-wait-ms must be 0-60000 (was " + maxWaitMillis + ")");
    }
    if (maxLimit < 1 || defaultLimit < 1 || defaultLimit > maxLimit) {
      throw new IllegalArgumentException(
          "feed limits must be 1 <= default <= max (was " + defaultLimit + ", " + maxLimit + ")");
    }
  }

  public static FeedSettings defaults() {
    return new FeedSettings(10_000, 25_000, 1_000, 5_000);
  }

  /** Defaults, overridden by {@code TMS_FEED_MAX_LAG} and {@code TMS_FEED_MAX_WAIT_MS} when set. */
  public static FeedSettings fromEnvironment(Map<String, String> env) {
    FeedSettings d = defaults();
    return new FeedSettings(
        number(env, "TMS_FEED_MAX_LAG", "feed.max-lag", d.maxLag()),
        number(env, "TMS_FEED_MAX_WAIT_MS", "feed.max-wait-ms", d.maxWaitMillis()),
        d.defaultLimit(), d.maxLimit());
  }

  private static long number(Map<String, String> env, String name, String key, long dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number (" + name + " was " + v + ")");
    }
  }
}
