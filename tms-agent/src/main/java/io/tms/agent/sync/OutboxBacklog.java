package io.tms.agent.sync;

import io.tms.agent.service.SiteQueries;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatV1.LaneBacklog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The outbox backlog per lane as the outbox heads tell it (events after the acknowledged seq and
 * the age of the first of them), for the heartbeat. Telemetry drops are not counted yet (0). The
 * uplink client, which knows more, may replace this supplier.
 */
public final class OutboxBacklog implements Supplier<Map<Lane, LaneBacklog>> {
  private final SiteQueries queries;
  private final Clock clock;

  public OutboxBacklog(SiteQueries queries, Clock clock) {
    this.queries = queries;
    this.clock = clock;
  }

  @Override
  public Map<Lane, LaneBacklog> get() {
    Instant now = clock.instant();
    Map<Lane, LaneBacklog> out = new EnumMap<>(Lane.class);
    queries.outbox().forEach((lane, v) -> {
      long age = 0;
      if (v.depth() > 0 && v.oldestUnsentAt() != null) {
        age = Math.max(0, Duration.between(Instant.parse(v.oldestUnsentAt()), now).toSeconds());
      }
      out.put(lane, new LaneBacklog(v.depth(), age, 0));
    });
    return out;
  }
}
