/**
 * The sync contract between an edge agent and the cloud (DESIGN §3), version 1.
 *
 * <ul>
 *   <li><b>Downlink</b> — {@code GET /edge/v1/sites/{site}/changes?after=REV&waitMs=N} answers a
 *       {@link io.tms.protocol.v1.sync.ChangesV1}: the master-data changes after {@code REV} for
 *       that site, in commit order (a long poll: it waits up to {@code waitMs} when there are none).
 *       When the site is new or too far behind, the answer is a snapshot ({@code snapshot=true}):
 *       every record the site should hold, as upserts, at {@code rev}.
 *   <li><b>Uplink</b> — {@code POST /edge/v1/sites/{site}/events} with a gzip-encoded
 *       {@link io.tms.protocol.v1.sync.UplinkBatchV1} answers an
 *       {@link io.tms.protocol.v1.sync.UplinkAckV1}. A batch starting past the cursor + 1 is
 *       refused (409, problem field {@code expectedFromSeq}); a broken hash chain is refused (422)
 *       and flagged on the site; events at or below the cursor are acknowledged and skipped.
 *   <li><b>Heartbeat</b> — {@code POST /edge/v1/sites/{site}/heartbeat} with a
 *       {@link io.tms.protocol.v1.sync.HeartbeatV1} answers a
 *       {@link io.tms.protocol.v1.sync.HeartbeatAckV1}.
 * </ul>
 */
package io.tms.protocol.v1.sync;
