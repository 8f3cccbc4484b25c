package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.complete;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.reading;
import static io.tms.agent.TerminalClient.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

/**
 * jqwik properties over generated hostile requests to every terminal API route (DESIGN §5, input):
 * bodies derived from valid ones (valid-shaped with wrong types, extremes, unicode, injection
 * strings, deep nesting, truncated or bit-flipped text), injection and traversal strings in paths
 * and query parameters, oversized bodies, and requests without a credential. Never a 5xx, every
 * refusal is problem+json, a refused request leaves the database exactly as it was (a digest of
 * every table), and the process keeps serving. Fixed seeds: CI runs the same cases, and jqwik
 * prints a falsifying case shrunk, with its seed.
 */
class TerminalApiFuzzTest {
  private static Path dir;
  private static Agent agent;
  private static TerminalClient client;
  private static List<Route> routes;

  private record Route(String path, JsonNode valid) {}

  @BeforeContainer
  static void startAgent() throws IOException {
    dir = Files.createTempDirectory("terminal-fuzz");
    agent = Agent.start(AgentConfig.of(TestSite.CODE, dir).withHttp("127.0.0.1", 0), TestSite.CLOCK, TestSite.seed());
    client = new TerminalClient(agent.port());
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK);
    String auth2 = approved(TestSite.SECOND_CARD, TestSite.TRUCK2);
    String load = client.post("/v1/loads", start(auth, "B1", Map.of(1, 1_000L))).json().get("loadId").asText();
    routes = List.of(
        new Route("/v1/authorizations", JsonArbitraries.tree(authorize(TestSite.GOOD_CARD, "9999", TestSite.TRUCK,
            intent(1, TestSite.CUSTOMER, TestSite.ULSD, 1_000)))),
        new Route("/v1/loads", JsonArbitraries.tree(start(auth2, "B2", Map.of(1, 1_000L)))),
        new Route("/v1/loads/" + load + "/complete", JsonArbitraries.tree(complete(reading(1, 999.0, 61.0)))),
        new Route("/v1/loads/" + load + "/cancel", JsonArbitraries.tree(Map.of("reason", "fuzz", "operator", "op"))),
        new Route("/v1/tanks/TK1/gauge-readings", JsonArbitraries.tree(Map.of("grossGallons", 400_000.0,
            "waterGallons", 10.0, "temperatureF", 70.0, "operator", "op"))),
        new Route("/v1/cards/" + TestSite.GOOD_CARD + "/unlock", JsonArbitraries.tree(Map.of("operator", "op"))));
  }

  @AfterContainer
  static void stopAgent() throws IOException {
    if (agent != null) {
      assertThat(client.get("/livez").status()).as("still serving").isEqualTo(200);
      assertThat(client.get("/v1/status").status()).isEqualTo(200);
      agent.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String approved(String card, String truck) {
    var r = client.post("/v1/authorizations", authorize(card, TestSite.PIN, truck,
        intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("authorizationId").asText();
  }

  /** A digest of every row of every table: equal before and after means nothing changed. */
  private static String digest() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return agent.database().reader().withHandle(h -> {
      for (String table : h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table' "
          + "AND name NOT LIKE 'sqlite_%' ORDER BY name").mapTo(String.class).list()) {
        sha.update(table.getBytes(StandardCharsets.UTF_8));
        List<String> rows = h.createQuery("SELECT * FROM \"" + table + "\"").map((rs, ctx) -> {
          StringBuilder row = new StringBuilder();
          for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
            row.append(rs.getObject(c)).append('\u0000');
          }
          return row.toString();
        }).list();
        rows.stream().sorted().forEach(row -> sha.update(row.getBytes(StandardCharsets.UTF_8)));
      }
      return HexFormat.of().formatHex(sha.digest());
    });
  }

  /** A POST to a mutating route with a body derived from the route's valid one. */
  record Call(String path, byte[] body, boolean idempotencyKey) {
    @Override
    public String toString() {
      return path + (idempotencyKey ? " (Idempotency-Key)" : "") + " " + JsonArbitraries.text(body);
    }
  }

  @Provide
  Arbitrary<Call> calls() {
    return Arbitraries.of(routes).flatMap(route -> Combinators.combine(JsonArbitraries.bodiesLike(route.valid()),
        Arbitraries.of(true, false)).as((body, key) -> new Call(route.path(), body, key)));
  }

  @Property(tries = 240, seed = "20261125")
  void mutated_bodies_on_every_mutating_route_are_refused_cleanly_and_change_nothing(@ForAll("calls") Call call) {
    String before = digest();
    var r = client.postBytes(call.path(), call.body(),
        call.idempotencyKey() ? Map.of("Idempotency-Key", "fuzz-" + Integer.toHexString(call.hashCode())) : Map.of());
    String what = call + " -> " + r.body();
    assertThat(r.status()).as(what).isLessThan(500);
    Statistics.collect(r.status() >= 400 ? "refused" : "accepted");
    Statistics.coverage(c -> c.check("refused").percentage(p -> p > 50));
    if (r.status() >= 400) {
      assertThat(r.contentType()).as(what).startsWith("application/problem+json");
      assertThat(r.json().get("status").asInt()).as(what).isEqualTo(r.status());
      assertThat(digest()).as("state changed by a refused request: " + what).isEqualTo(before);
    }
  }

  @Provide
  Arbitrary<String> params() {
    return Arbitraries.oneOf(JsonArbitraries.hostileStrings(), Arbitraries.longs().map(l -> Long.toString(l)),
        Arbitraries.integers().between(0, 999).map(i -> "X" + i));
  }

  @Property(tries = 80, seed = "20261126")
  void hostile_path_segments_and_query_parameters_have_no_effect(@ForAll("params") String param) {
    String before = digest();
    long drivers = count("driver");
    String value = URLEncoder.encode(param, StandardCharsets.UTF_8).replace("+", "%20");
    for (String template : List.of("/v1/authorizations/%s", "/v1/loads/%s", "/v1/bols/%s", "/v1/bols/%s/pdf",
        "/v1/bols?afterSeq=%s", "/v1/bols?limit=%s", "/v1/audit?afterSeq=%s", "/v1/audit?limit=%s")) {
      String path = String.format(template, value);
      TerminalClient.Reply r;
      try (TerminalClient once = new TerminalClient(agent.port())) {
        r = once.get(path);
      }
      assertThat(r.status()).as(path + " -> " + r.body()).isLessThan(500);
      if (r.status() >= 400) {
        assertThat(r.contentType()).as(path).startsWith("application/problem+json");
      }
    }
    // in the path of mutating routes, with a valid body
    for (String path : List.of("/v1/loads/" + value + "/complete", "/v1/loads/" + value + "/cancel",
        "/v1/tanks/" + value + "/gauge-readings", "/v1/cards/" + value + "/unlock")) {
      String body = path.endsWith("complete") ? "{\"compartments\":[{\"compartment\":1,\"grossGallons\":1.0,"
          + "\"temperatureF\":60.0}]}" : path.endsWith("gauge-readings")
          ? "{\"grossGallons\":1.0,\"temperatureF\":60.0}" : "{}";
      TerminalClient.Reply r;
      // a fresh connection each: the agent may close one after refusing a malformed path, and a
      // client must not reuse it for the next POST
      try (TerminalClient once = new TerminalClient(agent.port())) {
        r = once.post(path, body);
      }
      assertThat(r.status()).as(path + " -> " + r.body()).isBetween(400, 499);
      assertThat(r.contentType()).as(path).startsWith("application/problem+json");
    }
    assertThat(digest()).isEqualTo(before);
    assertThat(count("driver")).isEqualTo(drivers);
  }

  @Example
  void oversized_bodies_are_refused_with_413_on_the_declared_length() throws Exception {
    String before = digest();
    byte[] big = ("{\"cardNumber\":\"" + "9".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII);
    // every mutating route; OversizedBodyTest holds back the body entirely, and refuses chunked bodies
    for (String path : List.of("/v1/authorizations", "/v1/loads", "/v1/loads/X/complete", "/v1/loads/X/cancel",
        "/v1/tanks/TK1/gauge-readings", "/v1/cards/C1/unlock")) {
      String answer = rawPost(path, big);
      assertThat(answer).as(path).startsWith("HTTP/1.1 413");
      assertThat(answer.toLowerCase(java.util.Locale.ROOT)).as(path).contains("application/problem+json");
    }
    assertThat(digest()).isEqualTo(before);
  }

  /**
   * A POST on a plain socket that declares the whole body but sends only its first KiB: the agent
   * must refuse on the declared length, before reading (or waiting for) the rest. Returns the answer's head.
   */
  private static String rawPost(String path, byte[] body) throws Exception {
    try (var socket = new java.net.Socket("127.0.0.1", agent.port())) {
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Authorization: Bearer " + io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET + "\r\n"
          + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, Math.min(body.length, 1024)); // the declared length alone must be enough to refuse it
      out.flush();
      var in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1; ) {
        head.append((char) b);
      }
      return head.toString();
    }
  }

  /** An Authorization header that is absent, or anything but a credential of the site. */
  @Provide
  Arbitrary<String> bearers() {
    return Arbitraries.oneOf(Arbitraries.just(""), JsonArbitraries.hostileStrings()
        .map(s -> "Bearer " + s.replaceAll("[^\\x21-\\x7e]", "?")));
  }

  @Property(tries = 50, seed = "20261127")
  void without_a_credential_no_generated_request_gets_past_the_door(@ForAll("calls") Call call,
      @ForAll("bearers") String authorization) {
    String before = digest();
    TerminalClient.Reply r;
    try (TerminalClient anonymous = new TerminalClient(agent.port(), null)) {
      r = anonymous.postBytes(call.path(), call.body(),
          authorization.isEmpty() ? Map.of() : Map.of("Authorization", authorization));
    }
    assertThat(r.status()).as(call + " " + authorization + " -> " + r.body()).isEqualTo(401);
    assertThat(digest()).isEqualTo(before);
  }

  private static long count(String table) {
    return agent.database().reader().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table)
        .mapTo(Long.class).one());
  }
}
