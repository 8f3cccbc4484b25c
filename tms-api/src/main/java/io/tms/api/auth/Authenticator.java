package io.tms.api.auth;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.tms.api.http.ApiException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The before-handler of every matched route: open routes pass ({@link RoutePermissions#isOpen});
 * every other needs {@code Authorization: Bearer <API token or OIDC JWT>} (401 otherwise) and the
 * permission its rule names, within the caller's sites for site-scoped roles (403 otherwise). A
 * route without a rule is for admins only, so a new route is never open by accident. Leaves the
 * {@link Principal} on the request for the handler and the audit log. Thread-safe.
 */
public final class Authenticator {
  private static final String ATTRIBUTE = "tms.principal";

  private final Jdbi jdbi;
  private final PeopleStore store;
  private final OidcVerifier oidc;
  private final Clock clock;

  public Authenticator(Jdbi jdbi, PeopleStore store, AuthConfig config, Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.oidc = config.oidc() == null ? null : new OidcVerifier(config.oidc());
    this.clock = clock;
  }

  public void register(RoutesConfig r) {
    r.beforeMatched(this::check);
  }

  /** The caller of this request, or {@code null} on an open route. */
  public static Principal principal(Context ctx) {
    return ctx.attribute(ATTRIBUTE);
  }

  private void check(Context ctx) {
    Endpoint e = ctx.endpoints().matchedHttpEndpoint();
    if (e == null || RoutePermissions.isOpen(e.path)) {
      return;
    }
    Principal p = authenticate(ctx);
    Optional<RoutePermissions.Rule> rule = RoutePermissions.of(e.method.name(), e.path);
    if (rule.isEmpty()) {
      if (!p.roles().contains(Role.ADMIN)) {
        throw forbidden("this route is for admins only (it has no entry in the permission matrix)");
      }
    } else {
      RoutePermissions.Rule r = rule.get();
      String site = r.sitePathParam() != null ? ctx.pathParam(r.sitePathParam())
          : r.siteQuery() ? blankToNull(ctx.queryParam("site")) : null;
      if (!p.may(r.permission(), site)) {
        throw forbidden(!p.grants(r.permission())
            ? "this needs the permission " + r.permission() + ", which your roles " + p.roles() + " do not grant"
            : site == null
                ? "your roles are scoped to sites " + p.sites() + ": name one of them (site)"
                : "site " + site + " is not one of yours " + p.sites());
      }
    }
    ctx.attribute(ATTRIBUTE, p);
  }

  private Principal authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw unauthorized("this needs Authorization: Bearer <API token or OIDC token>", false);
    }
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("only Bearer credentials are accepted", false);
    }
    String credential = header.substring(7).strip();
    if (credential.isEmpty() || credential.length() > 16_384) {
      throw unauthorized("the bearer credential is empty or too long", true);
    }
    Optional<Principal> p;
    if (oidc != null && !ApiTokens.looksLikeToken(credential) && credential.chars().filter(c -> c == '.').count() == 2) {
      p = oidc.verify(credential);
    } else {
      byte[] sha = ApiTokens.sha256(credential);
      p = jdbi.withHandle(h -> store.principalByToken(h, sha, clock.instant()));
    }
    return p.orElseThrow(() -> unauthorized("the token is unknown, expired or revoked", true));
  }

  private static ApiException unauthorized(String detail, boolean invalidToken) {
    return new ApiException(401, "UNAUTHENTICATED", "Authorization", detail, Map.of(),
        Map.of("WWW-Authenticate", invalidToken ? "Bearer realm=\"tms\", error=\"invalid_token\"" : "Bearer realm=\"tms\""));
  }

  private static ApiException forbidden(String detail) {
    return new ApiException(403, "FORBIDDEN", null, detail);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
