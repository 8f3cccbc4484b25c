package io.tms.domain.loading;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;

/**
 * The bay's safety interlocks reported by the bay controller: the truck is grounded (static) and the
 * overfill-protection sensors are connected and dry. Flow may not start unless both are OK.
 */
public record Permissives(boolean groundOk, boolean overfillOk) {
  public void requireOk() {
    if (!groundOk) {
      throw new DomainException(ErrorCode.RULE_VIOLATED, "permissives.groundOk", "ground permissive is not OK");
    }
    if (!overfillOk) {
      throw new DomainException(ErrorCode.RULE_VIOLATED, "permissives.overfillOk", "overfill permissive is not OK");
    }
  }
}
