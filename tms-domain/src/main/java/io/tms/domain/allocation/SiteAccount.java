package io.tms.domain.allocation;

import java.util.Objects;

/**
 * One site's account in an allocation's escrow as the cloud knows it: four running totals that
 * only grow (DESIGN §4).
 *
 * <ul>
 *   <li>{@code granted} — every gallon the cloud has ever granted the site;
 *   <li>{@code releaseRequested} — the level the cloud has asked the site's released total to reach;
 *   <li>{@code released} — every gallon the site has given back, as the site reported it;
 *   <li>{@code consumed} — every gallon the site has loaded, as the site reported it.
 * </ul>
 *
 * <p>Consumption happens inside the site's reserve, so what the cloud is bound to is
 * {@link #committed()} = {@code granted − released}: a gallon stays counted from its grant until the
 * site either loads it (then it is consumed, still inside the grant) or gives it back. The cloud's
 * view of consumption and releases lags the site's; it never leads it, so the cloud can only
 * over-count what a site holds, never under-count it.
 */
public record SiteAccount(String siteCode, long granted, long releaseRequested, long released, long consumed) {

  public SiteAccount {
    Objects.requireNonNull(siteCode, "siteCode");
    if (granted < 0 || releaseRequested < 0 || released < 0 || consumed < 0) {
      throw new IllegalArgumentException("reserve totals of site " + siteCode + " must be >= 0");
    }
  }

  public static SiteAccount empty(String siteCode) {
    return new SiteAccount(siteCode, 0, 0, 0, 0);
  }

  /**
   * What this site takes out of the allocation: {@code granted − released}, or what it reported
   * consumed if that is more (a site that spent beyond its grant — an anomaly, see {@link #overspent()}
   * — still counts everything it lifted).
   */
  public long committed() {
    return Math.max(granted - released, consumed);
  }

  /** Unused reserve as last reported; the site may have loaded some of it since. */
  public long unused() {
    return Math.max(0, granted - released - consumed);
  }

  /** Asked for and not yet given back. */
  public long pendingRelease() {
    return Math.max(0, releaseRequested - released);
  }

  /**
   * What may still come back of the pending ask: no more than the reserve the site had unused when
   * it last reported (what it has loaded since cannot come back at all).
   */
  public long expectedRelease() {
    return Math.min(pendingRelease(), unused());
  }

  /**
   * The reserve the site keeps once it has answered every ask: negative when the cloud asked for
   * more than the site had left (it loaded it first). Plans size top-ups against this figure.
   */
  public long afterAsks() {
    return granted - Math.max(releaseRequested, released) - consumed;
  }

  /** The site reported more released and consumed than it was ever granted. */
  public boolean overspent() {
    return released + consumed > granted;
  }

  SiteAccount withGranted(long value) {
    return new SiteAccount(siteCode, value, releaseRequested, released, consumed);
  }

  SiteAccount withReleaseRequested(long value) {
    return new SiteAccount(siteCode, granted, value, released, consumed);
  }

  SiteAccount withReleased(long value) {
    return new SiteAccount(siteCode, granted, releaseRequested, value, consumed);
  }

  SiteAccount withConsumed(long value) {
    return new SiteAccount(siteCode, granted, releaseRequested, released, value);
  }
}
