package io.tms.api.reserve;

import io.tms.api.feed.ChangeLog;
import io.tms.api.reserve.ParticipatingSites.SiteSetting;
import io.tms.api.reserve.ReserveStore.AllocationRow;
import io.tms.domain.allocation.Escrow;
import io.tms.domain.allocation.ReservePlan;
import io.tms.domain.allocation.ReservePolicy;
import io.tms.domain.allocation.SiteAccount;
import io.tms.domain.allocation.SiteDemand;
import io.tms.protocol.v1.sync.ReserveV1;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reserve round for one allocation, in the caller's transaction: lock the allocation, read the
 * ledger as it is, let {@link ReservePolicy} plan, check every move against the escrow invariant,
 * write the new totals and append a {@link ReserveV1} per changed site to the change feed — all in
 * one commit, so a grant exists on the feed exactly when it exists in the ledger. Thread-safe.
 */
public final class ReserveRebalancer {
  private static final Logger log = LoggerFactory.getLogger(ReserveRebalancer.class);

  private final ReserveStore store;
  private final ParticipatingSites participating;
  private final ChangeLog changeLog;
  private final ReservePolicy policy;
  private final Duration rateWindow;
  private final Clock clock;

  public ReserveRebalancer(
      ReserveStore store, ParticipatingSites participating, ChangeLog changeLog, ReservePolicy policy,
      Duration rateWindow, Clock clock) {
    this.store = store;
    this.participating = participating;
    this.changeLog = changeLog;
    this.policy = policy;
    this.rateWindow = rateWindow;
    this.clock = clock;
  }

  /** What a round knows about an allocation. */
  private record State(AllocationRow allocation, Escrow escrow, List<SiteSetting> settings, List<SiteDemand> demands,
      boolean open) {}

  /**
   * Runs a round for the allocation. Empty when it does not exist or, with {@code skipLocked}, when
   * another transaction (a round in another replica) holds it.
   */
  public Optional<ReservePlan> rebalance(Handle h, String allocationId, boolean skipLocked) {
    Optional<AllocationRow> row = store.lock(h, allocationId, skipLocked);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    State s = state(h, row.get(), true);
    ReservePlan plan = policy.plan(s.escrow(), s.demands(), s.open());
    if (plan.isEmpty()) {
      return Optional.of(plan);
    }
    Escrow after = s.escrow().apply(plan); // refuses any move that would oversell
    for (ReservePlan.Move m : plan.moves()) {
      store.saveDecision(h, allocationId, after.account(m.siteCode()));
    }
    for (ReservePlan.Move m : plan.moves()) {
      SiteAccount a = after.account(m.siteCode());
      changeLog.append(h, m.siteCode(), new ReserveV1(m.siteCode(), allocationId, a.granted(), a.releaseRequested()));
    }
    log.info("allocation={} reserve round: granted {} gal, asked back {} gal, committed {} of {} gal", allocationId,
        plan.granted(), plan.asked(), after.committed(), after.total());
    return Optional.of(plan);
  }

  /** The operator's view of an allocation's escrow, or empty if the allocation does not exist. */
  public Optional<ReserveView> view(Handle h, String allocationId) {
    return store.find(h, allocationId).map(a -> view(h, state(h, a, false)));
  }

  private ReserveView view(Handle h, State s) {
    Map<String, Long> targets = policy.targets(s.escrow(), s.demands(), s.open());
    Map<String, SiteSetting> settings = new TreeMap<>();
    s.settings().forEach(x -> settings.put(x.siteCode(), x));
    Map<String, Double> rates = new TreeMap<>();
    s.demands().forEach(d -> rates.put(d.siteCode(), d.gallonsPerHour()));
    TreeMap<String, SiteAccount> accounts = new TreeMap<>();
    s.escrow().accounts().forEach(a -> accounts.put(a.siteCode(), a));
    settings.keySet().forEach(site -> accounts.computeIfAbsent(site, SiteAccount::empty));
    List<ReserveView.Site> sites = new ArrayList<>();
    for (SiteAccount a : accounts.values()) {
      SiteSetting set = settings.get(a.siteCode());
      sites.add(new ReserveView.Site(a.siteCode(), set != null && set.participating(),
          set == null ? null : set.minimumGallons(), targets.getOrDefault(a.siteCode(), 0L),
          rates.getOrDefault(a.siteCode(), 0.0), a.granted(), a.releaseRequested(), a.released(), a.consumed(),
          a.unused(), a.pendingRelease(), a.overspent()));
    }
    AllocationRow r = s.allocation();
    Escrow e = s.escrow();
    return new ReserveView(r.id(), r.customerId(), r.productCode(), r.quantityGallons(), s.open(), e.committed(),
        e.consumed(), e.pendingRelease(), e.headroom(), e.overCommitted(), sites);
  }

  private State state(Handle h, AllocationRow a, boolean lock) {
    Escrow escrow = Escrow.of(a.id(), a.quantityGallons(), store.accounts(h, a.id(), lock));
    List<SiteSetting> settings = participating.sites(h, a.id());
    Instant now = clock.instant();
    Map<String, Double> recent = store.consumedSince(h, a.id(), now.minus(rateWindow));
    double hours = rateWindow.toSeconds() / 3600.0;
    List<SiteDemand> demands = new ArrayList<>();
    for (SiteSetting s : settings) {
      demands.add(new SiteDemand(s.siteCode(), recent.getOrDefault(s.siteCode(), 0.0) / hours, s.minimumGallons(),
          s.participating()));
    }
    boolean open = a.open(LocalDate.ofInstant(now, ZoneOffset.UTC));
    return new State(a, escrow, settings, demands, open);
  }
}
