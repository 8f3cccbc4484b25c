package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import io.tms.api.auth.RoutePermissions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Generated and mutated requests to every write route of the admin API (taken from the permission
 * matrix, which a test keeps equal to the served routes), as an admin, so nothing stops them before
 * the handler: never a 5xx, every refusal a problem document, and a digest of every table is the
 * same after each refused request as before it. Seeded, so a failure repeats; the seed is in the
 * assertion message. Plus: 413 over the body limit, SQL-injection and path-traversal strings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminFuzzTest {
  private static final long SEED = Long.getLong("tms.fuzz.seed", 20260525L);
  private static final int CASES_PER_ROUTE = 12;
  private static final List<String> HOSTILE = List.of(
      "'; DROP TABLE site; --", "1 OR 1=1", "\" OR \"\"=\"", "../../../../etc/passwd", "..\\..\\windows\\win.ini",
      "%2e%2e%2f%2e%2e%2f", "/", "", " ", "\u0000", "\u202e\u0007", "HOU1\n", "😀", "x".repeat(5000), "NaN",
      "-1", "99999999999999999999999999", "${jndi:ldap://x}", "<script>alert(1)</script>", "HOU1/../DAL1");
  private static final JsonNodeFactory N = JsonNodeFactory.instance;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private Cloud cloud;
  private Jdbi jdbi;
  private String token;
  private String digestSql;

  @BeforeAll
  void start() {
    CloudConfig c = TestDatabase.freshCloudConfig();
    // a small body limit, so the 413 case sends kilobytes, not megabytes
    cloud = Cloud.start(new CloudConfig(c.httpHost(), c.httpPort(), c.dbUrl(), c.dbUser(), c.dbPassword(), c.dataDir(),
        c.dbPoolSize(), 64 * 1024));
    jdbi = cloud.database().jdbi();
    token = TestAuth.adminToken(cloud);
    AdminClient admin = new AdminClient(cloud, token);
    for (String[] seed : new String[][] {
        {"/v1/sites", "{\"code\": \"HOU1\", \"name\": \"Houston\", \"zone\": \"America/Chicago\"}"},
        {"/v1/products", "{\"code\": \"ULSD\", \"name\": \"Diesel\", \"commodityGroup\": \"FUEL_OILS\"}"},
        {"/v1/customers", "{\"id\": \"C1\", \"name\": \"Acme\"}"},
        {"/v1/carriers", "{\"id\": \"K1\", \"name\": \"Kwik\", \"insuranceExpires\": \"2027-06-30\"}"},
        {"/v1/sites/HOU1/tanks", "{\"id\": \"T1\", \"productCode\": \"ULSD\", \"capacityGallons\": 100000, \"baseDensityKgM3\": 850}"}}) {
      assertThat(admin.post(seed[0], seed[1]).status()).as(seed[0]).isEqualTo(201);
    }
    digestSql = digestSql(jdbi.withHandle(h -> h.createQuery("""
            SELECT tablename FROM pg_tables WHERE schemaname = 'public'
               AND tablename NOT IN ('flyway_schema_history', 'reserve_round')
            ORDER BY 1""").mapTo(String.class).list()));
  }

  @AfterAll
  void stop() {
    cloud.close();
  }

  /**
   * md5 of every row of every table: equal digests, equal state. Left out: {@code reserve_round},
   * which the reserve job writes on its own clock every few seconds whatever the requests do.
   */
  private String digest() {
    return jdbi.withHandle(h -> h.createQuery(digestSql).mapTo(String.class).one());
  }

  /** One statement for all tables: {@code table=md5;…}. */
  private static String digestSql(List<String> tables) {
    StringBuilder sql = new StringBuilder("SELECT concat_ws(';'");
    for (String t : tables) {
      sql.append(", '").append(t).append("=' || coalesce((SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM ")
          .append(t).append(" x), '-')");
    }
    return sql.append(")").toString();
  }

  /** A body that the route would accept, to mutate. */
  private static ObjectNode template(String path) {
    ObjectNode b = N.objectNode();
    if (path.endsWith("/liftings/{customerId}/{productCode}") || path.endsWith("/rebalance") || path.endsWith("/break")
        || path.contains("{tokenId}")) {
      return null;
    }
    if (path.startsWith("/v1/sites/{code}/tanks")) {
      b.put("id", "T9").put("productCode", "ULSD").put("capacityGallons", 50000).put("baseDensityKgM3", 840);
    } else if (path.startsWith("/v1/sites/{code}/bays")) {
      ObjectNode arm = N.objectNode().put("id", "A1").put("meterId", "M1");
      arm.putObject("tankByProduct").put("ULSD", "T1");
      b.put("id", "B9").put("name", "Bay 9").put("active", true).putArray("arms").add(arm);
    } else if (path.startsWith("/v1/sites")) {
      b.put("code", "FZ1").put("name", "Fuzz").put("zone", "America/Chicago");
    } else if (path.startsWith("/v1/products")) {
      b.put("code", "P9").put("name", "Product").put("commodityGroup", "GASOLINES");
    } else if (path.startsWith("/v1/customers")) {
      b.put("id", "C9").put("name", "Customer");
    } else if (path.startsWith("/v1/carriers")) {
      b.put("id", "K9").put("name", "Carrier").put("insuranceExpires", "2027-01-01");
    } else if (path.startsWith("/v1/drivers")) {
      b.put("id", "D9").put("name", "Driver").put("cardNumber", "CARD-9").put("pin", "4821");
      b.putArray("carrierIds").add("K1");
      b.putObject("certifications").put("HAZMAT", "2027-01-01");
    } else if (path.startsWith("/v1/vehicles")) {
      b.put("id", "V9").put("carrierId", "K1").put("active", true).put("inspectionExpires", "2027-01-01");
      b.putArray("compartments").add(N.objectNode().put("number", 1).put("capacityGallons", 3000));
    } else if (path.endsWith("/reserves/{site}")) {
      b.put("participating", true).put("minimumGallons", 100);
    } else if (path.startsWith("/v1/allocations")) {
      b.put("id", "A9").put("customerId", "C1").put("productCode", "ULSD").put("periodStart", "2026-01-01")
          .put("periodEnd", "2026-12-31").put("quantityGallons", 100000);
    } else if (path.endsWith("/tokens")) {
      b.put("name", "fuzz").put("ttl", "1d");
    } else if (path.startsWith("/v1/users")) {
      b.put("id", "fz").put("name", "Fuzz").putArray("roles").add("VIEWER");
    }
    return b;
  }

  private JsonNode randomValue(Random r, int depth) {
    return switch (r.nextInt(depth > 3 ? 8 : 10)) {
      case 0 -> N.nullNode();
      case 1 -> N.numberNode(r.nextLong());
      case 2 -> N.numberNode(r.nextDouble() * 1e308 * (r.nextBoolean() ? 1 : -1));
      case 3 -> N.booleanNode(r.nextBoolean());
      case 4, 5, 6 -> N.textNode(HOSTILE.get(r.nextInt(HOSTILE.size())));
      case 7 -> N.numberNode(-r.nextInt(1000));
      case 8 -> {
        ArrayNode a = N.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(randomValue(r, depth + 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = N.objectNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          o.set("f" + r.nextInt(5), randomValue(r, depth + 1));
        }
        yield o;
      }
    };
  }

  /** A mutated body: a field dropped, retyped, set hostile, an unknown field, or junk instead of JSON. */
  private String body(Random r, ObjectNode template) {
    int kind = r.nextInt(10);
    if (template == null || kind == 0) {
      return switch (r.nextInt(9)) {
        case 0 -> "";
        case 1 -> "{";
        case 2 -> "null";
        case 3 -> "[]";
        case 4 -> "\"text\"";
        case 5 -> "[".repeat(20_000) + "]".repeat(20_000);
        case 6 -> "{\"a\":" .repeat(3000) + "1" + "}".repeat(3000);
        case 7 -> "\u0000\u00ff\u00fe garbage";
        default -> randomValue(r, 0).toString();
      };
    }
    ObjectNode b = template.deepCopy();
    List<String> fields = new ArrayList<>();
    Iterator<String> it = b.fieldNames();
    it.forEachRemaining(fields::add);
    String f = fields.get(r.nextInt(fields.size()));
    switch (kind) {
      case 1, 2 -> b.remove(f);
      case 3 -> b.set("unknown" + r.nextInt(10), randomValue(r, 0));
      case 4 -> b.put(f, HOSTILE.get(r.nextInt(HOSTILE.size())));
      default -> b.set(f, randomValue(r, 0));
    }
    if (r.nextInt(4) == 0) {
      String g = fields.get(r.nextInt(fields.size()));
      b.set(g, randomValue(r, 0));
    }
    return b.toString();
  }

  private String path(Random r, String template) {
    Map<String, String> valid = new LinkedHashMap<>();
    valid.put("code", "HOU1");
    valid.put("site", "HOU1");
    valid.put("id", template.startsWith("/v1/users") ? "admin" : "C1");
    valid.put("customerId", "C1");
    valid.put("productCode", "ULSD");
    valid.put("lane", "BUSINESS");
    valid.put("tokenId", "t000000000000");
    String p = template;
    for (Map.Entry<String, String> e : valid.entrySet()) {
      String v = r.nextInt(3) == 0 ? HOSTILE.get(r.nextInt(HOSTILE.size())) : e.getValue();
      p = p.replace("{" + e.getKey() + "}", URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    if (template.startsWith("/v1/sites/{code}/tanks/") || template.startsWith("/v1/sites/{code}/bays/")) {
      p = p.replace("/C1", "/T1");
    }
    if (template.startsWith("/v1/products/")) {
      p = p.replace("/C1", "/ULSD");
    }
    return p;
  }

  @Test
  void mutated_requests_to_every_write_route_never_5xx_and_change_nothing_when_refused() throws Exception {
    Random r = new Random(SEED);
    List<RoutePermissions.Rule> writes = RoutePermissions.all().stream()
        .filter(x -> !x.method().equals("get")).toList();
    assertThat(writes).hasSizeGreaterThan(25);
    String before = digest();
    int refused = 0;
    int cases = 0;
    for (RoutePermissions.Rule route : writes) {
      for (int i = 0; i < CASES_PER_ROUTE; i++) {
        String path = path(r, route.path());
        ObjectNode template = template(route.path());
        String body = route.method().equals("delete") && r.nextBoolean() ? null : body(r, template);
        String ifMatch = switch (r.nextInt(4)) {
          case 0 -> null;
          case 1 -> "*";
          case 2 -> "\"1\"";
          default -> printable(HOSTILE.get(r.nextInt(HOSTILE.size())));
        };
        HttpResponse<String> reply = send(route.method(), path, body, ifMatch);
        String what = "seed " + SEED + ": " + route.method() + " " + path + " If-Match " + ifMatch + " body "
            + (body == null ? null : body.substring(0, Math.min(body.length(), 300))) + " → " + reply.statusCode()
            + " " + reply.body();
        assertThat(reply.statusCode()).as(what).isBetween(200, 499);
        String after = digest();
        if (reply.statusCode() >= 400) {
          refused++;
          assertThat(reply.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
          JsonNode p = json.readTree(reply.body());
          assertThat(p.get("status").asInt()).as(what).isEqualTo(reply.statusCode());
          assertThat(p.get("code").asText()).as(what).isNotBlank();
          assertThat(p.get("title").asText()).as(what).isNotBlank();
          assertThat(after).as("state changed by a refused request: " + what).isEqualTo(before);
        }
        before = after;
        cases++;
      }
    }
    assertThat(cases).isGreaterThan(300);
    assertThat(refused).as("most mutated requests are refused").isGreaterThan(cases / 2);
    assertThat(send("get", "/livez", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void a_body_over_the_limit_is_413_and_changes_nothing() throws Exception {
    String before = digest();
    String big = "{\"id\": \"C7\", \"name\": \"" + "x".repeat(100 * 1024) + "\"}";
    HttpResponse<String> reply = send("post", "/v1/customers", big, null);
    assertThat(reply.statusCode()).isEqualTo(413);
    assertThat(reply.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(digest()).isEqualTo(before);
  }

  @Test
  void sql_and_path_injection_strings_are_data_or_refused_never_code() throws Exception {
    String name = "Robert'); DROP TABLE customer; --";
    HttpResponse<String> created = send("post", "/v1/customers",
        json.writeValueAsString(Map.of("id", "BOBBY", "name", name)), null);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(json.readTree(send("get", "/v1/customers/BOBBY", null, null).body()).get("name").asText()).isEqualTo(name);
    String before = digest();
    assertThat(send("post", "/v1/customers", "{\"id\": \"x'; DROP TABLE site; --\", \"name\": \"n\"}", null).statusCode())
        .isEqualTo(400);
    for (String path : List.of("/v1/customers/..%2F..%2Fetc%2Fpasswd", "/v1/customers/%2e%2e", "/v1/sites/HOU1%27%20OR%201%3D1/tanks",
        "/v1/customers/C1%27%20OR%20%271%27%3D%271", "/v1/audit?actor=%27%20OR%201%3D1%20--")) {
      HttpResponse<String> r = send("get", path, null, null);
      assertThat(r.statusCode()).as(path).isBetween(200, 499);
      if (path.startsWith("/v1/audit")) {
        assertThat(json.readTree(r.body()).get("items")).as(path).isEmpty();
      } else {
        assertThat(r.statusCode()).as(path).isIn(400, 404);
      }
    }
    assertThat(digest()).isEqualTo(before);
    long sites = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM site").mapTo(Long.class).one());
    assertThat(sites).isEqualTo(1);
  }

  /** What an HTTP header can carry (the client refuses the rest before sending). */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().filter(c -> c >= 0x20 && c < 0x7f).forEach(c -> b.append((char) c));
    return b.toString();
  }

  private HttpResponse<String> send(String method, String path, String body, String ifMatch) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path))
        .method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + token);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (ifMatch != null && !ifMatch.isEmpty()) {
      b.header("If-Match", ifMatch);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
