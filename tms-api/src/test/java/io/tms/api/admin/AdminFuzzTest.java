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
import io.tms.api.JsonArbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.jdbi.v3.core.Jdbi;

/**
 * jqwik properties over generated requests to every write route of the admin API (taken from the
 * permission matrix, which a test keeps equal to the served routes), as an admin, so nothing stops
 * them before the handler: never a 5xx, every refusal a problem document, and a digest of every
 * table is the same after each refused request as before it. The seed is fixed, so CI runs the same
 * cases; jqwik prints the falsifying (shrunk) request and its seed. Plus: 413 over the body limit,
 * SQL-injection and path-traversal strings.
 */
class AdminFuzzTest {
  private static final List<String> HOSTILE = JsonArbitraries.HOSTILE;
  private static final JsonNodeFactory N = JsonNodeFactory.instance;

  private static final ObjectMapper json = new ObjectMapper();
  private static Cloud cloud;
  private static Jdbi jdbi;
  private static String token;
  private static String digestSql;

  @BeforeContainer
  static void start() {
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

  @AfterContainer
  static void stop() {
    if (cloud != null) {
      assertThat(http(() -> send("get", "/livez", null, null)).statusCode()).as("still serving").isEqualTo(200);
      cloud.close();
    }
  }

  private interface Call<T> {
    T run() throws Exception;
  }

  private static <T> T http(Call<T> call) {
    try {
      return call.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * md5 of every row of every table: equal digests, equal state. Left out: {@code reserve_round},
   * which the reserve job writes on its own clock every few seconds whatever the requests do.
   */
  private static String digest() {
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

  /** A request to a write route: its path (some parameters hostile), a body derived from a valid one, If-Match. */
  record Request(RoutePermissions.Rule route, String path, byte[] body, String ifMatch) {
    @Override
    public String toString() {
      return route.method() + " " + path + " If-Match " + ifMatch + " body " + JsonArbitraries.text(body);
    }
  }

  @Provide
  Arbitrary<Request> requests() {
    List<RoutePermissions.Rule> writes = RoutePermissions.all().stream().filter(x -> !x.method().equals("get")).toList();
    assertThat(writes).hasSizeGreaterThan(25);
    Arbitrary<String> ifMatch = Arbitraries.oneOf(Arbitraries.of("", "*", "\"1\""),
        JsonArbitraries.hostileStrings().map(AdminFuzzTest::printable));
    return Arbitraries.of(writes).flatMap(route -> {
      ObjectNode template = template(route.path());
      Arbitrary<byte[]> body = template == null ? JsonArbitraries.junk()
          : JsonArbitraries.bodiesLike(template);
      if (route.method().equals("delete")) {
        body = Arbitraries.oneOf(body, Arbitraries.just(null));
      }
      return Combinators.combine(path(route.path()), body, ifMatch)
          .as((path, b, im) -> new Request(route, path, b, im));
    });
  }

  /** The route's path with valid values, each parameter hostile one time in three. */
  private static Arbitrary<String> path(String template) {
    Map<String, String> valid = new LinkedHashMap<>();
    valid.put("code", "HOU1");
    valid.put("site", "HOU1");
    valid.put("id", template.startsWith("/v1/users") ? "admin"
        : template.startsWith("/v1/sites/{code}/tanks/") || template.startsWith("/v1/sites/{code}/bays/") ? "T1" : "C1");
    valid.put("customerId", "C1");
    valid.put("productCode", "ULSD");
    valid.put("lane", "BUSINESS");
    valid.put("tokenId", "t000000000000");
    if (template.startsWith("/v1/products/")) {
      valid.put("code", "ULSD");
    }
    List<String> params = valid.keySet().stream().filter(k -> template.contains("{" + k + "}")).toList();
    Arbitrary<List<String>> values = Arbitraries.just(List.<String>of());
    for (String k : params) {
      Arbitrary<String> v = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, Arbitraries.just(valid.get(k))),
          net.jqwik.api.Tuple.of(1, JsonArbitraries.hostileStrings()));
      values = Combinators.combine(values, v).as((l, x) -> {
        List<String> out = new ArrayList<>(l);
        out.add(x);
        return out;
      });
    }
    return values.map(vs -> {
      String p = template;
      for (int i = 0; i < params.size(); i++) {
        p = p.replace("{" + params.get(i) + "}", URLEncoder.encode(vs.get(i), StandardCharsets.UTF_8).replace("+", "%20"));
      }
      return p;
    });
  }

  @Property(tries = 300, seed = "20260525")
  void mutated_requests_to_every_write_route_never_5xx_and_change_nothing_when_refused(
      @ForAll("requests") Request request) throws Exception {
    String before = digest();
    HttpResponse<String> reply = send(request.route().method(), request.path(), request.body(), request.ifMatch());
    String what = request + " → " + reply.statusCode() + " " + reply.body();
    assertThat(reply.statusCode()).as(what).isBetween(200, 499);
    boolean refused = reply.statusCode() >= 400;
    Statistics.collect(refused ? "refused" : "accepted");
    Statistics.coverage(c -> c.check("refused").percentage(p -> p > 50));
    if (refused) {
      assertThat(reply.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
      JsonNode p = json.readTree(reply.body());
      assertThat(p.get("status").asInt()).as(what).isEqualTo(reply.statusCode());
      assertThat(p.get("code").asText()).as(what).isNotBlank();
      assertThat(p.get("title").asText()).as(what).isNotBlank();
      assertThat(digest()).as("state changed by a refused request: " + what).isEqualTo(before);
    }
  }

  @Example
  void a_body_over_the_limit_is_413_and_changes_nothing() throws Exception {
    String before = digest();
    String big = "{\"id\": \"C7\", \"name\": \"" + "x".repeat(100 * 1024) + "\"}";
    HttpResponse<String> reply = send("post", "/v1/customers", big.getBytes(StandardCharsets.UTF_8), null);
    assertThat(reply.statusCode()).isEqualTo(413);
    assertThat(reply.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(digest()).isEqualTo(before);
  }

  @Example
  void sql_and_path_injection_strings_are_data_or_refused_never_code() throws Exception {
    String name = "Robert'); DROP TABLE customer; --";
    HttpResponse<String> created = send("post", "/v1/customers",
        json.writeValueAsBytes(Map.of("id", "BOBBY", "name", name)), null);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(json.readTree(send("get", "/v1/customers/BOBBY", null, null).body()).get("name").asText()).isEqualTo(name);
    String before = digest();
    assertThat(send("post", "/v1/customers", "{\"id\": \"x'; DROP TABLE site; --\", \"name\": \"n\"}"
        .getBytes(StandardCharsets.UTF_8), null).statusCode())
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

  private static HttpResponse<String> send(String method, String path, byte[] body, String ifMatch) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path))
        .method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", "Bearer " + token);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (ifMatch != null && !ifMatch.isEmpty()) {
      b.header("If-Match", ifMatch);
    }
    // a connection of its own: Jetty closes one after refusing a malformed path (a NUL, say), and a
    // client must not reuse it for the next request
    try (HttpClient once = HttpClient.newHttpClient()) {
      return once.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
