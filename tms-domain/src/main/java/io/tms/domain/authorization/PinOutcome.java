package io.tms.domain.authorization;

/** Whether an authorization checked the PIN and what it found; drives the card lockout. */
public enum PinOutcome {
  NOT_CHECKED,
  MATCHED,
  MISMATCHED
}
