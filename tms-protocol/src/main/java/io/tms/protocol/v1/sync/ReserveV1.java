package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A site's escrowed slice of an allocation (DESIGN §4), as running totals that only grow, so that
 * applying a record twice is harmless:
 *
 * <ul>
 *   <li>{@code grantedGallons} — everything the cloud has ever granted this site of the allocation;
 *   <li>{@code releaseRequestedGallons} — everything the cloud has ever asked the site to give back.
 *       The cloud never takes reserve back by itself: the site answers a request by emitting a
 *       {@code reserve.released.v1} event for what it can spare (unused, not held by a load in
 *       progress), and the cloud counts the reserve as back only when that event arrives.
 * </ul>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReserveV1(String siteCode, String allocationId, long grantedGallons, long releaseRequestedGallons)
    implements MasterRecordV1 {
  @Override
  public String key() {
    return siteCode + "/" + allocationId;
  }
}
