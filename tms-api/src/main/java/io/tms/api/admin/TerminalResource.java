package io.tms.api.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.audit.Actor;
import io.tms.api.audit.AuditLog;
import io.tms.api.feed.ChangeLog;
import io.tms.api.http.ApiException;
import io.tms.api.http.CloudHttp;
import io.tms.protocol.v1.sync.TerminalV1;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Terminal credentials of a site (DESIGN §5): each kiosk or bay controller gets its own. Issuing
 * ({@code POST}) or rotating one answers the secret once — 256 random bits — and keeps only its
 * SHA-256, which goes to the site through the change feed; deactivating one goes down the feed the
 * same way, and the site refuses it as soon as that change arrives. Rotation replaces the secret at
 * once: the old one stops working when the site applies the change. Issuing, rotating and
 * deactivating are audited in the same transaction, with the first 16 hex digits of the secret's
 * SHA-256 as its fingerprint, never the secret.
 */
public final class TerminalResource implements java.util.function.Consumer<RoutesConfig> {
  static final String COLLECTION = "/v1/sites/{code}/terminals";
  static final String ITEM = COLLECTION + "/{id}";
  static final Set<String> KINDS = Set.of("KIOSK", "BAY_CONTROLLER", "CONSOLE", "OTHER");

  /**
   * {@code secretSha256} (optional): an import from another system, or a demo data set, sends the
   * hash of a secret the terminal already has; then no secret is made or answered.
   */
  record Body(String id, String name, String kind, String secretSha256) {}

