package io.tms.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tms.api.http.ApiException;
import io.tms.api.store.Versioned;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.util.PSQLException;

/**
 * What every admin resource answers: a record as JSON (the wire record's fields without the hidden
 * ones, plus {@code version}) with its ETag, and the checks on the site in the path.
 */
final class Answers {
  private final ObjectMapper json;

  Answers(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode view(Versioned<?> v, Set<String> hidden) {
    ObjectNode node = json.valueToTree(v.record());
    node.remove("entity");
    hidden.forEach(node::remove);
    node.put("version", v.version());
    return node;
  }

  void record(Context ctx, int status, Versioned<?> v, Set<String> hidden) {
    ctx.status(status).header("ETag", Preconditions.etag(v.version()));
    body(ctx, view(v, hidden));
  }

  void body(Context ctx, Object body) {
    try {
      ctx.contentType("application/json").result(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A write under {@code /v1/sites/{code}}: an unknown site is a bad reference (422). */
  static void siteForWrite(Handle h, String site) {
    if (!siteExists(h, site)) {
      throw References.unknown("siteCode", "no site " + site);
    }
  }

  /** A read under {@code /v1/sites/{code}}: an unknown site is not found (404). */
  static void siteForRead(Handle h, String site) {
    if (!siteExists(h, site)) {
      throw notFound("site " + site);
    }
  }

  static ApiException notFound(String what) {
    return new ApiException(404, "NOT_FOUND", null, "no " + what);
  }

  private static boolean siteExists(Handle h, String site) {
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM site WHERE code = :c)").bind("c", site)
        .mapTo(Boolean.class).one();
  }

  /**
   * Runs a write, turning a unique-key race that the checks before it could not see (two clients
   * taking the same key at once) into a 409. The field is read from the constraint's name
   * ({@code driver_card_number_key} names {@code cardNumber}); a primary key names {@code keyField}.
   */
  static <T> T uniquely(String keyField, Supplier<T> write) {
    try {
      return write.get();
    } catch (UnableToExecuteStatementException e) {
      if (e.getCause() instanceof PSQLException sql && "23505".equals(sql.getSQLState())) {
        String field = fieldOf(sql.getServerErrorMessage() == null ? null : sql.getServerErrorMessage().getConstraint(),
            sql.getServerErrorMessage() == null ? null : sql.getServerErrorMessage().getTable(), keyField);
        throw new ApiException(409, "ALREADY_EXISTS", field, field + " is already taken");
      }
      throw e;
    }
  }

  static String fieldOf(String constraint, String table, String keyField) {
    if (constraint == null || table == null || !constraint.startsWith(table + "_") || !constraint.endsWith("_key")) {
      return keyField;
    }
    String column = constraint.substring(table.length() + 1, constraint.length() - "_key".length());
    StringBuilder field = new StringBuilder();
    boolean upper = false;
    for (char c : column.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        field.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return field.toString();
  }
}
