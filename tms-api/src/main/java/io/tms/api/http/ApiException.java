package io.tms.api.http;

import java.util.Map;

/**
 * A request the cloud refuses with a specific status and problem: thrown by handlers, answered as
 * {@code application/problem+json} by {@link CloudHttp}. Use {@link io.tms.domain.DomainException}
 * for rule violations that map to the usual statuses.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;
  private final Map<String, Object> extensions;
  private final Map<String, String> headers;

  public ApiException(int status, String code, String field, String detail) {
    this(status, code, field, detail, Map.of(), Map.of());
  }

  public ApiException(
      int status, String code, String field, String detail, Map<String, Object> extensions,
      Map<String, String> headers) {
    super(detail);
    this.status = status;
    this.code = code;
    this.field = field;
    this.extensions = Map.copyOf(extensions);
    this.headers = Map.copyOf(headers);
  }

  public Problem problem() {
    return Problem.of(status, code, field, getMessage(), extensions);
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
