package io.tms.domain;

/** Why the domain refused a request. Adapters map each code to a protocol status in one table. */
public enum ErrorCode {
  /** The input is malformed or out of range. */
  INVALID_INPUT,
  /** A referenced thing (bay, load, authorization, BOL, tank...) does not exist. */
  NOT_FOUND,
  /** The request conflicts with the current state (bay busy, load already completed...). */
  CONFLICT,
  /** The request is well formed but a business rule forbids it (reserve insufficient, permissive not OK...). */
  RULE_VIOLATED,
  /** An idempotency key was reused with a different request. */
  IDEMPOTENCY_KEY_REUSED,
  /** The site cannot serve yet (e.g. it has no master data). */
  UNAVAILABLE
}
