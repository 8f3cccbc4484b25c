package io.tms.api.admin;

import io.javalin.http.Context;
import io.tms.api.http.ApiException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Optimistic concurrency for the admin API: the ETag of a record is its row version as a strong
 * entity tag ({@code "7"}); a write must say which version it replaces with {@code If-Match}
 * (428 without it, 412 when the row has moved on since).
 */
final class Preconditions {
  private Preconditions() {}

  static String etag(long version) {
    return "\"" + version + "\"";
  }

  /** The entity tags of {@code If-Match}; 428 when the header is missing. */
  static List<String> ifMatch(Context ctx) {
    String header = ctx.header("If-Match");
    if (header == null || header.isBlank()) {
      throw new ApiException(428, "PRECONDITION_REQUIRED", "If-Match",
          "this write needs If-Match with the ETag of the version it replaces (GET it first)");
    }
    return Arrays.stream(header.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** 412 unless one tag is the current version's (strong comparison) or {@code *}. */
  static void check(List<String> tags, long currentVersion) {
    String current = etag(currentVersion);
    if (!tags.contains("*") && !tags.contains(current)) {
      throw new ApiException(412, "PRECONDITION_FAILED", "If-Match",
          "the record changed since you read it; it is now at version " + currentVersion,
          Map.of("currentVersion", currentVersion), Map.of("ETag", current));
    }
  }
}
