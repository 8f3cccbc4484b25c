package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.Cloud;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import io.tms.protocol.v1.AuditRecordedV1;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.Lane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A site's audit entries land with their batch, keep their chain, and the cloud can verify it. */
class EdgeAuditIngestTest {
  private Cloud cloud;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    base = URI.create("http://127.0.0.1:" + cloud.port());
    cloud.database().jdbi().useHandle(h ->
        h.execute("INSERT INTO site (code, name, zone) VALUES ('HOU1', 'Houston', 'America/Chicago')"));
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  /** Appends {@code n} chained audit entries to the fake site's business lane. */
  static void audits(UplinkClientFake edge, int n) {
    String prev = AuditRecordedV1.GENESIS;
    for (int i = 1; i <= n; i++) {
      Instant at = Instant.parse("2026-05-01T06:00:00.123Z").plusSeconds(i);
      String detail = "{\"reason\":\"driver left\"}";
      String hash = AuditRecordedV1.chain(prev, i, at.toString(), "KIOSK1", i % 2 == 0 ? null : "jsmith",
          "load.cancelled", "load:HOU1-L" + i, detail);
      edge.append(EventTypes.AUDIT_RECORDED, new AuditRecordedV1(i, at, "KIOSK1", i % 2 == 0 ? null : "jsmith",
          "load.cancelled", "load:HOU1-L" + i, detail, prev, hash));
      prev = hash;
    }
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(TestAuth.bearer(HttpRequest.newBuilder(base.resolve(path)), TestAuth.adminToken(cloud)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void audit_entries_land_in_order_and_their_chain_verifies() throws Exception {
    UplinkClientFake edge = new UplinkClientFake("HOU1", Lane.BUSINESS);
    audits(edge, 5);
    var posted = edge.post(base, edge.batch(1, 5), true);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

    JsonNode page = get("/v1/sites/HOU1/audit?limit=3");
    assertThat(page.get("items")).hasSize(3);
    assertThat(page.get("next").asLong()).isEqualTo(3);
    assertThat(get("/v1/sites/HOU1/audit?afterSeq=3").get("items")).hasSize(2);
    JsonNode first = page.get("items").get(0);
    assertThat(first.get("terminalId").asText()).isEqualTo("KIOSK1");
    assertThat(first.get("operator").asText()).isEqualTo("jsmith");

    JsonNode verify = get("/v1/sites/HOU1/audit/verify");
    assertThat(verify.get("intact").asBoolean()).isTrue();
    assertThat(verify.get("entries").asLong()).isEqualTo(5);

    // append-only in PostgreSQL too
    assertThatThrownBy(() -> cloud.database().jdbi().useHandle(h ->
        h.execute("UPDATE edge_audit SET operator = 'x' WHERE audit_seq = 2"))).hasStackTraceContaining("append-only");
    assertThatThrownBy(() -> cloud.database().jdbi().useHandle(h ->
        h.execute("DELETE FROM edge_audit WHERE audit_seq = 5"))).hasStackTraceContaining("append-only");

    // a database administrator who switches the guard off and edits history is caught by the chain
    cloud.database().jdbi().useHandle(h -> {
      h.execute("ALTER TABLE edge_audit DISABLE TRIGGER edge_audit_append_only");
      h.execute("UPDATE edge_audit SET subject = 'load:HOU1-L99' WHERE audit_seq = 4");
      h.execute("ALTER TABLE edge_audit ENABLE TRIGGER edge_audit_append_only");
    });
    JsonNode broken = get("/v1/sites/HOU1/audit/verify");
    assertThat(broken.get("intact").asBoolean()).isFalse();
    assertThat(broken.get("firstBadSeq").asLong()).isEqualTo(4);
  }

  @Test
  void bad_parameters_are_refused_naming_them() throws Exception {
    for (String path : new String[] {"/v1/sites/hou1/audit", "/v1/sites/HOU1/audit?limit=0",
        "/v1/sites/HOU1/audit?afterSeq=-1", "/v1/sites/HOU1/audit?limit=x", "/v1/sites/..%2F..%2Fetc/audit/verify"}) {
      HttpResponse<String> r = http.send(TestAuth.bearer(HttpRequest.newBuilder(base.resolve(path)), TestAuth.adminToken(cloud)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isBetween(400, 404);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }
    assertThat(get("/v1/sites/HOU1/audit").get("items")).isEmpty();
  }
}
