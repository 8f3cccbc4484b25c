package io.tms.domain.allocation;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cloud's ledger of one allocation (DESIGN §4): its total and every site's {@link SiteAccount}.
 * Immutable: every operation returns the new state.
 *
 * <p><b>Invariant.</b> {@code Σ committed(site) ≤ total}, where {@code committed = granted − released}
 * (see {@link SiteAccount#committed()}). Every gallon granted and not given back is counted whether
 * or not it has been loaded, so sites spending their reserves offline can never lift more than the
 * total between them. Only a grant raises the left side, and {@link #grant} refuses one that would
 * break the inequality. The total itself may be lowered below the left side by an administrator
 * ({@link #withTotal}); the allocation is then {@linkplain #overCommitted() over-committed}: nothing
 * is granted until releases bring it back under, and nothing is ever taken back behind a site's
 * back.
 *
 * <p>Reports from sites land idempotently: releases are running totals ({@link #released}) and a
 * consumption report must be applied once per reference by the caller (the store keeps the
 * references).
 */
public final class Escrow {
  private final String allocationId;
  private final long total;
  private final SortedMap<String, SiteAccount> accounts;
  private final long committed;

  private Escrow(String allocationId, long total, SortedMap<String, SiteAccount> accounts) {
    this.allocationId = Objects.requireNonNull(allocationId, "allocationId");
    if (total < 0) {
      throw new IllegalArgumentException("allocation total must be >= 0 (was " + total + ")");
    }
    this.total = total;
    this.accounts = Collections.unmodifiableSortedMap(accounts);
    long sum = 0;
    for (SiteAccount a : accounts.values()) {
      sum = Math.addExact(sum, a.committed());
    }
    this.committed = sum;
  }

  public static Escrow of(String allocationId, long total, Collection<SiteAccount> accounts) {
    SortedMap<String, SiteAccount> map = new TreeMap<>();
    for (SiteAccount a : accounts) {
      if (map.put(a.siteCode(), a) != null) {
        throw new IllegalArgumentException("two accounts for site " + a.siteCode());
      }
    }
    return new Escrow(allocationId, total, map);
  }

  public String allocationId() {
    return allocationId;
  }

  public long total() {
    return total;
  }

  /** Σ committed over sites: what the allocation is bound to. */
  public long committed() {
    return committed;
  }

  /** Σ consumed over sites, as reported. */
  public long consumed() {
    return accounts.values().stream().mapToLong(SiteAccount::consumed).sum();
  }

  /** Σ pending releases over sites: asked for, not yet given back. */
  public long pendingRelease() {
    return accounts.values().stream().mapToLong(SiteAccount::pendingRelease).sum();
  }

  /** What may still be granted: {@code total − committed}; negative when over-committed. */
  public long headroom() {
    return total - committed;
  }

  /** The total was lowered below what is committed; no grants until releases bring it back. */
  public boolean overCommitted() {
    return committed > total;
  }

  /** The site's account; an empty one if the site never had any. */
  public SiteAccount account(String siteCode) {
    SiteAccount a = accounts.get(siteCode);
    return a != null ? a : SiteAccount.empty(siteCode);
  }

  public List<SiteAccount> accounts() {
    return List.copyOf(accounts.values());
  }

  /** Grants {@code gallons} more to a site; refused if the allocation would be oversold. */
  public Escrow grant(String siteCode, long gallons) {
    if (gallons <= 0) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "grantGallons", "a grant must be > 0 (was " + gallons + ")");
    }
    SiteAccount before = account(siteCode);
    SiteAccount after = before.withGranted(Math.addExact(before.granted(), gallons));
    long newCommitted = committed - before.committed() + after.committed();
    if (newCommitted > total) {
      throw new DomainException(ErrorCode.RULE_VIOLATED, "grantGallons", "granting " + gallons + " gal of allocation "
          + allocationId + " to " + siteCode + " would commit " + newCommitted + " of " + total + " gal");
    }
    return with(after);
  }

  /**
   * Asks a site to give back {@code gallons} more (raises its release request). The ask may not
   * exceed what the site has left once it has answered earlier asks, as far as the cloud knows.
   */
  public Escrow askRelease(String siteCode, long gallons) {
    SiteAccount before = account(siteCode);
    if (gallons <= 0) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "releaseGallons", "an ask must be > 0 (was " + gallons + ")");
    }
    if (gallons > before.afterAsks()) {
      throw new DomainException(ErrorCode.RULE_VIOLATED, "releaseGallons", "site " + siteCode + " has "
          + Math.max(0, before.afterAsks()) + " gal of allocation " + allocationId + " left to ask for, " + gallons
          + " asked");
    }
    return with(before.withReleaseRequested(Math.max(before.releaseRequested(), before.released()) + gallons));
  }

  /** The site reports its released running total; a total at or below the known one changes nothing. */
  public Escrow released(String siteCode, long releasedTotal) {
    if (releasedTotal < 0) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "releasedTotalGallons", "must be >= 0 (was " + releasedTotal + ")");
    }
    SiteAccount before = account(siteCode);
    return releasedTotal <= before.released() ? this : with(before.withReleased(releasedTotal));
  }

  /** The site reports one consumption (apply once per reference). */
  public Escrow consumed(String siteCode, long gallons) {
    if (gallons < 0) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "consumedGallons", "must be >= 0 (was " + gallons + ")");
    }
    if (gallons == 0) {
      return this;
    }
    SiteAccount before = account(siteCode);
    return with(before.withConsumed(Math.addExact(before.consumed(), gallons)));
  }

  /** An administrator changed the quantity; lowering it never touches what sites hold. */
  public Escrow withTotal(long newTotal) {
    if (newTotal < 0) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "quantityGallons", "must be >= 0 (was " + newTotal + ")");
    }
    return new Escrow(allocationId, newTotal, new TreeMap<>(accounts));
  }

  /** Applies every move of a plan, each checked like a single call. */
  public Escrow apply(ReservePlan plan) {
    Escrow e = this;
    for (ReservePlan.Move m : plan.moves()) {
      if (m.askGallons() > 0) {
        e = e.askRelease(m.siteCode(), m.askGallons());
      }
      if (m.grantGallons() > 0) {
        e = e.grant(m.siteCode(), m.grantGallons());
      }
    }
    return e;
  }

  private Escrow with(SiteAccount a) {
    TreeMap<String, SiteAccount> copy = new TreeMap<>(accounts);
    copy.put(a.siteCode(), a);
    return new Escrow(allocationId, total, copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Escrow e && e.allocationId.equals(allocationId) && e.total == total
        && e.accounts.equals(accounts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allocationId, total, accounts);
  }

  @Override
  public String toString() {
    return "Escrow[" + allocationId + " total=" + total + " committed=" + committed + " " + accounts.values() + "]";
  }
}
