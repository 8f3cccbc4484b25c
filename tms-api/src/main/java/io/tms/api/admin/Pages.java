package io.tms.api.admin;

import io.javalin.http.Context;
import io.tms.api.http.CloudHttp;
import io.tms.api.store.MasterTable;
import io.tms.api.store.Versioned;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Keyset pagination: {@code ?limit=N&after=CURSOR}, items in key order, {@code next} the cursor of
 * the last item when more follow (null at the end). A cursor is the key, its parts joined by '/'
 * (ids never contain one). Rows written while a client pages appear at most once.
 */
final class Pages {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private Pages() {}

  /** The answer body of a list: {@code {"items": [...], "next": "..."}}. */
  record Page(List<Object> items, String next) {}

  static int limit(Context ctx) {
    long limit = CloudHttp.longParam(ctx, "limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Fields.invalid("limit", "limit must be 1-" + MAX_LIMIT + " (was " + limit + ")");
    }
    return (int) limit;
  }

  static List<String> after(Context ctx, int keySize) {
    String after = ctx.queryParam("after");
    if (after == null) {
      return null;
    }
    List<String> parts = Arrays.asList(after.split("/", -1));
    if (parts.size() != keySize || parts.stream().anyMatch(String::isEmpty)) {
      throw Fields.invalid("after", "after must be the next cursor of a previous page");
    }
    return parts;
  }

  static <R> Page read(
      Handle h, Context ctx, MasterTable<R> table, String scope, Function<R, List<String>> key,
      Function<Versioned<R>, Object> view) {
    int limit = limit(ctx);
    List<Versioned<R>> rows = table.page(h, scope, after(ctx, table.keySize()), limit + 1);
    String next = null;
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
      next = String.join("/", key.apply(rows.getLast().record()));
    }
    return new Page(rows.stream().map(view).toList(), next);
  }
}
