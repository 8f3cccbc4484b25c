package io.tms.domain.allocation;

/**
 * The site's side of a release request (DESIGN §4). The cloud's {@code releaseRequestedGallons} is
 * the level the site's released total should reach; whenever it is above, the site gives back what
 * it can spare — unused reserve, never what a load in progress holds — and keeps trying as loads
 * settle, until its released total reaches the request. What it has already loaded it cannot give
 * back; the cloud sees that in the consumption reports and sizes its next grant accordingly.
 */
public final class ReleaseRule {
  private ReleaseRule() {}

  /**
   * Gallons to release now.
   *
   * @param releaseRequestedTotal the cloud's running request
   * @param releasedTotal everything this site has released so far
   * @param available the site's unused, unheld reserve
   */
  public static long toRelease(long releaseRequestedTotal, long releasedTotal, long available) {
    return Math.max(0, Math.min(releaseRequestedTotal - releasedTotal, available));
  }
}
