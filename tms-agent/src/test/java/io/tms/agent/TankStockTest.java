package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.protocol.v1.EventTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Product into tanks (receipts, the opening balance) and the rule that a load only starts from a
 * tank whose book covers it: each a movement with its outbox event, each refusal changing nothing.
 */
class TankStockTest extends AgentTestBase {

  private double book(String tank) {
    for (JsonNode t : client.get("/v1/tanks").json()) {
      if (t.get("id").asText().equals(tank)) {
        return t.get("bookNetGallons").asDouble();
      }
    }
    throw new AssertionError("no tank " + tank);
  }

  private List<String> movedEvents() {
    return agent.database().reader().withHandle(h -> h.createQuery(
            "SELECT body FROM outbox WHERE lane = 'BUSINESS' AND type = ? ORDER BY seq")
        .bind(0, EventTypes.INVENTORY_MOVED).mapTo(String.class).list());
  }

  /** Test set-up: the tank's book as a site that ran for a while would have it (no API sets a book). */
  private void drawDown(String tank, double net) {
    agent.database().writer().write(ctx -> ctx.handle().execute(
        "UPDATE tank_inventory SET book_net_gal = ? WHERE tank_id = ?", net, tank));
  }

  @Test
  void a_receipt_raises_the_book_with_a_movement_its_event_and_an_audit_entry_once_per_key() {
    var key = Map.of("Idempotency-Key", "ticket-77");
    var r = client.post("/v1/tanks/TK1/receipts",
        Map.of("source", "PIPELINE", "netGallons", 100_000.0, "ticket", "COL-2211", "operator", "jsmith"), key);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("reason").asText()).isEqualTo("RECEIPT");
    assertThat(r.json().get("reference").asText()).isEqualTo(TestSite.CODE + "-R1");
    assertThat(r.json().get("deltaNetGallons").asDouble()).isEqualTo(100_000.0);
    assertThat(r.json().get("bookNetGallonsAfter").asDouble()).isEqualTo(600_000.0);
    // a retry (the answer got lost) is answered the same and moves nothing again
    var again = client.post("/v1/tanks/TK1/receipts",
        Map.of("source", "PIPELINE", "netGallons", 100_000.0, "ticket", "COL-2211", "operator", "jsmith"), key);
    assertThat(again.body()).isEqualTo(r.body());

