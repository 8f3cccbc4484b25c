package io.tms.api.reserve;

import java.util.List;

/**
 * An allocation's escrow as an operator sees it ({@code GET /v1/allocations/{id}/reserves}).
 * {@code committedGallons} is Σ(granted − released): the left side of the invariant
 * {@code committed ≤ quantity}; {@code headroomGallons} is what may still be granted (negative when
 * the quantity was lowered below what is committed: {@code overCommitted}).
 */
public record ReserveView(
    String allocationId,
    String customerId,
    String productCode,
    long quantityGallons,
    boolean open,
    long committedGallons,
    long consumedGallons,
    long pendingReleaseGallons,
    long headroomGallons,
    boolean overCommitted,
    List<Site> sites) {

  /**
   * One site: its running totals, what is left of its reserve as last reported, what the policy
   * wants it to hold and why (its recent rate, the operator's minimum).
   */
  public record Site(
      String siteCode,
      boolean participating,
      Long minimumGallons,
      long targetGallons,
      double gallonsPerHour,
      long grantedGallons,
      long releaseRequestedGallons,
      long releasedGallons,
      long consumedGallons,
      long reserveGallons,
      long pendingReleaseGallons,
      boolean overspent) {}
}
