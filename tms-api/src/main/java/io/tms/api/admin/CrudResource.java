package io.tms.api.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.audit.Actor;
import io.tms.api.audit.AuditLog;
import io.tms.api.feed.ChangeLog;
import io.tms.api.http.ApiException;
import io.tms.api.http.CloudHttp;
import io.tms.api.store.MasterTable;
import io.tms.api.store.Versioned;
import io.tms.protocol.v1.sync.MasterRecordV1;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The five routes of one master-data collection — create, read, replace, deactivate, list — the
 * same way for every entity. Each write is one transaction: lock the row, compare its version with
 * If-Match, validate, write, append the whole record to the change feed and the change (who, before,
 * after) to the audit log. Thread-safe (stateless).
 */
final class CrudResource<B, R extends MasterRecordV1> {
  private final AdminEntity<B, R> entity;
  private final MasterTable<R> table;
  private final Jdbi jdbi;
  private final ChangeLog changeLog;
  private final AuditLog audit;
  private final CloudHttp http;
  private final Answers answers;

  CrudResource(
      AdminEntity<B, R> entity, Jdbi jdbi, ChangeLog changeLog, AuditLog audit, CloudHttp http, Answers answers) {
    this.entity = entity;
    this.table = entity.table();
    this.jdbi = jdbi;
    this.changeLog = changeLog;
    this.audit = audit;
    this.http = http;
    this.answers = answers;
  }

  /** The collection's path: {@code /v1/products} or {@code /v1/sites/{code}/tanks}. */
  String collectionPath() {
    return entity.siteScoped() ? "/v1/sites/{code}/" + entity.collection() : "/v1/" + entity.collection();
  }

  String itemPath() {
    return collectionPath() + "/{" + entity.keyField() + "}";
  }

  void register(RoutesConfig r) {
    r.post(collectionPath(), this::create);
    r.get(collectionPath(), this::list);
    r.get(itemPath(), this::get);
    r.put(itemPath(), this::replace);
    r.delete(itemPath(), this::deactivate);
  }

  private String site(Context ctx) {
    return entity.siteScoped() ? ctx.pathParam("code") : null;
  }

  private void create(Context ctx) {
    String site = site(ctx);
    Actor actor = Actor.of(ctx);
    B body = http.body(ctx, entity.bodyType());
    R record = entity.record(site, null, body, null);
    Versioned<R> saved = Answers.uniquely(entity.keyField(), () -> jdbi.inTransaction(h -> {
      if (site != null) {
        Answers.siteForWrite(h, site);
      }
      entity.checkReferences(h, record);
      if (!table.insert(h, record)) {
        String field = entity.conflictField(h, record);
        throw new ApiException(409, "ALREADY_EXISTS", field,
            entity.collection() + ": " + field + " is already taken");
      }
      changeLog.append(h, entity.feedScope(record), record);
      Versioned<R> created = new Versioned<>(record, 1L);
      audited(h, actor, "create", null, created);
      return created;
    }));
    ctx.header("Location", ctx.path() + "/" + String.join("/", entity.key(record)));
    answers.record(ctx, 201, saved, entity.hidden());
  }

  private void get(Context ctx) {
    String site = site(ctx);
    String key = ctx.pathParam(entity.keyField());
    Versioned<R> found = jdbi.withHandle(h -> table.find(h, site, List.of(key), false))
        .orElseThrow(() -> Answers.notFound(entity.collection() + " " + key));
    answers.record(ctx, 200, found, entity.hidden());
  }

  private void replace(Context ctx) {
    String site = site(ctx);
    String key = ctx.pathParam(entity.keyField());
    Actor actor = Actor.of(ctx);
    List<String> ifMatch = Preconditions.ifMatch(ctx);
    B body = http.body(ctx, entity.bodyType());
    Versioned<R> saved = Answers.uniquely(entity.keyField(), () -> jdbi.inTransaction(h -> {
      Versioned<R> current = table.find(h, site, List.of(key), true)
          .orElseThrow(() -> Answers.notFound(entity.collection() + " " + key));
      Preconditions.check(ifMatch, current.version());
      R record = entity.record(site, key, body, current.record());
      entity.checkReferences(h, record);
      long version = table.update(h, site, List.of(key), record);
      changeLog.append(h, entity.feedScope(record), record);
      Versioned<R> updated = new Versioned<>(record, version);
      audited(h, actor, "update", current, updated);
      return updated;
    }));
    answers.record(ctx, 200, saved, entity.hidden());
  }

  /** Deactivation keeps the row; deactivating what is already inactive writes nothing. */
  private void deactivate(Context ctx) {
    String site = site(ctx);
    String key = ctx.pathParam(entity.keyField());
    Actor actor = Actor.of(ctx);
    List<String> ifMatch = Preconditions.ifMatch(ctx);
    Versioned<R> saved = jdbi.inTransaction(h -> {
      Versioned<R> current = table.find(h, site, List.of(key), true)
          .orElseThrow(() -> Answers.notFound(entity.collection() + " " + key));
      Preconditions.check(ifMatch, current.version());
      if (!entity.active(current.record())) {
        return current;
      }
      R record = entity.deactivated(current.record());
      long version = table.update(h, site, List.of(key), record);
      changeLog.append(h, entity.feedScope(record), record);
      Versioned<R> deactivated = new Versioned<>(record, version);
      audited(h, actor, "deactivate", current, deactivated);
      return deactivated;
    });
    answers.record(ctx, 200, saved, entity.hidden());
  }

  /** The audit row of a write: the records as the API shows them (hidden fields such as PIN hashes left out). */
  private void audited(org.jdbi.v3.core.Handle h, Actor actor, String action, Versioned<R> before, Versioned<R> after) {
    R r = after.record();
    audit.append(h, actor, ChangeLog.entity(r), String.join("/", entity.key(r)), action, entity.feedScope(r),
        before == null ? null : answers.view(before, entity.hidden()), answers.view(after, entity.hidden()));
  }

  private void list(Context ctx) {
    String site = site(ctx);
    var page = jdbi.withHandle(h -> {
      if (site != null) {
        Answers.siteForRead(h, site);
      }
      return Pages.read(h, ctx, table, site, entity::key, v -> answers.view(v, entity.hidden()));
    });
    answers.body(ctx, page);
  }
}