    assertThat(book("TK1")).isEqualTo(600_000.0);
    assertThat(movedEvents()).singleElement().asString()
        .contains("\"reason\":\"RECEIPT\"", "\"reference\":\"TEST1-R1\"", "\"bookNetGallonsAfter\":600000.0");
    JsonNode audit = client.get("/v1/audit").json();
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("action").asText()).isEqualTo("tank.received");
    assertThat(audit.get(0).get("subject").asText()).isEqualTo("tank:TK1");
    assertThat(audit.get(0).get("detail").asText()).contains("COL-2211", "PIPELINE");
  }

  @Test
  void the_opening_balance_is_once_for_a_tank_whose_book_is_not_known() {
    // a tank the site has never booked (as a new site's tanks from the cloud)
    agent.database().writer().write(ctx -> ctx.handle().execute("DELETE FROM tank_inventory WHERE tank_id = 'TK3'"));
    var opened = client.post("/v1/tanks/TK3/receipts", Map.of("source", "OPENING", "netGallons", 350_000.0));
    assertThat(opened.status()).as(opened.body()).isEqualTo(201);
    assertThat(opened.json().get("reason").asText()).isEqualTo("OPENING");
    assertThat(book("TK3")).isEqualTo(350_000.0);

    String before = fingerprint();
    var twice = client.post("/v1/tanks/TK3/receipts", Map.of("source", "OPENING", "netGallons", 1_000.0));
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().get("field").asText()).isEqualTo("source");
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void bad_or_impossible_receipts_are_refused_naming_the_field_and_change_nothing() {
    String before = fingerprint();
    assertProblem(client.post("/v1/tanks/TK1/receipts", Map.of("netGallons", 1_000.0)), 400, "source");
    assertProblem(client.post("/v1/tanks/TK1/receipts", Map.of("source", "SHIP", "netGallons", 1_000.0)), 400, "source");
    assertProblem(client.post("/v1/tanks/TK1/receipts", Map.of("source", "BARGE")), 400, "netGallons");
    assertProblem(client.post("/v1/tanks/TK1/receipts", Map.of("source", "BARGE", "netGallons", -5.0)), 400, "netGallons");
    assertProblem(client.post("/v1/tanks/TK1/receipts", Map.of("source", "BARGE", "netGallons", "lots")), 400,
        "netGallons");
    assertProblem(client.post("/v1/tanks/TK1/receipts",
        Map.of("source", "BARGE", "netGallons", 5.0, "receivedAt", "2030-01-01T00:00:00Z")), 400, "receivedAt");
    assertProblem(client.post("/v1/tanks/NOPE/receipts", Map.of("source", "BARGE", "netGallons", 5.0)), 404, "tankId");
    // 500,000 in a 1,000,000 gal tank: 600,000 more would overfill it
    var over = client.post("/v1/tanks/TK1/receipts", Map.of("source", "BARGE", "netGallons", 600_000.0));
    assertProblem(over, 422, "netGallons");
    assertThat(over.json().get("detail").asText()).startsWith("TANK_OVERFILL");
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void a_load_starts_only_if_its_tank_covers_the_presets_after_the_loads_in_progress() {
    drawDown("TK1", 5_000);
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD),
        intent(2, TestSite.CUSTOMER, TestSite.ULSD));

    // 6,000 gal from a tank with 5,000: refused, and nothing is held or written
    String before = fingerprint();
    var refused = client.post("/v1/loads", start(auth, "B1", Map.of(1, 3_000L, 2, 3_000L)));
    assertProblem(refused, 422, "compartments");
    assertThat(refused.json().get("code").asText()).isEqualTo("RULE_VIOLATED");
    assertThat(refused.json().get("detail").asText()).startsWith("TANK_INSUFFICIENT: tank TK1");
    assertThat(fingerprint()).isEqualTo(before);

    // 3,000 fits; then a second truck's 3,000 from the same tank does not (5,000 − 3,000 in progress)
    assertThat(client.post("/v1/loads", start(auth, "B1", Map.of(1, 3_000L))).status()).isEqualTo(201);
    String second = approved(TestSite.SECOND_CARD, TestSite.TRUCK2, intent(1, TestSite.CUSTOMER, TestSite.ULSD));
    var blocked = client.post("/v1/loads", start(second, "B2", Map.of(1, 3_000L)));
    assertProblem(blocked, 422, "compartments");
    assertThat(blocked.json().get("detail").asText()).contains("3000 of it preset on loads in progress");

    // a barge comes in: the truck waiting for product loads
    assertThat(client.post("/v1/tanks/TK1/receipts", Map.of("source", "BARGE", "netGallons", 20_000.0)).status())
        .isEqualTo(201);
    assertThat(client.post("/v1/loads", start(second, "B2", Map.of(1, 3_000L))).status()).isEqualTo(201);
    assertThat(book("TK1")).isEqualTo(25_000.0);
  }

  @Test
  void a_book_that_was_never_opened_is_not_checked_and_its_opening_balance_replaces_it() {
    // as on a cloud-fed site upgraded from a version without receipts: loads drew TK1 below zero
    agent.database().writer().write(ctx -> ctx.handle().execute(
        "UPDATE tank_inventory SET book_net_gal = -4000, opened = 0 WHERE tank_id = 'TK1'"));
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD));
    var started = client.post("/v1/loads", start(auth, "B1", Map.of(1, 3_000L)));
    assertThat(started.status()).as("an unknown book does not stop the rack: " + started.body()).isEqualTo(201);

    var opened = client.post("/v1/tanks/TK1/receipts", Map.of("source", "OPENING", "netGallons", 300_000.0));
    assertThat(opened.status()).as(opened.body()).isEqualTo(201);
    assertThat(opened.json().get("deltaNetGallons").asDouble()).isEqualTo(304_000.0);
    assertThat(book("TK1")).isEqualTo(300_000.0);
    // known now: checked, and opened only once
    drawDown("TK1", 2_000);
    String second = approved(TestSite.SECOND_CARD, TestSite.TRUCK2, intent(1, TestSite.CUSTOMER, TestSite.ULSD));
    var refused = client.post("/v1/loads", start(second, "B2", Map.of(1, 3_000L)));
    assertProblem(refused, 422, "compartments");
    assertThat(refused.json().get("detail").asText()).startsWith("TANK_INSUFFICIENT: tank TK1");
    assertThat(client.post("/v1/tanks/TK1/receipts", Map.of("source", "OPENING", "netGallons", 1_000.0)).status())
        .isEqualTo(409);
  }

  private static void assertProblem(TerminalClient.Reply r, int status, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("field").asText()).as(r.body()).isEqualTo(field);
  }
}
