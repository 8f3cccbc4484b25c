package io.tms.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.Cloud;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Walks every route a real replica serves × every role: 401 without (or with a bad) token, 403
 * when the role lacks the route's permission, neither with it; a site operator of HOU1 gets 403 on
 * every route naming DAL1. Also: every served route is in the matrix or deliberately open, and
 * docs/security.md carries exactly the matrix the code declares.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionMatrixTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");
  private static final Path DOC = Path.of("..", "docs", "security.md");
  static final String BEGIN = "<!-- permission-matrix:begin (generated from RoutePermissions by PermissionMatrixTest) -->";
  static final String END = "<!-- permission-matrix:end -->";

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private Cloud cloud;
  private final Map<Role, String> tokens = new EnumMap<>(Role.class);

  @BeforeAll
  void start() {
    // with the site CA, so its admin routes (bootstrap tokens, certificates) are served and walked too
    cloud = Cloud.start(TestDatabase.freshCloudConfig()
        .withEdge(io.tms.api.pki.EdgeSettings.disabled().withCa("permission matrix", "127.0.0.1", 0)));
    cloud.database().jdbi().useHandle(h -> h.execute(
        "INSERT INTO site (code, name, zone) VALUES ('HOU1', 'Houston', 'America/Chicago'), ('DAL1', 'Dallas', 'America/Chicago')"));
    for (Role r : Role.values()) {
      tokens.put(r, TestAuth.token(cloud, "u-" + r.name().toLowerCase().replace('_', '-'), List.of(r),
          r.siteScoped() ? List.of("HOU1") : List.of()));
    }
  }

  @AfterAll
  void stop() {
    cloud.close();
  }

  private List<String[]> servedRoutes() {
    List<String[]> out = new ArrayList<>();
    for (String r : cloud.routes()) {
      String method = r.substring(0, r.indexOf(' '));
      String path = r.substring(r.indexOf(' ') + 1);
      if (METHODS.contains(method) && !RoutePermissions.isOpen(path)) {
        out.add(new String[] {method, path});
      }
    }
    return out;
  }

  @Test
  void everyServedRouteIsInTheMatrixAndEveryRuleIsServed() {
    List<String> missing = new ArrayList<>();
    for (String[] r : servedRoutes()) {
      if (RoutePermissions.of(r[0], r[1]).isEmpty()) {
        missing.add(r[0] + " " + r[1]);
      }
    }
    assertThat(missing).as("routes without a permission (add them to RoutePermissions)").isEmpty();
    for (RoutePermissions.Rule rule : RoutePermissions.all()) {
      assertThat(cloud.routes()).as("a rule for a route nobody serves").contains(rule.key());
    }
    assertThat(servedRoutes()).hasSizeGreaterThan(60);
  }

  @Test
  void everyRouteTimesEveryRole() throws Exception {
    int checked = 0;
    for (String[] r : servedRoutes()) {
      RoutePermissions.Rule rule = RoutePermissions.of(r[0], r[1]).orElseThrow();
      String path = fill(r[1], "HOU1");
      HttpResponse<String> none = send(r[0], path, null);
      assertThat(none.statusCode()).as("%s %s without a token", r[0], path).isEqualTo(401);
      assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
      assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
      assertThat(send(r[0], path, "tms_not-a-real-token").statusCode()).as("%s %s with a bad token", r[0], path)
          .isEqualTo(401);
      for (Role role : Role.values()) {
        boolean allowed = expected(role, rule, rule.siteQuery() ? null : "HOU1");
        String p = rule.siteQuery() ? path + "?site=HOU1" : path;
        allowed = rule.siteQuery() ? expected(role, rule, "HOU1") : allowed;
        int status = send(r[0], p, tokens.get(role)).statusCode();
        if (allowed) {
          assertThat(status).as("%s %s as %s", r[0], p, role).isNotIn(401, 403);
        } else {
          assertThat(status).as("%s %s as %s", r[0], p, role).isEqualTo(403);
        }
        checked++;
      }
      if (rule.sitePathParam() != null || rule.siteQuery()) {
        String other = rule.siteQuery() ? fill(r[1], "DAL1") + "?site=DAL1" : fill(r[1], "DAL1");
        assertThat(send(r[0], other, tokens.get(Role.SITE_OPERATOR)).statusCode())
            .as("%s %s as the site operator of HOU1", r[0], other).isEqualTo(403);
      }
    }
    assertThat(checked).isGreaterThan(300);
  }

  @Test
  void theSpelledOutCases() throws Exception {
    String op = tokens.get(Role.SITE_OPERATOR);
    assertThat(send("get", "/v1/sites/HOU1/tanks", op).statusCode()).isEqualTo(200);
    assertThat(send("get", "/v1/sites/DAL1/tanks", op).statusCode()).isEqualTo(403);
    assertThat(send("get", "/v1/bols", op).statusCode()).as("all sites' BOLs").isEqualTo(403);
    assertThat(send("get", "/v1/bols?site=HOU1", op).statusCode()).isEqualTo(200);
    assertThat(send("get", "/v1/bols?site=DAL1", op).statusCode()).isEqualTo(403);
    assertThat(send("get", "/v1/products", op).statusCode()).as("shared master data").isEqualTo(200);
    assertThat(send("post", "/v1/products", op).statusCode()).isEqualTo(403);
    assertThat(send("post", "/v1/products", tokens.get(Role.VIEWER)).statusCode()).isEqualTo(403);
    assertThat(send("post", "/v1/users", tokens.get(Role.DISPATCHER)).statusCode()).isEqualTo(403);
    assertThat(send("put", "/v1/drivers/D1", tokens.get(Role.FLEET_ENGINEER)).statusCode()).isEqualTo(403);
    assertThat(send("post", "/v1/sites", tokens.get(Role.DISPATCHER)).statusCode()).isEqualTo(403);
    HttpResponse<String> refused = send("delete", "/v1/sites/HOU1/uplink/BUSINESS/break", tokens.get(Role.VIEWER));
    assertThat(refused.statusCode()).isEqualTo(403);
    JsonNode problem = json.readTree(refused.body());
    assertThat(problem.get("code").asText()).isEqualTo("FORBIDDEN");
    assertThat(problem.get("detail").asText()).contains("FLEET_WRITE");
    JsonNode me = json.readTree(send("get", "/v1/me", op).body());
    assertThat(me.get("roles").toString()).contains("SITE_OPERATOR");
    assertThat(me.get("sites").toString()).contains("HOU1");
    assertThat(send("get", "/livez", null).statusCode()).as("health stays open").isEqualTo(200);
  }

  @Test
  void docsCarryTheMatrixOfTheCode() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String generated = markdown();
    if (Boolean.getBoolean("tms.docs.write")) {
      int b = doc.indexOf(BEGIN);
      int e = doc.indexOf(END);
      Files.writeString(DOC, doc.substring(0, b + BEGIN.length()) + "\n" + generated + doc.substring(e));
      doc = Files.readString(DOC, StandardCharsets.UTF_8);
    }
    assertThat(doc).as("docs/security.md is stale: run this test with -Dtms.docs.write=true").contains(
        BEGIN + "\n" + generated + END);
  }

  /** The documented (and enforced) expectation: the role grants it, within its sites if scoped. */
  private static boolean expected(Role role, RoutePermissions.Rule rule, String site) {
    if (!role.grants(rule.permission())) {
      return false;
    }
    if (!role.siteScoped()) {
      return true;
    }
    boolean namesSite = rule.sitePathParam() != null || rule.siteQuery();
    return namesSite ? "HOU1".equals(site)
        : rule.permission() == Permission.MASTER_READ || rule.permission() == Permission.SELF;
  }

  static String markdown() {
    StringBuilder s = new StringBuilder();
    s.append("| role | site-scoped | permissions |\n|---|---|---|\n");
    for (Role r : Role.values()) {
      List<String> ps = new ArrayList<>();
      for (Permission p : Permission.values()) {
        if (r.grants(p)) {
          ps.add("`" + p.name() + "`");
        }
      }
      s.append("| ").append(r.name()).append(" | ").append(r.siteScoped() ? "yes" : "no").append(" | ")
          .append(String.join(", ", ps)).append(" |\n");
    }
    s.append("\n| permission | means |\n|---|---|\n");
    for (Permission p : Permission.values()) {
      s.append("| `").append(p.name()).append("` | ").append(p.meaning()).append(" |\n");
    }
    s.append("\n| route | permission | site from | ADMIN | DISPATCHER | FLEET_ENGINEER | SITE_OPERATOR | VIEWER |\n");
    s.append("|---|---|---|---|---|---|---|---|\n");
    for (RoutePermissions.Rule rule : RoutePermissions.all()) {
      String from = rule.sitePathParam() != null ? "path `{" + rule.sitePathParam() + "}`"
          : rule.siteQuery() ? "query `site`" : "—";
      s.append("| `").append(rule.method().toUpperCase()).append(' ').append(rule.path()).append("` | `")
          .append(rule.permission().name()).append("` | ").append(from);
      for (Role r : Role.values()) {
        String cell;
        if (!r.grants(rule.permission())) {
          cell = "—";
        } else if (!r.siteScoped()) {
          cell = "yes";
        } else if (rule.sitePathParam() != null || rule.siteQuery()) {
          cell = "own sites";
        } else {
          cell = rule.permission() == Permission.MASTER_READ || rule.permission() == Permission.SELF ? "yes" : "—";
        }
        s.append(" | ").append(cell);
      }
      s.append(" |\n");
    }
    return s.toString();
  }

  private static String fill(String path, String site) {
    return path.replace("{code}", site).replace("{site}", site).replace("{lane}", "BUSINESS")
        .replaceAll("\\{[A-Za-z]+}", "x1");
  }

  private HttpResponse<String> send(String method, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path));
    boolean body = method.equals("post") || method.equals("put") || method.equals("patch");
    b.method(method.toUpperCase(), body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
    if (body) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
