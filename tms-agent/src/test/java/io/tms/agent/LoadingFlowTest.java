package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.complete;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.reading;
import static io.tms.agent.TerminalClient.start;
import static io.tms.agent.TestSite.CUSTOMER;
import static io.tms.agent.TestSite.GOOD_CARD;
import static io.tms.agent.TestSite.PIN;
import static io.tms.agent.TestSite.RUL;
import static io.tms.agent.TestSite.TRUCK;
import static io.tms.agent.TestSite.ULSD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.agent.store.OutboxStore;
import io.tms.protocol.v1.Lane;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Authorize → start → complete → BOL over real HTTP on a real SQLite file. */
class LoadingFlowTest extends AgentTestBase {

  @Test
  void a_full_load_cycle_issues_a_bol_and_moves_book_and_reserve() {
    var auth = client.post("/v1/authorizations",
        authorize(GOOD_CARD, PIN, TRUCK, intent(1, CUSTOMER, ULSD), intent(2, CUSTOMER, RUL, 2_500)));
    assertThat(auth.status()).isEqualTo(201);
    JsonNode decision = auth.json();
    assertThat(decision.get("approved").asBoolean()).as(auth.body()).isTrue();
    assertThat(decision.get("compartments").get(0).get("maxGallons").asLong()).isEqualTo(3_000);
    String authId = decision.get("authorizationId").asText();

    var started = client.post("/v1/loads", start(authId, "B1", Map.of(1, 3_000L, 2, 2_500L)));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String loadId = started.json().get("loadId").asText();
    assertThat(started.json().get("bayId").asText()).isEqualTo("B1");

    var done = client.post("/v1/loads/" + loadId + "/complete",
        complete(reading(1, 2_998.0, 75.0), reading(2, 2_500.0, 60.0)));
    assertThat(done.status()).as(done.body()).isEqualTo(201);
    JsonNode bol = done.json();
    assertThat(bol.get("bolNumber").asText()).isEqualTo("TEST1-00000001");
    assertThat(bol.get("lines")).hasSize(2);
    JsonNode diesel = bol.get("lines").get(0);
    assertThat(diesel.get("netGallons").asDouble()).isLessThan(2_998.0); // warm product shrinks at 60 °F
    JsonNode gasoline = bol.get("lines").get(1);
    assertThat(gasoline.get("ctl").asDouble()).isEqualTo(1.0);
    assertThat(gasoline.get("netGallons").asDouble()).isEqualTo(2_500.0);
    assertThat(bol.get("totalGrossGallons").asDouble()).isEqualTo(5_498.0);

    var reprint = client.get("/v1/bols/TEST1-00000001");
    assertThat(reprint.status()).isEqualTo(200);
    assertThat(reprint.json().get("loadId").asText()).isEqualTo(loadId);
    assertThat(client.getBytes("/v1/bols/TEST1-00000001/pdf")).startsWith("%PDF".getBytes());

    var tanks = client.get("/v1/tanks").json();
    JsonNode tk1 = find(tanks, "id", "TK1");
    assertThat(tk1.get("bookNetGallons").asDouble())
        .isEqualTo(io.tms.domain.Gallons.tenths(500_000 - diesel.get("netGallons").asDouble()));

    Long[] reserve = agent.database().reader().withHandle(h -> h.createQuery(
            "SELECT consumed_gal, held_gal FROM reserve WHERE allocation_id = 'AL1'")
        .map((rs, c) -> new Long[] {rs.getLong(1), rs.getLong(2)}).one());
    assertThat(reserve).containsExactly(2_998L, 0L);

    var bays = client.get("/v1/bays").json();
    assertThat(find(bays.get("bays"), "id", "B1").get("status").asText()).isEqualTo("IDLE");

    // authorization, load, inventory move x2, BOL: all in the outbox, chained
    OutboxStore outbox = new OutboxStore(Json.mapper());
    var check = agent.database().reader().withHandle(h -> outbox.verify(h, Lane.BUSINESS));
    assertThat(check.ok()).isTrue();
    assertThat(check.events()).isEqualTo(5);
    var status = client.get("/v1/status").json();
    assertThat(status.get("outbox").get("BUSINESS").get("depth").asLong()).isEqualTo(5);
    assertThat(status.get("bolsIssued").asLong()).isEqualTo(1);
  }

