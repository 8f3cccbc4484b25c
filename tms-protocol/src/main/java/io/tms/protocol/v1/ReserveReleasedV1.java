package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * The site gives back unused reserve of an allocation (DESIGN §4). {@code releasedGallons} is this
 * release; {@code releasedTotalGallons} is everything the site has released of the allocation so
 * far, including this one, so the cloud can land it idempotently.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReserveReleasedV1(
    String siteCode, String allocationId, long releasedGallons, long releasedTotalGallons, Instant releasedAt) {}
