package io.tms.agent;

import static io.tms.agent.TerminalClient.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.agent.security.SeedTerminals;
import io.tms.protocol.v1.AuditRecordedV1;
import io.tms.protocol.v1.EventTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Manual actions at the site land in an append-only, hash-chained audit log and go up the business lane. */
class EdgeAuditTest extends AgentTestBase {

  private JsonNode audit() {
    var r = client.get("/v1/audit");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private void manualActions() {
    var kiosk = new TerminalClient(agent.port(), SeedTerminals.secret("KIOSK1"));
    assertThat(kiosk.post("/v1/cards/" + TestSite.GOOD_CARD + "/unlock", Map.of("operator", "jsmith")).status())
        .isEqualTo(200);
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK);
    String load = client.post("/v1/loads", start(auth, "B1", Map.of(1, 1_000L))).json().get("loadId").asText();
    var bay = new TerminalClient(agent.port(), SeedTerminals.secret("BAYCTL"));
    assertThat(bay.post("/v1/loads/" + load + "/cancel", Map.of("reason", "driver left", "operator", "bayop"),
        Map.of("Idempotency-Key", "cancel-1")).status()).isEqualTo(200);
    assertThat(client.post("/v1/tanks/TK1/gauge-readings",
        Map.of("grossGallons", 400_000.0, "temperatureF", 70.0)).status()).isEqualTo(201);
  }

  @Test
  void unlocks_cancellations_and_manual_gauge_entries_are_audited_with_the_terminal_and_operator() {
    manualActions();
    JsonNode entries = audit();
    assertThat(entries).hasSize(3);
    assertThat(entries.get(0).get("action").asText()).isEqualTo("card.unlocked");
    assertThat(entries.get(0).get("terminalId").asText()).isEqualTo("KIOSK1");
    assertThat(entries.get(0).get("operator").asText()).isEqualTo("jsmith");
    assertThat(entries.get(0).get("subject").asText()).isEqualTo("card:" + TestSite.GOOD_CARD);
    assertThat(entries.get(1).get("action").asText()).isEqualTo("load.cancelled");
    assertThat(entries.get(1).get("terminalId").asText()).isEqualTo("BAYCTL");
    assertThat(entries.get(1).get("detail").asText()).contains("driver left");
    assertThat(entries.get(2).get("action").asText()).isEqualTo("gauge.entered");
    assertThat(entries.get(2).get("terminalId").asText()).isEqualTo(SeedTerminals.SIMULATOR_ID);
    assertThat(entries.get(2).get("operator").isNull()).isTrue();
    assertThat(entries.get(1).get("prevHash").asText()).isEqualTo(entries.get(0).get("hash").asText());

    // the same entries, hash and all, go up the business lane
    List<String> bodies = agent.database().reader().withHandle(h -> h.createQuery(
        "SELECT body FROM outbox WHERE lane = 'BUSINESS' AND type = ? ORDER BY seq")
        .bind(0, EventTypes.AUDIT_RECORDED).mapTo(String.class).list());
    assertThat(bodies).hasSize(3);
    assertThat(bodies.get(2)).contains(entries.get(2).get("hash").asText());

    var verify = client.get("/v1/audit/verify").json();
    assertThat(verify.get("intact").asBoolean()).isTrue();
    assertThat(verify.get("entries").asLong()).isEqualTo(3);
  }

  @Test
  void a_retried_action_is_audited_once_and_a_refused_one_not_at_all() {
    manualActions();
    String load = agent.database().reader().withHandle(h -> h.createQuery("SELECT id FROM load").mapTo(String.class)
        .one());
    var bay = new TerminalClient(agent.port(), SeedTerminals.secret("BAYCTL"));
    // the same key and body: the first answer again, no second entry
    assertThat(bay.post("/v1/loads/" + load + "/cancel", Map.of("reason", "driver left", "operator", "bayop"),
        Map.of("Idempotency-Key", "cancel-1")).status()).isEqualTo(200);
    // refused: the load is no longer loading; and an operator name with control characters
    assertThat(bay.post("/v1/loads/" + load + "/cancel", Map.of("reason", "again")).status()).isEqualTo(409);
    var bad = client.post("/v1/cards/" + TestSite.GOOD_CARD + "/unlock", Map.of("operator", "x\u0000y"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("operator");
    assertThat(audit()).hasSize(3);
  }

  @Test
  void the_log_is_append_only_and_tampering_is_detected() {
    manualActions();
    assertThatThrownBy(() -> agent.database().writer().write(ctx ->
        ctx.handle().execute("UPDATE edge_audit SET operator = 'someone else' WHERE seq = 1")))
        .hasStackTraceContaining("append-only");
    assertThatThrownBy(() -> agent.database().writer().write(ctx ->
        ctx.handle().execute("DELETE FROM edge_audit WHERE seq = 3")))
        .hasStackTraceContaining("append-only");
    assertThat(audit()).hasSize(3);

    // someone with the file and a SQLite shell drops the trigger and rewrites history
    agent.database().writer().write(ctx -> {
      ctx.handle().execute("DROP TRIGGER edge_audit_no_update");
      return ctx.handle().execute("UPDATE edge_audit SET operator = 'someone else' WHERE seq = 2");
    });
    var verify = client.get("/v1/audit/verify").json();
    assertThat(verify.get("intact").asBoolean()).isFalse();
    assertThat(verify.get("firstBadSeq").asLong()).isEqualTo(2);
  }

  @Test
  void the_chain_is_the_protocol_chain() {
    manualActions();
    var entries = audit();
    for (JsonNode e : entries) {
      AuditRecordedV1 entry = new AuditRecordedV1(e.get("auditSeq").asLong(), java.time.Instant.parse(
          e.get("at").asText()), e.get("terminalId").asText(), e.get("operator").isNull() ? null
          : e.get("operator").asText(), e.get("action").asText(), e.get("subject").asText(), e.get("detail").asText(),
          e.get("prevHash").asText(), e.get("hash").asText());
      assertThat(entry.verifies()).as(e.toString()).isTrue();
    }
    assertThat(client.get("/v1/audit?afterSeq=2").json()).hasSize(1);
    assertThat(client.get("/v1/audit?afterSeq=-1").status()).isEqualTo(400);
  }
}
