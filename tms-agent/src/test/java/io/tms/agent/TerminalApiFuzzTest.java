package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.complete;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.reading;
import static io.tms.agent.TerminalClient.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generated hostile requests against every terminal API route (DESIGN §5, input): mutated and
 * random JSON bodies, injection and traversal strings in paths and query parameters, oversized
 * bodies. Never a 5xx, every refusal is problem+json, a refused request leaves the database exactly
 * as it was (a digest of every table), and the process keeps serving. Seeded: a failure names its case.
 */
class TerminalApiFuzzTest extends AgentTestBase {
  private static final long SEED = 20261125L;
  private static final int CASES_PER_ROUTE = 30;

  /** A digest of every row of every table: equal before and after means nothing changed. */
  private String digest() {
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

  private record Route(String path, JsonNode valid) {}

  @Test
  void mutated_bodies_on_every_mutating_route_are_refused_cleanly_and_change_nothing() {
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK);
    String auth2 = approved(TestSite.SECOND_CARD, TestSite.TRUCK2);
    String load = client.post("/v1/loads", start(auth, "B1", Map.of(1, 1_000L))).json().get("loadId").asText();
    List<Route> routes = List.of(
        new Route("/v1/authorizations", JsonMutator.tree(authorize(TestSite.GOOD_CARD, "9999", TestSite.TRUCK,
            intent(1, TestSite.CUSTOMER, TestSite.ULSD, 1_000)))),
        new Route("/v1/loads", JsonMutator.tree(start(auth2, "B2", Map.of(1, 1_000L)))),
        new Route("/v1/loads/" + load + "/complete", JsonMutator.tree(complete(reading(1, 999.0, 61.0)))),
        new Route("/v1/loads/" + load + "/cancel", JsonMutator.tree(Map.of("reason", "fuzz", "operator", "op"))),
        new Route("/v1/tanks/TK1/gauge-readings", JsonMutator.tree(Map.of("grossGallons", 400_000.0,
            "waterGallons", 10.0, "temperatureF", 70.0, "operator", "op"))),
        new Route("/v1/cards/" + TestSite.GOOD_CARD + "/unlock", JsonMutator.tree(Map.of("operator", "op"))));
    JsonMutator m = new JsonMutator(SEED);
    int refused = 0;
    String before = digest();
    for (Route route : routes) {
      for (int i = 0; i < CASES_PER_ROUTE; i++) {
        byte[] body = m.mutate(route.valid());
        var r = client.postBytes(route.path(), body, i % 3 == 0 ? Map.of("Idempotency-Key", "fuzz-" + i) : Map.of());
        String what = route.path() + " case " + i + " (seed " + SEED + "): " + JsonMutator.text(body) + " -> " + r.body();
        assertThat(r.status()).as(what).isLessThan(500);
        if (r.status() >= 400) {
          refused++;
          assertThat(r.contentType()).as(what).startsWith("application/problem+json");
          assertThat(r.json().get("status").asInt()).as(what).isEqualTo(r.status());
          assertThat(digest()).as("state changed by a refused request: " + what).isEqualTo(before);
        } else {
          before = digest(); // an accepted mutation (a valid operator name, say) may change state
        }
      }
    }
    assertThat(refused).as("most mutations are refused").isGreaterThan(routes.size() * CASES_PER_ROUTE / 2);
    assertThat(client.get("/livez").status()).isEqualTo(200);
    assertThat(client.get("/v1/status").status()).isEqualTo(200);
  }

  @Test
  void hostile_path_segments_and_query_parameters_have_no_effect() {
    JsonMutator m = new JsonMutator(SEED + 1);
    String before = digest();
    long drivers = count("driver");
    List<String> templates = List.of("/v1/authorizations/%s", "/v1/loads/%s", "/v1/bols/%s", "/v1/bols/%s/pdf",
        "/v1/bols?afterSeq=%s", "/v1/bols?limit=%s", "/v1/audit?afterSeq=%s", "/v1/audit?limit=%s");
    for (int i = 0; i < 200; i++) {
      String template = m.pick(templates);
      String value = URLEncoder.encode(m.param(), StandardCharsets.UTF_8).replace("+", "%20");
      String path = String.format(template, value);
      var r = client.get(path);
      assertThat(r.status()).as(path + " -> " + r.body()).isLessThan(500);
      if (r.status() >= 400) {
        assertThat(r.contentType()).as(path).startsWith("application/problem+json");
      }
    }
    // injection strings in the path of mutating routes, with a valid body
    for (String hostile : JsonMutator.HOSTILE) {
      String seg = URLEncoder.encode(hostile, StandardCharsets.UTF_8).replace("+", "%20");
      for (String path : List.of("/v1/loads/" + seg + "/complete", "/v1/loads/" + seg + "/cancel",
          "/v1/tanks/" + seg + "/gauge-readings", "/v1/cards/" + seg + "/unlock")) {
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
    }
    assertThat(digest()).isEqualTo(before);
    assertThat(count("driver")).isEqualTo(drivers);
  }

  @Test
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
    assertThat(client.get("/livez").status()).isEqualTo(200);
  }

  /**
   * A POST on a plain socket that declares the whole body but sends only its first KiB: the agent
   * must refuse on the declared length, before reading (or waiting for) the rest. Returns the answer's head.
   */
  private String rawPost(String path, byte[] body) throws Exception {
    try (var socket = new java.net.Socket("127.0.0.1", agent.port())) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Authorization: Bearer " + io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET + "\r\n"
          + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, Math.min(body.length, 1024)); // the declared length alone must be enough to refuse it
      out.flush();
      // the head only: the server may keep the connection open a while after answering
      var in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1; ) {
        head.append((char) b);
      }
      return head.toString();
    }
  }

  @Test
  void without_a_credential_no_generated_request_gets_past_the_door() {
    TerminalClient anonymous = new TerminalClient(agent.port(), null);
    JsonMutator m = new JsonMutator(SEED + 2);
    String before = digest();
    JsonNode valid = JsonMutator.tree(authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK,
        intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
    for (int i = 0; i < 50; i++) {
      var r = anonymous.postBytes("/v1/authorizations", i == 0 ? JsonMutator.bytes(valid) : m.mutate(valid),
          i % 2 == 0 ? Map.of() : Map.of("Authorization", "Bearer " + m.param().replaceAll("[^\\x21-\\x7e]", "?")));
      assertThat(r.status()).isEqualTo(401);
    }
    assertThat(digest()).isEqualTo(before);
  }
}
