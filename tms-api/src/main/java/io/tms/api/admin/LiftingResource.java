package io.tms.api.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.audit.Actor;
import io.tms.api.audit.AuditLog;
import io.tms.api.feed.ChangeLog;
import io.tms.api.http.ApiException;
import io.tms.api.store.MasterTable;
import io.tms.api.store.Versioned;
import io.tms.protocol.v1.sync.LiftingV1;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Lifting rights: whether a customer may lift a product at a site. {@code PUT} grants (creating the
 * right the first time; If-Match optional, checked when sent), {@code DELETE} withdraws (If-Match
 * required). A withdrawn right stays as a row with {@code granted=false} and goes down the feed so.
 * Granting what is granted, or withdrawing what is withdrawn, writes nothing.
 */
final class LiftingResource {
  static final String COLLECTION = "/v1/sites/{code}/liftings";
  static final String ITEM = COLLECTION + "/{customerId}/{productCode}";

  private static final MasterTable<LiftingV1> TABLE = new MasterTable<>("lifting", "site_code",
      List.of("customer_id", "product_code"), Set.of(),
      l -> MasterTable.columns("site_code", l.siteCode(), "customer_id", l.customerId(),
          "product_code", l.productCode(), "granted", l.granted()),
      rs -> new LiftingV1(rs.getString("site_code"), rs.getString("customer_id"), rs.getString("product_code"),
          rs.getBoolean("granted")));

  private final Jdbi jdbi;
  private final ChangeLog changeLog;
  private final AuditLog audit;
  private final Answers answers;

  LiftingResource(Jdbi jdbi, ChangeLog changeLog, AuditLog audit, Answers answers) {
    this.jdbi = jdbi;
    this.changeLog = changeLog;
    this.audit = audit;
    this.answers = answers;
  }

  void register(RoutesConfig r) {
    r.get(COLLECTION, this::list);
    r.get(ITEM, this::get);
    r.put(ITEM, this::grant);
    r.delete(ITEM, this::withdraw);
  }

  private static List<String> key(LiftingV1 l) {
    return List.of(l.customerId(), l.productCode());
  }

  private void audited(org.jdbi.v3.core.Handle h, Actor actor, String action, Versioned<LiftingV1> before,
      Versioned<LiftingV1> after) {
    LiftingV1 l = after.record();
    audit.append(h, actor, "lifting", l.customerId() + "/" + l.productCode(), action, l.siteCode(),
        before == null ? null : answers.view(before, Set.of()), answers.view(after, Set.of()));
  }

  private void list(Context ctx) {
    String site = ctx.pathParam("code");
    var page = jdbi.withHandle(h -> {
      Answers.siteForRead(h, site);
      return Pages.read(h, ctx, TABLE, site, LiftingResource::key, v -> answers.view(v, Set.of()));
    });
    answers.body(ctx, page);
  }

  private void get(Context ctx) {
    String site = ctx.pathParam("code");
    List<String> key = List.of(ctx.pathParam("customerId"), ctx.pathParam("productCode"));
    Versioned<LiftingV1> found = jdbi.withHandle(h -> TABLE.find(h, site, key, false))
        .orElseThrow(() -> Answers.notFound("lifting right " + String.join("/", key) + " at site " + site));
    answers.record(ctx, 200, found, Set.of());
  }

  private void grant(Context ctx) {
    String site = ctx.pathParam("code");
    String customer = Fields.id("customerId", ctx.pathParam("customerId"));
    String product = Fields.id("productCode", ctx.pathParam("productCode"));
    Actor actor = Actor.of(ctx);
    List<String> ifMatch = ctx.header("If-Match") == null ? null : Preconditions.ifMatch(ctx);
    LiftingV1 granted = new LiftingV1(site, customer, product, true);
    boolean[] created = {false};
    Versioned<LiftingV1> saved = Answers.uniquely("productCode", () -> jdbi.inTransaction(h -> {
      Answers.siteForWrite(h, site);
      References.exists(h, "customer", "id", customer, "customerId");
      References.exists(h, "product", "code", product, "productCode");
      var current = TABLE.find(h, site, key(granted), true);
      if (current.isEmpty()) {
        if (ifMatch != null) {
          throw new ApiException(412, "PRECONDITION_FAILED", "If-Match",
              "no lifting right to match yet; omit If-Match");
        }
        if (!TABLE.insert(h, granted)) {
          throw new ApiException(409, "ALREADY_EXISTS", "productCode", "granted at the same moment by another request");
        }
        changeLog.append(h, site, granted);
        created[0] = true;
        Versioned<LiftingV1> written = new Versioned<>(granted, 1L);
        audited(h, actor, "grant", null, written);
        return written;
      }
      if (ifMatch != null) {
        Preconditions.check(ifMatch, current.get().version());
      }
      if (current.get().record().granted()) {
        return current.get();
      }
      long version = TABLE.update(h, site, key(granted), granted);
      changeLog.append(h, site, granted);
      Versioned<LiftingV1> written = new Versioned<>(granted, version);
      audited(h, actor, "grant", current.get(), written);
      return written;
    }));
    answers.record(ctx, created[0] ? 201 : 200, saved, Set.of());
  }

  private void withdraw(Context ctx) {
    String site = ctx.pathParam("code");
    List<String> key = List.of(ctx.pathParam("customerId"), ctx.pathParam("productCode"));
    Actor actor = Actor.of(ctx);
    List<String> ifMatch = Preconditions.ifMatch(ctx);
    Versioned<LiftingV1> saved = jdbi.inTransaction(h -> {
      Versioned<LiftingV1> current = TABLE.find(h, site, key, true)
          .orElseThrow(() -> Answers.notFound("lifting right " + String.join("/", key) + " at site " + site));
      Preconditions.check(ifMatch, current.version());
      if (!current.record().granted()) {
        return current;
      }
      LiftingV1 withdrawn = new LiftingV1(site, key.get(0), key.get(1), false);
      long version = TABLE.update(h, site, key, withdrawn);
      changeLog.append(h, site, withdrawn);
      Versioned<LiftingV1> written = new Versioned<>(withdrawn, version);
      audited(h, actor, "withdraw", current, written);
      return written;
    });
    answers.record(ctx, 200, saved, Set.of());
  }
}
