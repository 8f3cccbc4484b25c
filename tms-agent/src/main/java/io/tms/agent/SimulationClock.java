package io.tms.agent;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A clock that runs {@code rate} times faster than real time from an anchor: at the real instant
 * {@code at} it reads {@code start}. The demo plays 72 hours of a terminal in minutes this way
 * ({@code TMS_CLOCK}); every agent of a demo gets the same setting, so restarting one keeps its
 * time in step with the others. Without the setting an agent runs on the system clock.
 *
 * <p>Setting format: {@code start=2026-11-01T12:00:00Z;at=2026-11-26T00:10:00Z;rate=600}
 * ({@code at} defaults to {@code start}, {@code rate} to 1). Immutable and thread-safe.
 */
public final class SimulationClock extends Clock {
  public static final String ENV = "TMS_CLOCK";

  private final Instant start;
  private final Instant at;
  private final double rate;
  private final Clock real;

  public SimulationClock(Instant start, Instant at, double rate, Clock real) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(ENV + " rate must be > 0 (was " + rate + ")");
    }
    this.start = start;
    this.at = at;
    this.rate = rate;
    this.real = real;
  }

  /** The agent's clock for a {@code TMS_CLOCK} value: the system clock when it is blank. */
  public static Clock fromSetting(String setting) {
    if (setting == null || setting.isBlank()) {
      return Clock.systemUTC();
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : setting.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(ENV + " must be start=INSTANT;at=INSTANT;rate=N (was " + setting + ")");
      }
      String key = part.substring(0, eq).strip();
      if (!key.equals("start") && !key.equals("at") && !key.equals("rate")) {
        throw new IllegalArgumentException(ENV + " has an unknown part " + key + " (known: start, at, rate)");
      }
      parts.put(key, part.substring(eq + 1).strip());
    }
    if (!parts.containsKey("start")) {
      throw new IllegalArgumentException(ENV + " needs start=INSTANT (was " + setting + ")");
    }
    Instant start = instant("start", parts.get("start"));
    Instant at = parts.containsKey("at") ? instant("at", parts.get("at")) : start;
    double rate;
    try {
      rate = parts.containsKey("rate") ? Double.parseDouble(parts.get("rate")) : 1;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ENV + " rate must be a number (was " + parts.get("rate") + ")");
    }
    return new SimulationClock(start, at, rate, Clock.systemUTC());
  }

  /**
   * The clock certificates must follow: real time, since TLS peers check validity by it. For a
   * simulation clock its real clock, for any other clock the clock itself (tests that move time
   * move the certificates' time too).
   */
  public static Clock certificateClock(Clock clock) {
    return clock instanceof SimulationClock s ? s.real : clock;
  }

  /** The setting that makes {@link #fromSetting} rebuild this clock. */
  public String setting() {
    return "start=" + start + ";at=" + at + ";rate=" + rate;
  }

  private static Instant instant(String key, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(ENV + " " + key + " must be an instant like 2026-11-01T12:00:00Z (was " + text + ")");
    }
  }

  public double rate() {
    return rate;
  }

  /** The simulated instant of a real one. */
  public Instant simulated(Instant realInstant) {
    long realNanos = java.time.Duration.between(at, realInstant).toNanos();
    return start.plusNanos((long) (realNanos * rate));
  }

  @Override
  public Instant instant() {
    return simulated(real.instant());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (ZoneOffset.UTC.equals(zone)) {
      return this;
    }
    throw new UnsupportedOperationException("a simulation clock runs in UTC");
  }

  @Override
  public String toString() {
    return "SimulationClock[" + setting() + "]";
  }
}
