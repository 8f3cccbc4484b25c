package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.tms.protocol.v1.Lane;
import java.util.List;

/**
 * A batch of consecutive outbox events of one lane: {@code events[0].seq == fromSeq}, and
 * {@code prevHash} is the hash of event {@code fromSeq - 1} ({@link io.tms.protocol.v1.EventHash#GENESIS}
 * for the first).
 *
 * <p>{@code droppedThroughSeq} (optional, telemetry lane only, added compatibly in v1): the site
 * dropped its events up to and including this seq on purpose (telemetry byte budget, DESIGN §3);
 * it is then {@code fromSeq - 1}, and the cloud continues the chain from {@code prevHash} instead
 * of refusing the gap, counting the dropped events. The business lane refuses it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UplinkBatchV1(
    String siteCode, Lane lane, long fromSeq, String prevHash, List<EdgeEventV1> events, Long droppedThroughSeq) {

  /** A batch without a dropped range (every business batch). */
  public UplinkBatchV1(String siteCode, Lane lane, long fromSeq, String prevHash, List<EdgeEventV1> events) {
    this(siteCode, lane, fromSeq, prevHash, events, null);
  }
}
