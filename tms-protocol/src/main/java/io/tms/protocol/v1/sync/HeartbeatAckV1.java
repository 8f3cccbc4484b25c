package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * The cloud's answer to a heartbeat: its clock, the feed head (so an idle site knows whether it is
 * behind), and the site's place in the drain queue when many sites reconnect at once
 * ({@code drainPlace} 0 = may drain now; {@code drainEtaSeconds} an estimate).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeartbeatAckV1(Instant serverTime, long feedRev, int drainPlace, long drainEtaSeconds) {}
