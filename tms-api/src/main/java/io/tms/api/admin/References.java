package io.tms.api.admin;

import io.tms.api.http.ApiException;
import org.jdbi.v3.core.Handle;

/** Checks that referenced master data exists; a missing one is a 422 naming the field that refers to it. */
final class References {
  private References() {}

  static ApiException unknown(String field, String message) {
    return new ApiException(422, "UNKNOWN_REFERENCE", field, message);
  }

  /** {@code table} and {@code column} come from code, never from a request. */
  static void exists(Handle h, String table, String column, String value, String field) {
    boolean found = h.createQuery("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE " + column + " = :v)")
        .bind("v", value).mapTo(Boolean.class).one();
    if (!found) {
      throw unknown(field, "no " + table + " " + value);
    }
  }
}
