package io.tms.agent.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem document, with the domain error code and the offending field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String field) {
  public static final String CONTENT_TYPE = "application/problem+json";

  public static Problem of(int status, String code, String field, String detail) {
    return new Problem("urn:tms:problem:" + code.toLowerCase().replace('_', '-'), title(status), status, detail, code, field);
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }
}
