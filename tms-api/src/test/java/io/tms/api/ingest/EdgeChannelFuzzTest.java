package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tms.api.Cloud;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import io.tms.protocol.v1.Lane;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generated hostile requests on the edge channel in plain-HTTP mode (uplink batches, heartbeats,
 * feed parameters): never a 5xx, every refusal problem+json, a refused request changes no table
 * (a digest of every row), oversized bodies get 413 on their declared length, and the service
 * keeps serving. The one designed exception: a batch whose hash chain does not verify is recorded as
 * a break of the site's lane ({@code edge_cursor}), which the test clears as an operator would.
 */
class EdgeChannelFuzzTest {
  private static final long SEED = 5_2026L;
  private static final List<String> HOSTILE = List.of(
      "' OR '1'='1", "HOU1'; DROP TABLE bol; --", "../../../../etc/passwd", "%2e%2e%2f", "\u0000", "line\nbreak",
      "", "x".repeat(300), "NaN", "-1", "1e400", "DAL1", "hou1", "{}", "\uD83D\uDE00");

  private Cloud cloud;
  private String adminToken;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final SplittableRandom random = new SplittableRandom(SEED);

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    adminToken = TestAuth.adminToken(cloud); // before any digest: minting one writes a row
    base = URI.create("http://127.0.0.1:" + cloud.port());
    cloud.database().jdbi().useHandle(h -> {
      h.execute("INSERT INTO site (code, name, zone) VALUES ('HOU1', 'Houston', 'America/Chicago')");
      h.execute("INSERT INTO site (code, name, zone) VALUES ('DAL1', 'Dallas', 'America/Chicago')");
    });
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  /**
   * Every row of every table as one digest, except the lane cursors (see the class comment) and the
   * reserve job's own log of its rounds, which it writes every few seconds whatever the requests.
   */
  private String digest() {
    return cloud.database().jdbi().withHandle(h -> {
      StringBuilder all = new StringBuilder();
      for (String table : h.createQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
          + "AND tablename NOT IN ('edge_cursor', 'reserve_round', 'flyway_schema_history') ORDER BY tablename")
          .mapTo(String.class).list()) {
        all.append(table).append('=').append(h.createQuery("SELECT coalesce(md5(string_agg(md5(t::text), ',' "
            + "ORDER BY md5(t::text))), '') FROM \"" + table + "\" t").mapTo(String.class).one()).append(';');
      }
      return all.toString();
    });
  }

  /** Sends as an admin: the admin routes among the cases answer on their merits, not 401. */
  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(TestAuth.bearer(b, adminToken).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void assertProblem(HttpResponse<String> r, String what) throws Exception {
    assertThat(r.statusCode()).as(what + " -> " + r.body()).isBetween(400, 499);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
    assertThat(json.readTree(r.body()).get("status").asInt()).as(what).isEqualTo(r.statusCode());
  }

  @Test
  void mutated_uplink_batches_and_heartbeats_are_refused_cleanly_and_change_nothing() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS);
    edge.load(1, "CUST1", "RUL87");
    edge.gauge("T1", 90_000);
    EdgeAuditIngestTest.audits(edge, 2);
    JsonNode batch = edge.json.valueToTree(edge.batch(1, edge.events.size()));
    JsonNode heartbeat = json.readTree("{\"siteCode\":\"ZZZ9\",\"version\":\"1.0\",\"configVersion\":\"c1\","
        + "\"startedAt\":\"2026-05-01T06:00:00Z\",\"uptimeSeconds\":60,\"outbox\":{\"BUSINESS\":{\"depth\":3,"
        + "\"oldestAgeSeconds\":5,\"dropped\":0}},\"lastSyncAt\":null,\"rev\":0,\"diskFreeBytes\":1000,"
        + "\"heapUsedBytes\":1000,\"rssBytes\":1000,\"certificateExpires\":null,\"sentAt\":\"2026-05-01T06:01:00Z\"}");
    String before = digest();
    int refused = 0;
    for (int i = 0; i < 120; i++) {
      boolean events = i % 2 == 0;
      byte[] body = mutate(events ? batch : heartbeat);
      // heartbeats go to a site that is not registered, so none is ever accepted (and buffered for later)
      String path = events ? "/edge/v1/sites/HOU1/events" : "/edge/v1/sites/ZZZ9/heartbeat";
      var r = send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
      String what = path + " case " + i + " (seed " + SEED + "): " + new String(body, StandardCharsets.UTF_8);
      assertThat(r.statusCode()).as(what + " -> " + r.body()).isLessThan(500);
      if (r.statusCode() >= 400) {
        refused++;
        assertProblem(r, what);
        assertThat(digest()).as("state changed by a refused request: " + what).isEqualTo(before);
        send(HttpRequest.newBuilder(base.resolve("/v1/sites/HOU1/uplink/BUSINESS/break")).DELETE());
      } else {
        before = digest();
      }
    }
    assertThat(refused).isGreaterThan(60);
    assertThat(send(HttpRequest.newBuilder(base.resolve("/livez"))).statusCode()).isEqualTo(200);
  }

  @Test
  void hostile_sites_and_feed_parameters_have_no_effect() throws Exception {
    String before = digest();
    for (String hostile : HOSTILE) {
      String seg = URLEncoder.encode(hostile, StandardCharsets.UTF_8).replace("+", "%20");
      for (String path : List.of("/edge/v1/sites/" + seg + "/changes", "/edge/v1/sites/HOU1/changes?after=" + seg,
          "/edge/v1/sites/HOU1/changes?limit=" + seg, "/edge/v1/sites/HOU1/changes?waitMs=" + seg,
          "/v1/sites/" + seg + "/audit", "/v1/sites/HOU1/audit?afterSeq=" + seg)) {
        var r = send(HttpRequest.newBuilder(base.resolve(path)));
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isLessThan(500);
        if (r.statusCode() >= 400) {
          assertProblem(r, path);
        }
      }
      for (String path : List.of("/edge/v1/sites/" + seg + "/events", "/edge/v1/sites/" + seg + "/heartbeat")) {
        var r = send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"siteCode\":\"" + hostile.replace("\"", "") + "\"}")));
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isLessThan(500);
        assertProblem(r, path);
      }
    }
    assertThat(digest()).isEqualTo(before);
  }

  @Test
  void oversized_bodies_are_refused_with_413_on_the_declared_length() throws Exception {
    String before = digest();
    long declared = cloud.config().maxBodyBytes() + 1L;
    for (String path : List.of("/edge/v1/sites/HOU1/events", "/edge/v1/sites/HOU1/heartbeat")) {
      try (Socket socket = new Socket("127.0.0.1", cloud.port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
            + "\r\nConnection: close\r\nContent-Length: " + declared + "\r\n\r\n{\"siteCode\":\"HOU1\"")
            .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        var in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1; ) {
          head.append((char) b);
        }
        assertThat(head.toString()).as(path).startsWith("HTTP/1.1 413");
        assertThat(head.toString().toLowerCase(java.util.Locale.ROOT)).contains("application/problem+json");
      }
    }
    assertThat(digest()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- generated inputs

  private byte[] mutate(JsonNode valid) throws Exception {
    int kind = random.nextInt(10);
    if (kind == 0) {
      return json.writeValueAsBytes(randomValue(3));
    }
    byte[] text = json.writeValueAsBytes(valid);
    if (kind == 1) {
      return java.util.Arrays.copyOf(text, random.nextInt(text.length));
    }
    if (kind == 2) {
      text[random.nextInt(text.length)] = (byte) random.nextInt(256);
      return text;
    }
    JsonNode copy = valid.deepCopy();
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      List<JsonNode> containers = new ArrayList<>();
      collect(copy, containers);
      JsonNode target = containers.get(random.nextInt(containers.size()));
      if (target instanceof ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        if (names.isEmpty() || random.nextInt(4) == 0) {
          o.set("unknown" + random.nextInt(3), randomValue(1));
        } else if (random.nextInt(3) == 0) {
          o.remove(names.get(random.nextInt(names.size())));
        } else {
          o.set(names.get(random.nextInt(names.size())), randomValue(2));
        }
      } else if (target instanceof ArrayNode a) {
        if (!a.isEmpty() && random.nextBoolean()) {
          a.remove(random.nextInt(a.size()));
        } else {
          a.add(randomValue(2));
        }
      }
    }
    return json.writeValueAsBytes(copy);
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.forEach(child -> collect(child, out));
    }
  }

  private JsonNode randomValue(int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (random.nextInt(depth > 0 ? 10 : 8)) {
      case 0 -> f.nullNode();
      case 1 -> f.booleanNode(random.nextBoolean());
      case 2 -> f.numberNode(random.nextLong());
      case 3 -> f.numberNode(-1 - random.nextInt(100));
      case 4 -> f.numberNode(new java.math.BigDecimal("1e400"));
      case 5, 6 -> f.textNode(HOSTILE.get(random.nextInt(HOSTILE.size())));
      case 7 -> f.textNode(Long.toString(random.nextInt(1000)));
      case 8 -> {
        ArrayNode a = f.arrayNode();
        for (int i = 0; i < random.nextInt(3); i++) {
          a.add(randomValue(depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = f.objectNode();
        o.set("f", randomValue(depth - 1));
        yield json.valueToTree(Map.of("nested", o));
      }
    };
  }
}
