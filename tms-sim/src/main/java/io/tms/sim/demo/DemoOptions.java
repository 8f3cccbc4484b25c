package io.tms.sim.demo;

import io.tms.agent.seed.SeedProfile;
import io.tms.domain.masterdata.Site;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a demo run plays, validated up front with messages that name the option.
 *
 * @param duration real (wall-clock) time the run lasts
 * @param speed how many simulated seconds pass per real second (the agents' clock and the trucks)
 * @param outages links cut on the simulated timeline; empty plays none
 * @param dataDir where the cloud's cluster and each site's SQLite file live
 */
public record DemoOptions(
    List<FleetSeed.SiteSpec> sites, Duration duration, double speed, List<Outage> outages, boolean ui,
    boolean chaos, Path dataDir, long randomSeed) {

  /** The site codes given to sites listed by size only ({@code --sites 3}, {@code --sites small,large}). */
  static final List<String> CODES = List.of("AUS1", "HOU2", "BTR3", "DAL4", "SAT5", "CRP6", "LCH7", "MOB8", "ELP9");

  private static final List<SeedProfile> SIZES = List.of(SeedProfile.SMALL, SeedProfile.LARGE, SeedProfile.STRESS);

  /** A link cut: {@code site}'s link to the cloud is down from {@code start} for {@code length}, in simulated time. */
  public record Outage(String site, Duration start, Duration length) {
    public Duration end() {
      return start.plus(length);
    }
  }

  public DemoOptions {
    sites = List.copyOf(sites);
    outages = List.copyOf(outages);
    Objects.requireNonNull(dataDir, "dataDir");
    if (sites.isEmpty()) {
      throw new IllegalArgumentException("--sites needs at least one site");
    }
    Set<String> codes = new HashSet<>();
    for (var s : sites) {
      if (!codes.add(s.code())) {
        throw new IllegalArgumentException("--sites names " + s.code() + " twice");
      }
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be > 0 (was " + duration + ")");
    }
    if (!(speed >= 1 && speed <= 100_000)) {
      throw new IllegalArgumentException("--speed must be 1-100000 (was " + speed + ")");
    }
    for (Outage o : outages) {
      if (!codes.contains(o.site())) {
        throw new IllegalArgumentException("--outage names site " + o.site() + ", which is not one of " + codes);
      }
    }
  }

  /** The simulated time the run covers. */
  public Duration simulatedDuration() {
    return Duration.ofMillis((long) (duration.toMillis() * speed));
  }

  /**
   * {@code --sites}: a count (sizes small, large, stress, repeating), or a comma-separated list of
   * sizes or {@code CODE:size} ({@code AUS1:small,HOU2:large}).
   */
  public static List<FleetSeed.SiteSpec> parseSites(String text) {
    String t = text == null ? "" : text.strip();
    List<FleetSeed.SiteSpec> out = new ArrayList<>();
    if (t.matches("\\d+")) {
      int n = Integer.parseInt(t);
      if (n < 1 || n > CODES.size()) {
        throw new IllegalArgumentException("--sites must be 1-" + CODES.size() + " (was " + t + ")");
      }
      for (int i = 0; i < n; i++) {
        out.add(new FleetSeed.SiteSpec(CODES.get(i), SIZES.get(i % SIZES.size())));
      }
      return out;
    }
    String[] parts = t.split(",");
    if (parts.length > CODES.size()) {
      throw new IllegalArgumentException("--sites lists at most " + CODES.size() + " sites (was " + parts.length + ")");
    }
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].strip();
      int colon = p.indexOf(':');
      String code = colon < 0 ? CODES.get(i) : p.substring(0, colon).strip();
      String size = colon < 0 ? p : p.substring(colon + 1).strip();
      if (!Site.isValidCode(code)) {
        throw new IllegalArgumentException("--sites: " + code + " is not a site code (2-10 upper-case letters or digits)");
      }
      SeedProfile profile;
      try {
        profile = SeedProfile.parse(size);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--sites: " + e.getMessage());
      }
      out.add(new FleetSeed.SiteSpec(code, profile));
    }
    return out;
  }

  private static final Pattern OUTAGE = Pattern.compile("([A-Z][A-Z0-9]{1,9}):([^:]+):([^:]+)");

  /** {@code --outage SITE:START:LENGTH} in simulated time, e.g. {@code HOU2:6h:24h}. */
  public static Outage parseOutage(String text) {
    Matcher m = OUTAGE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("--outage must be SITE:START:LENGTH, e.g. HOU2:6h:24h (was " + text + ")");
    }
    Duration start = duration("--outage START", m.group(2));
    Duration length = duration("--outage LENGTH", m.group(3));
    if (length.isZero()) {
      throw new IllegalArgumentException("--outage LENGTH must be > 0 (was " + m.group(3) + ")");
    }
    return new Outage(m.group(1), start, length);
  }

  /**
   * The outage played when none is given: the second site (the first if there is one) loses its
   * link from 15 % to 55 % of the simulated run, so it loads offline for a while and drains after.
   */
  public static Outage defaultOutage(List<FleetSeed.SiteSpec> sites, Duration simulated) {
    String site = sites.get(Math.min(1, sites.size() - 1)).code();
    return new Outage(site, round(simulated.multipliedBy(15).dividedBy(100)), round(simulated.multipliedBy(40).dividedBy(100)));
  }

  private static Duration round(Duration d) {
    return Duration.ofSeconds(d.toSeconds());
  }

  /** A duration as {@code 90s}, {@code 10m}, {@code 24h}, {@code 3d} or {@code 500ms}. */
  public static Duration duration(String name, String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(name + " must be a duration like 90s, 10m, 24h or 3d (was " + text + ")");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Simulated trucks in circulation at a site of this size: enough for its peak hour (DESIGN §10). */
  public static int terminals(SeedProfile profile) {
    return switch (profile) {
      case SMALL -> 3;
      case LARGE -> 8;
      case STRESS -> 14;
      case DEMO -> 6;
    };
  }
}
