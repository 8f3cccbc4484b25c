package io.tms.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.http.ApiException;
import io.tms.api.http.CloudHttp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * {@code GET /v1/audit}: the audit log in seq order, filtered by entity, key, actor, site, action
 * and time, paged by {@code after} (the last seq seen) and {@code limit}; {@code GET /v1/audit/verify}:
 * recomputes the chain and names the first broken row. Thread-safe (stateless).
 */
public final class AuditRoutes implements Consumer<RoutesConfig> {
  static final int MAX_LIMIT = 1000;

  private final Jdbi jdbi;
  private final AuditLog log;
  private final ObjectMapper json;

  public AuditRoutes(Jdbi jdbi, AuditLog log, CloudHttp http) {
    this.jdbi = jdbi;
    this.log = log;
    this.json = http.json();
  }

  @Override
  public void accept(RoutesConfig r) {
    r.get("/v1/audit", this::list);
    r.get("/v1/audit/verify", ctx -> {
      AuditLog.Verification v = jdbi.inTransaction(log::verify);
      ctx.json(v);
    });
  }

  private void list(Context ctx) {
    long after = CloudHttp.longParam(ctx, "after", 0);
    long limit = CloudHttp.longParam(ctx, "limit", 100);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ApiException(400, "INVALID_INPUT", "limit", "limit must be 1-" + MAX_LIMIT + " (was " + limit + ")");
    }
    StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE seq > :after");
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("after", after);
    for (String[] f : new String[][] {{"entity", "entity"}, {"key", "entity_key"}, {"actor", "actor"},
        {"site", "site_code"}, {"action", "action"}}) {
      String v = ctx.queryParam(f[0]);
      if (v != null) {
        if (v.length() > 200) {
          throw new ApiException(400, "INVALID_INPUT", f[0], f[0] + " must be at most 200 characters");
        }
        sql.append(" AND ").append(f[1]).append(" = :").append(f[0]);
        binds.put(f[0], v);
      }
    }
    for (String[] f : new String[][] {{"from", ">="}, {"to", "<"}}) {
      Instant t = instant(ctx, f[0]);
      if (t != null) {
        sql.append(" AND at ").append(f[1]).append(" :").append(f[0]);
        binds.put(f[0], OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
      }
    }
    sql.append(" ORDER BY seq LIMIT :limit");
    binds.put("limit", limit + 1);
    List<AuditLog.Entry> rows = jdbi.withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      binds.forEach(q::bind);
      return q.map((rs, c) -> AuditLog.entry(rs)).list();
    });
    boolean more = rows.size() > limit;
    List<ObjectNode> items = new ArrayList<>();
    for (AuditLog.Entry e : more ? rows.subList(0, (int) limit) : rows) {
      items.add(view(e));
    }
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("items", items);
    page.put("next", more ? Long.toString(rows.get((int) limit - 1).seq()) : null);
    ctx.json(page);
  }

  private ObjectNode view(AuditLog.Entry e) {
    ObjectNode n = json.createObjectNode();
    n.put("seq", e.seq());
    n.put("at", e.at().toString());
    n.put("actor", e.actor());
    n.put("roles", e.roles());
    n.put("remote", e.remote());
    n.put("entity", e.entity());
    n.put("key", e.key());
    n.put("action", e.action());
    n.put("site", e.site());
    n.set("before", tree(e.before()));
    n.set("after", tree(e.after()));
    n.put("prevHash", e.prevHash());
    n.put("hash", e.hash());
    return n;
  }

  private JsonNode tree(String text) {
    if (text == null) {
      return json.nullNode();
    }
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      return json.getNodeFactory().textNode(text);
    }
  }

  private static Instant instant(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "INVALID_INPUT", name, name + " must be an ISO-8601 instant like 2026-01-31T00:00:00Z");
    }
  }
}
