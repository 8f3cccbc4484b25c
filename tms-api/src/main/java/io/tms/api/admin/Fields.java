package io.tms.api.admin;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.util.regex.Pattern;

/** Checks of single request fields; each failure is a 400 naming the field (never echoing secrets). */
final class Fields {
  /** Ids and codes: they appear in URLs and in the feed's composite keys, so no '/' and no spaces. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final int MAX_NAME = 200;

  private Fields() {}

  static DomainException invalid(String field, String message) {
    return new DomainException(ErrorCode.INVALID_INPUT, field, message);
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw invalid(field, field + " is required");
    }
    return value;
  }

  static String id(String field, String value) {
    required(field, value);
    if (!ID.matcher(value).matches()) {
      throw invalid(field, field + " must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return value;
  }

  static String name(String field, String value) {
    required(field, value);
    if (value.isBlank() || value.length() > MAX_NAME) {
      throw invalid(field, field + " must be 1-" + MAX_NAME + " characters and not blank");
    }
    return value;
  }

  /**
   * The key of a PUT comes from the path; the body may repeat it (a GET answer sent back) but not
   * differ. On create ({@code pathKey == null}) the body's key is used.
   */
  static String key(String field, String bodyKey, String pathKey) {
    if (pathKey == null) {
      return bodyKey;
    }
    if (bodyKey != null && !bodyKey.equals(pathKey)) {
      throw invalid(field, field + " cannot be changed (path says " + pathKey + ")");
    }
    return pathKey;
  }

  /** {@code active} is optional: new records are active, a replacement keeps the current state. */
  static boolean active(Boolean body, Boolean current) {
    return body != null ? body : current == null || current;
  }

  static double positive(String field, Double value) {
    required(field, value);
    if (!(value > 0) || value.isInfinite()) {
      throw invalid(field, field + " must be a finite number > 0");
    }
    return value;
  }
}
