package io.tms.domain.allocation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How much reserve each site should hold, and the moves that get it there (DESIGN §4).
 *
 * <p><b>Target.</b> A participating site should hold enough to load through an outage of
 * {@code horizon} at its recent rate: {@code max(floor, ⌈rate × horizon⌉)}, where the floor is the
 * operator's minimum for the site or else {@code initialGallons} (so a site without history can
 * still load). When the targets together exceed what is left of the allocation
 * ({@code total − consumed}), every target is scaled down by the same factor: a busy site keeps a
 * larger share than an idle one. A site that may not use the allocation, or any site once the
 * allocation is closed, has target 0.
 *
 * <p><b>A round.</b> (1) Sites with target 0 are asked to give back everything they have left.
 * (2) Sites below {@code topUpBelow × target} are topped up to their target, fewest hours of cover
 * first, as far as the headroom goes (never beyond: the escrow refuses it). (3) If some top-up could
 * not be met, or the allocation is over-committed, and the releases already asked for (as far as
 * the asked sites still have the gallons) do not cover that, sites holding more than their target are asked for the surplus, largest first — the
 * rebalancing. Sizes are taken against {@link SiteAccount#afterAsks()}, so a request the site could
 * not answer (it loaded the gallons first) is made good by the next top-up.
 *
 * <p>Pure and deterministic: the same escrow and demands give the same plan, so running a round
 * twice on unchanged state plans nothing the second time.
 */
public record ReservePolicy(Duration horizon, long initialGallons, double topUpBelow) {

  /** 72 h of offline loading, 8,000 gal (about one truckload) to start, top up below 75 %. */
  public static final ReservePolicy DEFAULT = new ReservePolicy(Duration.ofHours(72), 8_000, 0.75);

  public ReservePolicy {
    Objects.requireNonNull(horizon, "horizon");
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("reserve horizon must be > 0 (was " + horizon + ")");
    }
    if (initialGallons < 0) {
      throw new IllegalArgumentException("reserve initial gallons must be >= 0 (was " + initialGallons + ")");
    }
    if (!(topUpBelow > 0 && topUpBelow <= 1)) {
      throw new IllegalArgumentException("reserve top-up threshold must be in (0, 1] (was " + topUpBelow + ")");
    }
  }

  /** The reserve each site should hold; sites with an account but no demand get 0. */
  public Map<String, Long> targets(Escrow escrow, List<SiteDemand> demands, boolean open) {
    Map<String, Long> base = new TreeMap<>();
    for (SiteAccount a : escrow.accounts()) {
      base.put(a.siteCode(), 0L);
    }
    double hours = horizon.toSeconds() / 3600.0;
    long sum = 0;
    for (SiteDemand d : demands) {
      long t = 0;
      if (open && d.participating()) {
        long floor = d.minimumGallons() != null ? d.minimumGallons() : initialGallons;
        t = Math.max(floor, (long) Math.ceil(d.gallonsPerHour() * hours));
      }
      base.put(d.siteCode(), t);
      sum += t;
    }
    long remaining = Math.max(0, escrow.total() - escrow.consumed());
    if (sum > remaining) {
      double f = (double) remaining / sum;
      base.replaceAll((site, t) -> (long) Math.floor(t * f));
    }
    return base;
  }

  /**
   * One round for one allocation.
   *
   * @param open the allocation is active and its period not over
   */
  public ReservePlan plan(Escrow escrow, List<SiteDemand> demands, boolean open) {
    Map<String, Long> target = targets(escrow, demands, open);
    Map<String, Double> rate = new HashMap<>();
    for (SiteDemand d : demands) {
      rate.put(d.siteCode(), d.gallonsPerHour());
    }
    Map<String, long[]> moves = new TreeMap<>(); // site -> {grant, ask}
    long comingBack = escrow.accounts().stream().mapToLong(SiteAccount::expectedRelease).sum();

    // (1) sites that should hold nothing give back what they have
    for (var e : target.entrySet()) {
      long left = escrow.account(e.getKey()).afterAsks();
      if (e.getValue() == 0 && left > 0) {
        moves.computeIfAbsent(e.getKey(), k -> new long[2])[1] += left;
        comingBack += left;
      }
    }

    // (2) top up the sites that run low, fewest hours of cover first
    long headroom = escrow.headroom();
    long unmet = 0;
    List<SiteAccount> low = new ArrayList<>();
    for (var e : target.entrySet()) {
      SiteAccount a = escrow.account(e.getKey());
      if (e.getValue() > 0 && a.afterAsks() < topUpBelow * e.getValue()) {
        low.add(a);
      }
    }
    low.sort(Comparator.comparingDouble((SiteAccount a) -> cover(a, rate.getOrDefault(a.siteCode(), 0.0)))
        .thenComparing(SiteAccount::siteCode));
    for (SiteAccount a : low) {
      long want = target.get(a.siteCode()) - a.afterAsks();
      long give = open ? Math.min(want, Math.max(0, headroom)) : 0;
      if (give > 0) {
        moves.computeIfAbsent(a.siteCode(), k -> new long[2])[0] += give;
        headroom -= give;
      }
      unmet += want - give;
    }

    // (3) rebalance: ask sites above their target for the surplus, largest first
    long need = unmet + Math.max(0, -headroom) - comingBack;
    if (need > 0) {
      List<SiteAccount> rich = new ArrayList<>();
      for (var e : target.entrySet()) {
        SiteAccount a = escrow.account(e.getKey());
        if (e.getValue() > 0 && a.afterAsks() > e.getValue() && !moves.containsKey(a.siteCode())) {
          rich.add(a);
        }
      }
      rich.sort(Comparator.comparingLong((SiteAccount a) -> target.get(a.siteCode()) - a.afterAsks())
          .thenComparing(SiteAccount::siteCode));
      for (SiteAccount a : rich) {
        if (need <= 0) {
          break;
        }
        long ask = Math.min(a.afterAsks() - target.get(a.siteCode()), need);
        moves.computeIfAbsent(a.siteCode(), k -> new long[2])[1] += ask;
        need -= ask;
      }
    }

    List<ReservePlan.Move> out = new ArrayList<>();
    moves.forEach((site, m) -> out.add(new ReservePlan.Move(site, m[0], m[1])));
    return new ReservePlan(out);
  }

  /** Hours the site can load at its rate on what it keeps; infinite when it is idle. */
  private static double cover(SiteAccount a, double gallonsPerHour) {
    return gallonsPerHour > 0 ? a.afterAsks() / gallonsPerHour : Double.POSITIVE_INFINITY;
  }
}
