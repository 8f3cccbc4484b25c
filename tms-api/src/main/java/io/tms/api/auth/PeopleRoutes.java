package io.tms.api.auth;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.audit.Actor;
import io.tms.api.audit.AuditLog;
import io.tms.api.http.ApiException;
import io.tms.api.http.CloudHttp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Users and their API tokens over HTTP (docs/security.md): {@code /v1/me}, {@code /v1/users…} and
 * {@code /v1/users/{id}/tokens…}. A token's secret is answered once, when it is issued. Every write
 * is one transaction with its audit row; the last active admin cannot be demoted or deactivated.
 * Thread-safe (stateless).
 */
public final class PeopleRoutes implements Consumer<RoutesConfig> {
  static final Pattern USER_ID = Pattern.compile("[a-z][a-z0-9._-]{1,63}");
  static final Pattern SITE = Pattern.compile("[A-Z][A-Z0-9]{1,9}");

  /** Body of POST and PUT /v1/users; absent {@code active}: active (create) or unchanged (PUT). */
  public record UserBody(String id, String name, List<String> roles, List<String> sites, Boolean active) {}

  /** Body of POST /v1/users/{id}/tokens: a name and a lifetime like {@code 30d} (default TMS_TOKEN_TTL). */
  public record TokenBody(String name, String ttl) {}

  private final Jdbi jdbi;
  private final PeopleStore store;
  private final AuditLog audit;
  private final CloudHttp http;
  private final Duration defaultTtl;
  private final Clock clock;

  public PeopleRoutes(Jdbi jdbi, PeopleStore store, AuditLog audit, CloudHttp http, Duration defaultTtl, Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.audit = audit;
    this.http = http;
    this.defaultTtl = defaultTtl;
    this.clock = clock;
  }

  @Override
  public void accept(RoutesConfig r) {
    r.get("/v1/me", ctx -> {
      Principal p = Authenticator.principal(ctx);
      Map<String, Object> me = new LinkedHashMap<>();
      me.put("id", p.id());
      me.put("roles", new TreeSet<>(p.roles().stream().map(Enum::name).toList()));
      me.put("sites", new TreeSet<>(p.sites()));
      me.put("via", p.via());
      ctx.json(me);
    });
    r.get("/v1/users", ctx -> ctx.json(Map.of("items", jdbi.withHandle(store::users))));
    r.post("/v1/users", this::createUser);
    r.get("/v1/users/{id}", ctx -> ctx.json(jdbi.withHandle(h -> existing(h, ctx.pathParam("id"), false))));
    r.put("/v1/users/{id}", this::replaceUser);
    r.delete("/v1/users/{id}", this::deactivateUser);
    r.get("/v1/users/{id}/tokens", ctx -> ctx.json(Map.of("items", jdbi.withHandle(h -> {
      existing(h, ctx.pathParam("id"), false);
      return store.tokens(h, ctx.pathParam("id"));
    }))));
    r.post("/v1/users/{id}/tokens", this::issueToken);
    r.delete("/v1/users/{id}/tokens/{tokenId}", this::revokeToken);
  }

  private void createUser(Context ctx) {
    Actor actor = Actor.of(ctx);
    UserBody b = http.body(ctx, UserBody.class);
    PeopleStore.User u = validated(b, b.id(), null);
    PeopleStore.User saved = jdbi.inTransaction(h -> {
      checkSites(h, u);
      if (!store.insertUser(h, u)) {
        throw new ApiException(409, "ALREADY_EXISTS", "id", "user " + u.id() + " exists");
      }
      PeopleStore.User created = store.user(h, u.id(), false).orElseThrow();
      audit.append(h, actor, "user", u.id(), "create", null, null, created);
      return created;
    });
    ctx.status(201).header("Location", "/v1/users/" + saved.id()).json(saved);
  }

  private void replaceUser(Context ctx) {
    Actor actor = Actor.of(ctx);
    String id = ctx.pathParam("id");
    UserBody b = http.body(ctx, UserBody.class);
    if (b.id() != null && !b.id().equals(id)) {
      throw invalid("id", "id cannot be changed (path says " + id + ")");
    }
    PeopleStore.User saved = jdbi.inTransaction(h -> {
      PeopleStore.User current = existing(h, id, true);
      PeopleStore.User u = validated(b, id, current);
      checkSites(h, u);
      store.updateUser(h, u);
      lastAdminStays(h);
      PeopleStore.User updated = store.user(h, id, false).orElseThrow();
      audit.append(h, actor, "user", id, "update", null, current, updated);
      return updated;
    });
    ctx.json(saved);
  }

  private void deactivateUser(Context ctx) {
    Actor actor = Actor.of(ctx);
    String id = ctx.pathParam("id");
    PeopleStore.User saved = jdbi.inTransaction(h -> {
      PeopleStore.User current = existing(h, id, true);
      if (!current.active()) {
        return current;
      }
      store.updateUser(h, new PeopleStore.User(id, current.name(), current.roles(), current.sites(), false, 0, null));
      lastAdminStays(h);
      PeopleStore.User updated = store.user(h, id, false).orElseThrow();
      audit.append(h, actor, "user", id, "deactivate", null, current, updated);
      return updated;
    });
    ctx.json(saved);
  }

