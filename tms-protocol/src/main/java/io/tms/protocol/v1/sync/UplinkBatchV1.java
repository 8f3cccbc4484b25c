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
 *
 * <p>{@code afterBusinessSeq} (optional, telemetry lane only, added compatibly in v1): the site sent
 * this batch before its business batches up to this seq were acknowledged; the cloud applies it only
 * once it holds the site's business lane that far (business first, DESIGN §3), else answers 429 and
 * the site sends it again. A cloud that predates the field would ignore it, so a site sends such a
 * batch only after the cloud's answers listed the field in their {@code Uplink-Features} header.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UplinkBatchV1(
    String siteCode, Lane lane, long fromSeq, String prevHash, List<EdgeEventV1> events, Long droppedThroughSeq,
    Long afterBusinessSeq) {

  /** A batch without a dropped range (every business batch). */
  public UplinkBatchV1(String siteCode, Lane lane, long fromSeq, String prevHash, List<EdgeEventV1> events) {
    this(siteCode, lane, fromSeq, prevHash, events, null, null);
  }

  /** A batch sent after business is acknowledged (every batch but a telemetry lane's first, sent ahead). */
  public UplinkBatchV1(String siteCode, Lane lane, long fromSeq, String prevHash, List<EdgeEventV1> events,
      Long droppedThroughSeq) {
    this(siteCode, lane, fromSeq, prevHash, events, droppedThroughSeq, null);
  }
}
