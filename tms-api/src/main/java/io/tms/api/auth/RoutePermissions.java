package io.tms.api.auth;

import static io.tms.api.auth.Permission.ACTIVITY_READ;
import static io.tms.api.auth.Permission.AUDIT_READ;
import static io.tms.api.auth.Permission.FLEET_READ;
import static io.tms.api.auth.Permission.FLEET_WRITE;
import static io.tms.api.auth.Permission.MASTER_READ;
import static io.tms.api.auth.Permission.MASTER_WRITE;
import static io.tms.api.auth.Permission.RESERVE_READ;
import static io.tms.api.auth.Permission.RESERVE_WRITE;
import static io.tms.api.auth.Permission.SELF;
import static io.tms.api.auth.Permission.SITE_WRITE;
import static io.tms.api.auth.Permission.USER_ADMIN;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The permission matrix, declared here and nowhere else: every route of the cloud's HTTP API →
 * the permission it needs and where it names a site (for site-scoped roles). docs/security.md
 * carries the same table; {@code PermissionMatrixTest} checks that the two agree and that every
 * served route is either here or deliberately open ({@link #isOpen}). A route missing from both is
 * refused to everyone but admins (fail closed) until it is declared.
 */
public final class RoutePermissions {
  /** Where a route names its site: a path parameter, the {@code site} query parameter, or nowhere. */
  public record Rule(String method, String path, Permission permission, String sitePathParam, boolean siteQuery) {
    public String key() {
      return method + " " + path;
    }
  }

  private static final Map<String, Rule> RULES = build();

  private RoutePermissions() {}

  private static Map<String, Rule> build() {
    List<Rule> rules = new ArrayList<>();
    // master data: the admin API's collections (admin/CrudResource), sites need SITE_WRITE to change
    // the site's own record names its site in {code}: an operator of HOU1 may read site HOU1
    crud(rules, "/v1/sites", "code", MASTER_READ, SITE_WRITE, null, "code");
    for (String c : List.of("products/{code}", "customers/{id}", "carriers/{id}", "drivers/{id}", "vehicles/{id}",
        "allocations/{id}")) {
      String coll = "/v1/" + c.substring(0, c.indexOf('/'));
      crud(rules, coll, c.substring(c.indexOf('{') + 1, c.length() - 1), MASTER_READ, MASTER_WRITE, null, null);
    }
    crud(rules, "/v1/sites/{code}/tanks", "id", MASTER_READ, MASTER_WRITE, "code", "code");
    crud(rules, "/v1/sites/{code}/bays", "id", MASTER_READ, MASTER_WRITE, "code", "code");
    site(rules, "get", "/v1/sites/{code}/liftings", MASTER_READ, "code");
    site(rules, "get", "/v1/sites/{code}/liftings/{customerId}/{productCode}", MASTER_READ, "code");
    site(rules, "put", "/v1/sites/{code}/liftings/{customerId}/{productCode}", MASTER_WRITE, "code");
    site(rules, "delete", "/v1/sites/{code}/liftings/{customerId}/{productCode}", MASTER_WRITE, "code");
    // terminal credentials of a site's kiosks and bay controllers (admin/TerminalResource)
    site(rules, "get", "/v1/sites/{code}/terminals", MASTER_READ, "code");
    site(rules, "post", "/v1/sites/{code}/terminals", MASTER_WRITE, "code");
    site(rules, "get", "/v1/sites/{code}/terminals/{id}", MASTER_READ, "code");
    site(rules, "post", "/v1/sites/{code}/terminals/{id}/rotate", MASTER_WRITE, "code");
    site(rules, "post", "/v1/sites/{code}/terminals/{id}/deactivate", MASTER_WRITE, "code");
    // reserves (reserve/ReserveRoutes): views and rounds span every site of an allocation
    global(rules, "get", "/v1/allocations/{id}/reserves", RESERVE_READ);
    global(rules, "put", "/v1/allocations/{id}/reserves/{site}", RESERVE_WRITE);
    global(rules, "post", "/v1/allocations/{id}/rebalance", RESERVE_WRITE);
    // what sites did (ingest/UplinkRoutes)
    query(rules, "get", "/v1/bols", ACTIVITY_READ);
    query(rules, "get", "/v1/loads", ACTIVITY_READ);
    global(rules, "get", "/v1/bols/{number}", ACTIVITY_READ);
    site(rules, "get", "/v1/sites/{site}/inventory", ACTIVITY_READ, "site");
    site(rules, "get", "/v1/sites/{site}/uplink", ACTIVITY_READ, "site");
    site(rules, "delete", "/v1/sites/{site}/uplink/{lane}/break", FLEET_WRITE, "site");
    // fleet (fleet/FleetApi)
    global(rules, "get", "/v1/fleet/sites", FLEET_READ);
    site(rules, "get", "/v1/fleet/sites/{code}", FLEET_READ, "code");
    global(rules, "get", "/v1/fleet/drain", FLEET_READ);
    // site certificates (pki/PkiAdminRoutes): enrolling and revoking a site act on its link
    site(rules, "post", "/v1/sites/{site}/bootstrap-tokens", FLEET_WRITE, "site");
    site(rules, "get", "/v1/sites/{site}/certificates", FLEET_READ, "site");
    site(rules, "post", "/v1/sites/{site}/certificates/revoke", FLEET_WRITE, "site");
    // people and audit (auth/PeopleRoutes, audit/AuditRoutes)
    global(rules, "get", "/v1/me", SELF);
    global(rules, "get", "/v1/users", USER_ADMIN);
    global(rules, "post", "/v1/users", USER_ADMIN);
    global(rules, "get", "/v1/users/{id}", USER_ADMIN);
    global(rules, "put", "/v1/users/{id}", USER_ADMIN);
    global(rules, "delete", "/v1/users/{id}", USER_ADMIN);
    global(rules, "get", "/v1/users/{id}/tokens", USER_ADMIN);
    global(rules, "post", "/v1/users/{id}/tokens", USER_ADMIN);
    global(rules, "delete", "/v1/users/{id}/tokens/{tokenId}", USER_ADMIN);
    global(rules, "get", "/v1/audit", AUDIT_READ);
    global(rules, "get", "/v1/audit/verify", AUDIT_READ);
    // a site's own audit trail, synced up (ingest/EdgeAuditRoutes)
    site(rules, "get", "/v1/sites/{site}/audit", AUDIT_READ, "site");
    site(rules, "get", "/v1/sites/{site}/audit/verify", AUDIT_READ, "site");
    Map<String, Rule> out = new LinkedHashMap<>();
    for (Rule r : rules) {
      if (out.put(r.key(), r) != null) {
        throw new IllegalStateException("route declared twice: " + r.key());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static void crud(List<Rule> rules, String collection, String key, Permission read, Permission write,
      String collectionSite, String itemSite) {
    String item = collection + "/{" + key + "}";
    rules.add(new Rule("get", collection, read, collectionSite, false));
    rules.add(new Rule("post", collection, write, collectionSite, false));
    rules.add(new Rule("get", item, read, itemSite, false));
    rules.add(new Rule("put", item, write, itemSite, false));
    rules.add(new Rule("delete", item, write, itemSite, false));
  }

  private static void site(List<Rule> rules, String method, String path, Permission p, String param) {
    rules.add(new Rule(method, path, p, param, false));
  }

  private static void query(List<Rule> rules, String method, String path, Permission p) {
    rules.add(new Rule(method, path, p, null, true));
  }

  private static void global(List<Rule> rules, String method, String path, Permission p) {
    rules.add(new Rule(method, path, p, null, false));
  }

  /** The rule of a route as Javalin names it ({@code get}, {@code /v1/sites/{code}}). */
  public static Optional<Rule> of(String method, String path) {
    return Optional.ofNullable(RULES.get(method.toLowerCase(Locale.ROOT) + " " + path));
  }

  /** Every declared rule, in declaration order. */
  public static List<Rule> all() {
    return List.copyOf(RULES.values());
  }

  /**
   * Routes anyone may call: health, metrics and the API description (no data in them), and the
   * edge channel and EST enrollment, which site certificates and bootstrap tokens protect
   * (docs/pki.md), not people's credentials.
   */
  public static boolean isOpen(String path) {
    return path.equals("/livez") || path.equals("/readyz") || path.equals("/metrics") || path.equals("/openapi.json")
        || path.startsWith("/edge/") || path.startsWith("/.well-known/est/");
  }
}