  @Test
  void a_bay_with_a_truck_is_busy_and_the_truck_waits_in_the_queue() {
    String first = approved(TRUCK);
    String second = approved(TestSite.TRUCK2);
    assertThat(client.get("/v1/bays").json().get("queue")).hasSize(2);

    assertThat(client.post("/v1/loads", start(first, "B1", Map.of(1, 1_000L))).status()).isEqualTo(201);
    var busy = client.post("/v1/loads", start(second, "B1", Map.of(1, 1_000L)));
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.json().get("field").asText()).isEqualTo("bayId");

    var queue = client.get("/v1/bays").json().get("queue");
    assertThat(queue).hasSize(1);
    assertThat(queue.get(0).get("authorizationId").asText()).isEqualTo(second);
    // without a bay the agent picks the first free one that carries the products
    var auto = client.post("/v1/loads", start(second, null, Map.of(1, 1_000L)));
    assertThat(auto.status()).isEqualTo(201);
    assertThat(auto.json().get("bayId").asText()).isEqualTo("B2");
  }

  @Test
  void permissives_must_be_ok_before_flow() {
    String auth = approved(TRUCK);
    var body = new java.util.HashMap<>(start(auth, "B1", Map.of(1, 1_000L)));
    body.put("permissives", Map.of("groundOk", true, "overfillOk", false));
    var r = client.post("/v1/loads", body);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("field").asText()).isEqualTo("permissives.overfillOk");
    assertThat(client.get("/v1/bays").json().get("queue")).hasSize(1);
  }

  @Test
  void a_cancelled_load_gives_its_hold_back() {
    String auth = approved(TRUCK);
    String load = client.post("/v1/loads", start(auth, "B1", Map.of(1, 3_000L))).json().get("loadId").asText();
    assertThat(held("AL1")).isEqualTo(3_000);
    assertThat(client.post("/v1/loads/" + load + "/cancel", Map.of("reason", "driver left")).status()).isEqualTo(200);
    assertThat(held("AL1")).isZero();
    assertThat(client.post("/v1/loads/" + load + "/complete", complete(reading(1, 10, 60))).status()).isEqualTo(409);
  }

  @Test
  void gauge_readings_show_book_minus_gauge() {
    var r = client.post("/v1/tanks/TK2/gauge-readings",
        Map.of("grossGallons", 499_000.0, "waterGallons", 120.0, "temperatureF", 60.0));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode tk2 = find(client.get("/v1/tanks").json(), "id", "TK2");
    assertThat(tk2.get("lastGauge").get("netGallons").asDouble()).isEqualTo(499_000.0);
    assertThat(tk2.get("bookMinusGaugeGallons").asDouble()).isEqualTo(1_000.0);
    assertThat(client.post("/v1/tanks/NOPE/gauge-readings",
        Map.of("grossGallons", 1.0, "temperatureF", 60.0)).status()).isEqualTo(404);
  }

  @Test
  void health_metrics_and_openapi_are_served() {
    approved(TRUCK);
    assertThat(client.get("/livez").status()).isEqualTo(200);
    assertThat(client.get("/readyz").status()).isEqualTo(200);
    String metrics = client.get("/metrics").body();
    assertThat(metrics).contains("tms_authorizations_total{deny_code=\"none\",outcome=\"approved\"");
    assertThat(metrics).contains("tms_http_requests_seconds_bucket");
    assertThat(metrics).contains("tms_outbox_depth{lane=\"business\"");
    // where the writes' time went: each phase of the writer counted once per write answered
    for (String phase : List.of("queued", "committing", "flushing")) {
      assertThat(metrics).contains("tms_writer_unit_seconds_bucket{phase=\"" + phase + "\"");
    }
    assertThat(metrics).contains("tms_writer_batch_units_count{").contains("tms_writer_flush_seconds_count{");
    var openapi = client.get("/openapi.json");
    assertThat(openapi.status()).isEqualTo(200);
    assertThat(openapi.json().get("paths").has("/v1/authorizations")).isTrue();
  }

  private long held(String allocation) {
    return agent.database().reader().withHandle(h -> h.createQuery(
        "SELECT held_gal FROM reserve WHERE allocation_id = ?").bind(0, allocation).mapTo(Long.class).one());
  }

  private String approved(String truck) {
    return approved(GOOD_CARD, truck);
  }

  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.get(field).asText().equals(value)) {
        return n;
      }
    }
    throw new AssertionError(value + " not in " + array);
  }
}
