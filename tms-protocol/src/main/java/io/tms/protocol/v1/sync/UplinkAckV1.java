package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tms.protocol.v1.Lane;

/**
 * The cloud's answer to a batch: {@code cursor} is the highest seq of the lane it holds, after this
 * batch; {@code applied} events were new, {@code skipped} were already there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UplinkAckV1(Lane lane, long cursor, int applied, int skipped) {
  /**
   * The header on every answer to a batch (and on its 413) naming the largest batch, in inflated
   * bytes, the cloud takes: agents cut their batches to fit (docs/sync-protocol.md#too-large).
   */
  public static final String MAX_BATCH_HEADER = "Uplink-Max-Batch-Bytes";
}
