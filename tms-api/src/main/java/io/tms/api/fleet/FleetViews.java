package io.tms.api.fleet;

import java.time.Instant;
import java.util.List;

/** What the fleet view of the admin API answers (rows of the admin API, not wire records of the edge). */
public final class FleetViews {
  private FleetViews() {}

  /** One lane's backlog as last reported; {@code oldestAgeSeconds} is aged to now while the site is silent. */
  public record Backlog(long events, long oldestAgeSeconds, Long dropped) {}

  /**
   * A site in the list. {@code state}: {@code online}, {@code offline} or {@code never-seen}.
   * {@code syncLagSeconds}: age of the oldest event the cloud does not have yet; {@code revBehind}:
   * feed revs the site has not applied.
   */
  public record FleetSite(
      String code, String name, String state, Instant stateSince, Instant lastHeartbeatAt, String version,
      Backlog business, Backlog telemetry, long syncLagSeconds, Instant lastSyncAt, long rev, long revBehind,
      int drainPlace, long drainEtaSeconds, Long clockSkewMs, List<String> flags) {}

  /** A page of the list; {@code next} is the {@code after} of the next page (null: last page). */
  public record FleetPage(List<FleetSite> sites, String next) {}

  /** An online/offline transition (or another site event). */
  public record SiteTransition(Instant at, String kind, String detail) {}

  /** Everything the site reported last, and its transitions, newest first. */
  public record FleetSiteDetail(
      FleetSite site, String configVersion, Instant startedAt, Long uptimeSeconds, Long diskFreeBytes,
      Long heapUsedBytes, Long rssBytes, Instant certificateExpires, Instant sentAt, long heartbeats,
      List<SiteTransition> transitions) {}
}
