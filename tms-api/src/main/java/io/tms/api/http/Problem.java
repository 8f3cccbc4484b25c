package io.tms.api.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An RFC 9457 problem document with the error code, the offending field and, where a client can act
 * on them, extension members (e.g. {@code expectedFromSeq} when an uplink batch starts past the
 * cursor).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String code, String field,
    @JsonAnyGetter Map<String, Object> extensions) {
  public static final String CONTENT_TYPE = "application/problem+json";

  public Problem {
    extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
  }

  public static Problem of(int status, String code, String field, String detail) {
    return of(status, code, field, detail, Map.of());
  }

  public static Problem of(int status, String code, String field, String detail, Map<String, Object> extensions) {
    return new Problem("urn:tms:problem:" + code.toLowerCase().replace('_', '-'), title(status), status, detail, code,
        field, extensions);
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 428 -> "Precondition Required";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }
}