  private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-f]{64}");

  private final Jdbi jdbi;
  private final ChangeLog changeLog;
  private final AuditLog audit;
  private final CloudHttp http;
  private final Answers answers;
  private final SecureRandom random = new SecureRandom();

  public TerminalResource(Jdbi jdbi, ChangeLog changeLog, AuditLog audit, CloudHttp http) {
    this.jdbi = jdbi;
    this.changeLog = changeLog;
    this.audit = audit;
    this.http = http;
    this.answers = new Answers(http.json());
  }

  @Override
  public void accept(RoutesConfig r) {
    r.get(COLLECTION, this::list);
    r.post(COLLECTION, this::issue);
    r.get(ITEM, ctx -> answers.body(ctx, view(find(ctx.pathParam("code"), ctx.pathParam("id")), null)));
    r.post(ITEM + "/rotate", this::rotate);
    r.post(ITEM + "/deactivate", this::deactivate);
  }

  private record Row(TerminalV1 record, long version) {}

  private void list(Context ctx) {
    String site = ctx.pathParam("code");
    List<Object> items = jdbi.withHandle(h -> {
      Answers.siteForRead(h, site);
      return h.createQuery("SELECT * FROM terminal WHERE site_code = :s ORDER BY id").bind("s", site)
          .map((rs, c) -> (Object) view(row(rs), null)).list();
    });
    answers.body(ctx, new Pages.Page(items, null));
  }

  private void issue(Context ctx) {
    String site = ctx.pathParam("code");
    Body b = http.body(ctx, Body.class);
    String id = Fields.id("id", b.id());
    String name = Fields.name("name", b.name());
    String kind = Fields.required("kind", b.kind());
    if (!KINDS.contains(kind)) {
      throw Fields.invalid("kind", "kind must be one of " + new java.util.TreeSet<>(KINDS));
    }
    if (b.secretSha256() != null && !SHA256_HEX.matcher(b.secretSha256()).matches()) {
      throw Fields.invalid("secretSha256", "secretSha256 must be 64 lower-case hex digits");
    }
    String secret = b.secretSha256() == null ? newSecret() : null;
    TerminalV1 t = new TerminalV1(site, id, name, kind, secret == null ? b.secretSha256() : sha256Hex(secret), true);
    Row saved = Answers.uniquely("id", () -> jdbi.inTransaction(h -> {
      Answers.siteForWrite(h, site);
      if (find(h, site, id).isPresent()) {
        throw new ApiException(409, "ALREADY_EXISTS", "id", "site " + site + " already has terminal " + id);
      }
      h.createUpdate("INSERT INTO terminal (site_code, id, name, kind, secret_sha256) VALUES (:s, :id, :n, :k, :h)")
          .bind("s", site).bind("id", id).bind("n", name).bind("k", kind).bind("h", t.secretSha256()).execute();
      changeLog.append(h, site, t);
      Row row = new Row(t, 1);
      audit.append(h, Actor.of(ctx), "terminal", site + "/" + id, "create", site, null, audited(row));
      return row;
    }));
    ctx.status(201);
    answers.body(ctx, view(saved, secret));
  }

  private void rotate(Context ctx) {
    String site = ctx.pathParam("code");
    String secret = newSecret();
    Row saved = jdbi.inTransaction(h -> {
      Row current = find(h, site, ctx.pathParam("id")).orElseThrow(() -> notFound(site, ctx.pathParam("id")));
      TerminalV1 c = current.record();
      TerminalV1 t = new TerminalV1(site, c.id(), c.name(), c.kind(), sha256Hex(secret), c.active());
      Row row = save(h, t);
      audit.append(h, Actor.of(ctx), "terminal", site + "/" + c.id(), "rotate", site, audited(current), audited(row));
      return row;
    });
    answers.body(ctx, view(saved, secret));
  }

  private void deactivate(Context ctx) {
    String site = ctx.pathParam("code");
    Row saved = jdbi.inTransaction(h -> {
      Row current = find(h, site, ctx.pathParam("id")).orElseThrow(() -> notFound(site, ctx.pathParam("id")));
      TerminalV1 c = current.record();
      if (!c.active()) {
        return current;
      }
      Row row = save(h, new TerminalV1(site, c.id(), c.name(), c.kind(), c.secretSha256(), false));
      audit.append(h, Actor.of(ctx), "terminal", site + "/" + c.id(), "deactivate", site, audited(current),
          audited(row));
      return row;
    });
    answers.body(ctx, view(saved, null));
  }

  private Row save(Handle h, TerminalV1 t) {
    long version = h.createQuery("UPDATE terminal SET secret_sha256 = :h, active = :a, version = version + 1, "
            + "updated_at = now() WHERE site_code = :s AND id = :id RETURNING version")
        .bind("h", t.secretSha256()).bind("a", t.active()).bind("s", t.siteCode()).bind("id", t.id())
        .mapTo(Long.class).one();
    changeLog.append(h, t.siteCode(), t);
    return new Row(t, version);
  }

  private Row find(String site, String id) {
    return jdbi.withHandle(h -> find(h, site, id)).orElseThrow(() -> notFound(site, id));
  }

  private static Optional<Row> find(Handle h, String site, String id) {
    return h.createQuery("SELECT * FROM terminal WHERE site_code = :s AND id = :id FOR UPDATE")
        .bind("s", site).bind("id", id).map((rs, c) -> row(rs)).findOne();
  }

  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(new TerminalV1(rs.getString("site_code"), rs.getString("id"), rs.getString("name"),
        rs.getString("kind"), rs.getString("secret_sha256"), rs.getBoolean("active")), rs.getLong("version"));
  }

  private static ApiException notFound(String site, String id) {
    return Answers.notFound("terminal " + id + " at site " + site);
  }

  /** The answer: never the hash; the secret only right after it was made. */
  private static Map<String, Object> view(Row row, String secret) {
    TerminalV1 t = row.record();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("siteCode", t.siteCode());
    v.put("id", t.id());
    v.put("name", t.name());
    v.put("kind", t.kind());
    v.put("active", t.active());
    v.put("version", row.version());
    if (secret != null) {
      v.put("secret", secret);
    }
    return v;
  }

  /** The terminal as the audit log keeps it: the answer's fields and the secret's fingerprint. */
  private static Map<String, Object> audited(Row row) {
    Map<String, Object> v = view(row, null);
    v.put("secretFingerprint", row.record().secretSha256().substring(0, 16));
    return v;
  }

  private String newSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "tms_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256Hex(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
