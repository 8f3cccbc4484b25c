package io.tms.domain.allocation;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.util.Objects;

/**
 * A site's slice of one allocation, in whole gross gallons. {@code held} is promised to loads in
 * progress (their presets); {@code consumed} has left the terminal. Invariant:
 * {@code consumed + held <= granted}, so what this site spends never exceeds what it was granted.
 * Immutable: every operation returns the new state.
 */
public record Reserve(String allocationId, long granted, long consumed, long held) {

  public Reserve {
    Objects.requireNonNull(allocationId, "allocationId");
    if (granted < 0 || consumed < 0 || held < 0) {
      throw new IllegalArgumentException("reserve quantities must be >= 0");
    }
    if (consumed + held > granted) {
      throw new IllegalStateException(
          "reserve " + allocationId + " overspent: consumed " + consumed + " + held " + held + " > granted " + granted);
    }
  }

  public long available() {
    return granted - consumed - held;
  }

  /** Holds a preset for a load that is starting; refuses if the reserve cannot cover it. */
  public Reserve hold(long gallons) {
    if (gallons <= 0) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "hold must be > 0 (was " + gallons + ")");
    }
    if (gallons > available()) {
      throw new DomainException(
          ErrorCode.RULE_VIOLATED,
          "reserve of allocation " + allocationId + " has " + available() + " gal left, " + gallons + " asked");
    }
    return new Reserve(allocationId, granted, consumed, held + gallons);
  }

  /**
   * Settles a completed load: releases its hold and consumes what was actually metered, which the
   * preset controller keeps at or below the hold.
   */
  public Reserve settle(long heldForLoad, long consumedByLoad) {
    if (heldForLoad > held || consumedByLoad < 0 || consumedByLoad > heldForLoad) {
      throw new DomainException(
          ErrorCode.RULE_VIOLATED,
          "cannot settle " + consumedByLoad + " gal against a hold of " + heldForLoad + " (reserve holds " + held + ")");
    }
    return new Reserve(allocationId, granted, consumed + consumedByLoad, held - heldForLoad);
  }

  /**
   * Gives unused reserve back to the allocation (the cloud asked for it): lowers {@code granted} by
   * {@code gallons}, which must not exceed {@link #available()} — held and consumed gallons are
   * never given back.
   */
  public Reserve giveBack(long gallons) {
    if (gallons < 0 || gallons > available()) {
      throw new DomainException(ErrorCode.RULE_VIOLATED,
          "reserve of allocation " + allocationId + " can give back 0-" + available() + " gal, not " + gallons);
    }
    return new Reserve(allocationId, granted - gallons, consumed, held);
  }

  /** Releases a hold without consuming (a load cancelled before flow). */
  public Reserve release(long heldForLoad) {
    return settle(heldForLoad, 0);
  }
}
