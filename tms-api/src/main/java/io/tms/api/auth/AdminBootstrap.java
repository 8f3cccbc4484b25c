package io.tms.api.auth;

import io.tms.api.audit.Actor;
import io.tms.api.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure someone can administer a new cloud. With {@code TMS_ADMIN_TOKEN}: user {@code admin}
 * exists and that token (its SHA-256) is one of its tokens — an earlier bootstrap token that
 * differs is revoked, so changing the variable rotates it. Without: on a database with no active
 * admin, user {@code admin} gets a new random token that {@link #run} returns for the caller to
 * print once. Replicas starting together take an advisory lock, so only one of them creates it.
 */
public final class AdminBootstrap {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
  static final String USER = "admin";
  static final String TOKEN_NAME = "TMS_ADMIN_TOKEN";
  static final String FIRST_TOKEN_NAME = "first start";

  private final Jdbi jdbi;
  private final PeopleStore store;
  private final AuditLog audit;
  private final Clock clock;

  public AdminBootstrap(Jdbi jdbi, PeopleStore store, AuditLog audit, Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /** Returns a generated first-admin token (to show once), or empty. */
  public Optional<String> run(AuthConfig config) {
    return jdbi.inTransaction(h -> {
      h.execute("SELECT pg_advisory_xact_lock(hashtext('tms-admin-bootstrap'))");
      Instant now = clock.instant();
      String given = config.adminToken();
      if (given == null && store.activeAdmins(h) > 0) {
        return Optional.<String>empty();
      }
      if (store.user(h, USER, false).isEmpty()) {
        PeopleStore.User u = new PeopleStore.User(USER, "Administrator (bootstrap)", List.of(Role.ADMIN.name()),
            List.of(), true, 1, null);
        store.insertUser(h, u);
        audit.append(h, Actor.SYSTEM, "user", USER, "create", null, null, store.user(h, USER, false).orElseThrow());
      }
      String secret = given != null ? given : ApiTokens.newSecret();
      byte[] sha = ApiTokens.sha256(secret);
      if (store.tokenExists(h, sha)) {
        return Optional.<String>empty();
      }
      if (given != null) {
        for (PeopleStore.Token t : store.tokens(h, USER)) {
          if (t.name().equals(TOKEN_NAME) && t.revokedAt() == null) {
            store.revoke(h, t.id(), now);
            audit.append(h, Actor.SYSTEM, "api_token", USER + "/" + t.id(), "revoke", null, t,
                store.token(h, USER, t.id(), false).orElseThrow());
          }
        }
      }
      PeopleStore.Token t = new PeopleStore.Token(ApiTokens.newId(), USER, given != null ? TOKEN_NAME : FIRST_TOKEN_NAME,
          now, now.plus(given != null ? AuthConfig.MAX_TTL : config.tokenTtl()), null);
      store.insertToken(h, t, sha);
      audit.append(h, Actor.SYSTEM, "api_token", USER + "/" + t.id(), "issue", null, null, t);
      log.info("bootstrap admin token {} of user {} {}", t.id(), USER,
          given != null ? "imported from TMS_ADMIN_TOKEN" : "generated on first start");
      return given != null ? Optional.<String>empty() : Optional.of(secret);
    });
  }
}
