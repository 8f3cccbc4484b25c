package io.tms.api.ingest;

import io.javalin.config.RoutesConfig;
import io.tms.api.http.ApiException;
import io.tms.api.http.CloudHttp;
import io.tms.protocol.v1.AuditRecordedV1;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The sites' audit logs as they synced up ({@code audit.recorded.v1}, landed in {@code edge_audit}):
 * {@code GET /v1/sites/{site}/audit} lists a site's entries in order, and
 * {@code GET /v1/sites/{site}/audit/verify} recomputes the site's hash chain from the first entry.
 */
public final class EdgeAuditRoutes implements Consumer<RoutesConfig> {
  private static final int PAGE = 1000;

  private final Jdbi jdbi;

  public EdgeAuditRoutes(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void accept(RoutesConfig r) {
    r.get("/v1/sites/{site}/audit", ctx -> {
      String site = SiteActivityQueries.site(ctx.pathParam("site"));
      long after = CloudHttp.longParam(ctx, "afterSeq", 0);
      long limit = CloudHttp.longParam(ctx, "limit", 100);
      if (limit < 1 || limit > 500) {
        throw new ApiException(400, "INVALID_INPUT", "limit", "limit must be 1-500 (was " + limit + ")");
      }
      List<AuditRecordedV1> items = jdbi.withHandle(h -> page(h, site, after, (int) limit));
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("items", items);
      answer.put("next", items.size() == limit ? items.getLast().auditSeq() : null);
      ctx.json(answer);
    });
    r.get("/v1/sites/{site}/audit/verify", ctx -> {
      String site = SiteActivityQueries.site(ctx.pathParam("site"));
      ctx.json(jdbi.withHandle(h -> verify(h, site)));
    });
  }

  /** What a verification found: {@code firstBadSeq} is the first entry that breaks the chain (null: intact). */
  public record Verification(String siteCode, boolean intact, long entries, Long firstBadSeq, String lastHash) {}

  /** Walks the site's chain from the first entry: seqs without a gap, each linked to and hashing as stated. */
  public static Verification verify(Handle h, String site) {
    long count = 0;
    long after = 0;
    String prev = AuditRecordedV1.GENESIS;
    while (true) {
      List<AuditRecordedV1> page = page(h, site, after, PAGE);
      if (page.isEmpty()) {
        return new Verification(site, true, count, null, prev);
      }
      for (AuditRecordedV1 e : page) {
        if (e.auditSeq() != after + 1 || !e.prevHash().equals(prev) || !e.verifies()) {
          return new Verification(site, false, count, after + 1, prev);
        }
        count++;
        prev = e.hash();
        after = e.auditSeq();
      }
    }
  }

  private static List<AuditRecordedV1> page(Handle h, String site, long after, int limit) {
    return h.createQuery("SELECT audit_seq, at, terminal_id, operator, action, subject, detail, prev_hash, hash "
            + "FROM edge_audit WHERE site_code = :s AND audit_seq > :after ORDER BY audit_seq LIMIT :limit")
        .bind("s", site).bind("after", after).bind("limit", limit)
        .map((rs, c) -> entry(rs)).list();
  }

  private static AuditRecordedV1 entry(ResultSet rs) throws SQLException {
    return new AuditRecordedV1(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
  }
}
