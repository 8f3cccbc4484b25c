package io.tms.domain;

import java.util.Objects;

/**
 * A rule of the domain refused something. Carries a stable {@link ErrorCode} that every HTTP surface
 * maps to a status in one place, and optionally the request field it is about.
 */
public class DomainException extends RuntimeException {
  private final ErrorCode code;
  private final String field;

  public DomainException(ErrorCode code, String message) {
    this(code, null, message);
  }

  public DomainException(ErrorCode code, String field, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
    this.field = field;
  }

  public ErrorCode code() {
    return code;
  }

  /** The request field the problem is about, or {@code null}. */
  public String field() {
    return field;
  }
}