  private void issueToken(Context ctx) {
    Actor actor = Actor.of(ctx);
    String userId = ctx.pathParam("id");
    TokenBody b = http.body(ctx, TokenBody.class);
    String name = name("name", b.name());
    Duration ttl;
    try {
      ttl = AuthConfig.duration("ttl", b.ttl(), defaultTtl);
    } catch (IllegalArgumentException e) {
      throw invalid("ttl", e.getMessage());
    }
    if (ttl.isZero() || ttl.compareTo(AuthConfig.MAX_TTL) > 0) {
      throw invalid("ttl", "ttl must be > 0 and <= 3650d");
    }
    String secret = ApiTokens.newSecret();
    Instant now = clock.instant();
    PeopleStore.Token t = new PeopleStore.Token(ApiTokens.newId(), userId, name, now, now.plus(ttl), null);
    jdbi.useTransaction(h -> {
      PeopleStore.User u = existing(h, userId, true);
      if (!u.active()) {
        throw new ApiException(409, "USER_INACTIVE", "id", "user " + userId + " is deactivated");
      }
      store.insertToken(h, t, ApiTokens.sha256(secret));
      audit.append(h, actor, "api_token", userId + "/" + t.id(), "issue", null, null, t);
    });
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", t.id());
    answer.put("userId", userId);
    answer.put("name", name);
    answer.put("createdAt", t.createdAt());
    answer.put("expiresAt", t.expiresAt());
    answer.put("token", secret);
    ctx.status(201).header("Cache-Control", "no-store").json(answer);
  }

  private void revokeToken(Context ctx) {
    Actor actor = Actor.of(ctx);
    String userId = ctx.pathParam("id");
    String tokenId = ctx.pathParam("tokenId");
    PeopleStore.Token saved = jdbi.inTransaction(h -> {
      PeopleStore.Token current = store.token(h, userId, tokenId, true)
          .orElseThrow(() -> new ApiException(404, "NOT_FOUND", "tokenId", "no token " + tokenId + " of user " + userId));
      if (current.revokedAt() != null) {
        return current;
      }
      store.revoke(h, tokenId, clock.instant());
      PeopleStore.Token revoked = store.token(h, userId, tokenId, false).orElseThrow();
      audit.append(h, actor, "api_token", userId + "/" + tokenId, "revoke", null, current, revoked);
      return revoked;
    });
    ctx.json(saved);
  }

  private PeopleStore.User existing(Handle h, String id, boolean forUpdate) {
    return store.user(h, id, forUpdate)
        .orElseThrow(() -> new ApiException(404, "NOT_FOUND", "id", "no user " + id));
  }

  private void lastAdminStays(Handle h) {
    if (store.activeAdmins(h) == 0) {
      throw new ApiException(409, "LAST_ADMIN", "roles", "this would leave no active admin");
    }
  }

  private void checkSites(Handle h, PeopleStore.User u) {
    for (String s : u.sites()) {
      if (!store.siteExists(h, s)) {
        throw new ApiException(422, "UNKNOWN_REFERENCE", "sites", "no site " + s);
      }
    }
  }

  /** The user a body describes; {@code current} supplies what a PUT leaves out. */
  private static PeopleStore.User validated(UserBody b, String id, PeopleStore.User current) {
    if (id == null) {
      throw invalid("id", "id is required");
    }
    if (!USER_ID.matcher(id).matches()) {
      throw invalid("id", "id must be 2-64 lower-case letters, digits, '.', '_' or '-', starting with a letter");
    }
    String name = name("name", b.name() != null || current == null ? b.name() : current.name());
    List<String> roleNames = b.roles() != null || current == null ? b.roles() : current.roles();
    if (roleNames == null || roleNames.isEmpty()) {
      throw invalid("roles", "roles must name at least one of " + List.of(Role.values()));
    }
    TreeSet<String> roles = new TreeSet<>();
    for (int i = 0; i < roleNames.size(); i++) {
      Role role = Role.parse(roleNames.get(i));
      if (role == null) {
        throw invalid("roles[" + i + "]", "roles[" + i + "] must be one of " + List.of(Role.values()));
      }
      roles.add(role.name());
    }
    List<String> siteList = b.sites() != null || current == null ? b.sites() : current.sites();
    TreeSet<String> sites = new TreeSet<>();
    if (siteList != null) {
      if (siteList.size() > 1000) {
        throw invalid("sites", "sites may hold at most 1000 site codes");
      }
      for (int i = 0; i < siteList.size(); i++) {
        String s = siteList.get(i);
        if (s == null || !SITE.matcher(s).matches()) {
          throw invalid("sites[" + i + "]", "sites[" + i + "] must be a site code (2-10 upper-case letters/digits)");
        }
        sites.add(s);
      }
    }
    if (roles.contains(Role.SITE_OPERATOR.name()) && sites.isEmpty()) {
      throw invalid("sites", "a SITE_OPERATOR needs at least one site");
    }
    boolean active = b.active() != null ? b.active() : current == null || current.active();
    return new PeopleStore.User(id, name, new ArrayList<>(roles), new ArrayList<>(sites), active, 0, null);
  }

  private static String name(String field, String v) {
    if (v == null || v.isBlank() || v.length() > 200) {
      throw invalid(field, field + " must be 1-200 characters and not blank");
    }
    return v;
  }

  private static ApiException invalid(String field, String detail) {
    return new ApiException(400, "INVALID_INPUT", field, detail);
  }
}
