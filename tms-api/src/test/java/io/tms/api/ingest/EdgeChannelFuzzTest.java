package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import io.tms.api.JsonArbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * jqwik properties over generated hostile requests on the edge channel in plain-HTTP mode (uplink
 * batches, heartbeats, feed parameters): never a 5xx, every refusal problem+json, a refused request
 * changes no table (a digest of every row), oversized bodies get 413 on their declared length, and
 * the service keeps serving. The one designed exception: a batch whose hash chain does not verify is
 * recorded as a break of the site's lane ({@code edge_cursor}), which the test clears as an operator
 * would. Fixed seeds: CI runs the same cases; jqwik prints a falsifying case shrunk.
 */
class EdgeChannelFuzzTest {
  private static Cloud cloud;
  private static String adminToken;
  private static URI base;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();

  @BeforeContainer
  static void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    adminToken = TestAuth.adminToken(cloud); // before any digest: minting one writes a row
    base = URI.create("http://127.0.0.1:" + cloud.port());
    cloud.database().jdbi().useHandle(h -> {
      h.execute("INSERT INTO site (code, name, zone) VALUES ('HOU1', 'Houston', 'America/Chicago')");
      h.execute("INSERT INTO site (code, name, zone) VALUES ('DAL1', 'Dallas', 'America/Chicago')");
    });
  }

  @AfterContainer
  static void stop() throws Exception {
    if (cloud != null) {
      assertThat(send(HttpRequest.newBuilder(base.resolve("/livez"))).statusCode()).as("still serving").isEqualTo(200);
      cloud.close();
    }
  }

  /**
   * Every row of every table as one digest, except the lane cursors (see the class comment) and the
   * reserve job's own log of its rounds, which it writes every few seconds whatever the requests.
   */
  private static String digest() {
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
  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(TestAuth.bearer(b, adminToken).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * On a connection of its own: Jetty closes one after refusing a malformed path (a NUL, say), and
   * a client must not reuse it for the next request.
   */
  private static HttpResponse<String> sendOnce(HttpRequest.Builder b) throws Exception {
    try (HttpClient once = HttpClient.newHttpClient()) {
      return once.send(TestAuth.bearer(b, adminToken).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static void assertProblem(HttpResponse<String> r, String what) throws Exception {
    assertThat(r.statusCode()).as(what + " -> " + r.body()).isBetween(400, 499);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
    assertThat(json.readTree(r.body()).get("status").asInt()).as(what).isEqualTo(r.statusCode());
  }

  /** A body for the uplink ({@code events}) or the heartbeat route, derived from a valid one. */
  record EdgeCase(boolean events, byte[] body) {
    @Override
    public String toString() {
      return (events ? "events " : "heartbeat ") + JsonArbitraries.text(body);
    }
  }

  @Provide
  Arbitrary<EdgeCase> edgeCases() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS);
    edge.load(1, "CUST1", "RUL87");
    edge.gauge("T1", 90_000);
    EdgeAuditIngestTest.audits(edge, 2);
    JsonNode batch = edge.json.valueToTree(edge.batch(1, edge.events.size()));
    JsonNode heartbeat = json.readTree("{\"siteCode\":\"ZZZ9\",\"version\":\"1.0\",\"configVersion\":\"c1\","
        + "\"startedAt\":\"2026-05-01T06:00:00Z\",\"uptimeSeconds\":60,\"outbox\":{\"BUSINESS\":{\"depth\":3,"
        + "\"oldestAgeSeconds\":5,\"dropped\":0}},\"lastSyncAt\":null,\"rev\":0,\"diskFreeBytes\":1000,"
        + "\"heapUsedBytes\":1000,\"rssBytes\":1000,\"certificateExpires\":null,\"sentAt\":\"2026-05-01T06:01:00Z\"}");
    return Arbitraries.oneOf(JsonArbitraries.bodiesLike(batch).map(b -> new EdgeCase(true, b)),
        JsonArbitraries.bodiesLike(heartbeat).map(b -> new EdgeCase(false, b)));
  }

  @Property(tries = 150, seed = "52026")
  void mutated_uplink_batches_and_heartbeats_are_refused_cleanly_and_change_nothing(
      @ForAll("edgeCases") EdgeCase c) throws Exception {
    String before = digest();
    // heartbeats go to a site that is not registered, so none is ever accepted (and buffered for later)
    String path = c.events() ? "/edge/v1/sites/HOU1/events" : "/edge/v1/sites/ZZZ9/heartbeat";
    var r = send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(c.body())));
    String what = path + ": " + c;
    assertThat(r.statusCode()).as(what + " -> " + r.body()).isLessThan(500);
    Statistics.collect(r.statusCode() >= 400 ? "refused" : "accepted");
    Statistics.coverage(k -> k.check("refused").percentage(p -> p > 50));
    if (r.statusCode() >= 400) {
      assertProblem(r, what);
      assertThat(digest()).as("state changed by a refused request: " + what).isEqualTo(before);
      send(HttpRequest.newBuilder(base.resolve("/v1/sites/HOU1/uplink/BUSINESS/break")).DELETE());
    }
  }

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(JsonArbitraries.hostileStrings(), Arbitraries.of("DAL1", "hou1", "x".repeat(300)));
  }

  @Property(tries = 60, seed = "52027")
  void hostile_sites_and_feed_parameters_have_no_effect(@ForAll("hostile") String hostile) throws Exception {
    String before = digest();
    {
      String seg = URLEncoder.encode(hostile, StandardCharsets.UTF_8).replace("+", "%20");
      for (String path : List.of("/edge/v1/sites/" + seg + "/changes", "/edge/v1/sites/HOU1/changes?after=" + seg,
          "/edge/v1/sites/HOU1/changes?limit=" + seg, "/edge/v1/sites/HOU1/changes?waitMs=" + seg,
          "/v1/sites/" + seg + "/audit", "/v1/sites/HOU1/audit?afterSeq=" + seg)) {
        var r = sendOnce(HttpRequest.newBuilder(base.resolve(path)));
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isLessThan(500);
        if (r.statusCode() >= 400) {
          assertProblem(r, path);
        }
      }
      for (String path : List.of("/edge/v1/sites/" + seg + "/events", "/edge/v1/sites/" + seg + "/heartbeat")) {
        String body = "{\"siteCode\":\"" + hostile.replace("\"", "") + "\"}";
        HttpResponse<String> r;
        try {
          r = sendOnce(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)));
        } catch (java.io.IOException e) {
          throw new AssertionError("no answer to POST " + path + " with code points "
              + java.util.Arrays.toString(hostile.codePoints().toArray()), e);
        }
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isLessThan(500);
        assertProblem(r, path);
      }
    }
    assertThat(digest()).isEqualTo(before);
  }

  @Example
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
}
