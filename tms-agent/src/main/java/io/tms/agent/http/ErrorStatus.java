package io.tms.agent.http;

import io.tms.domain.ErrorCode;

/** The one table from domain error codes to HTTP statuses. */
final class ErrorStatus {
  private ErrorStatus() {}

  static int of(ErrorCode code) {
    return switch (code) {
      case INVALID_INPUT -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case RULE_VIOLATED, IDEMPOTENCY_KEY_REUSED -> 422;
      case UNAVAILABLE -> 503;
    };
  }
}
