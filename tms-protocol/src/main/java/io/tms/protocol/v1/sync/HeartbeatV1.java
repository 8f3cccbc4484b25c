package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tms.protocol.v1.Lane;
import java.time.Instant;
import java.util.Map;

/**
 * An agent's reported state (DESIGN §6), sent every few seconds while the link is up.
 * {@code sentAt} is the agent's clock, from which the cloud computes the clock skew.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeartbeatV1(
    String siteCode,
    String version,
    String configVersion,
    Instant startedAt,
    long uptimeSeconds,
    Map<Lane, LaneBacklog> outbox,
    Instant lastSyncAt,
    long rev,
    long diskFreeBytes,
    long heapUsedBytes,
    long rssBytes,
    Instant certificateExpires,
    Instant sentAt) {

  /**
   * One lane's backlog: events not yet acknowledged by the cloud, the age of the oldest of them,
   * and (telemetry only) samples dropped for the byte budget since the site started.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LaneBacklog(long depth, long oldestAgeSeconds, long dropped) {}
}
