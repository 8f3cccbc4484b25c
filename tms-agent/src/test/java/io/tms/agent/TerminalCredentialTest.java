package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.intent;
import static org.assertj.core.api.Assertions.assertThat;

import io.tms.agent.security.SeedTerminals;
import io.tms.agent.security.TerminalCredentials;
import io.tms.protocol.v1.sync.ChangeV1;
import io.tms.protocol.v1.sync.ChangesV1;
import io.tms.protocol.v1.sync.TerminalV1;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The terminal API refuses calls without an active terminal credential; the feed issues and revokes them. */
class TerminalCredentialTest extends AgentTestBase {
  static final String ISSUED_SECRET = "tms_7fJq1mVx9eQ2cA0b3LrT8sWk5nYp6uZd4hGi0oEaB1c";

  private long rev;

  private void feed(TerminalV1 t) {
    rev++;
    agent.applyChanges(new ChangesV1(rev, false, false, List.of(new ChangeV1(rev, t))));
  }

  private static TerminalV1 kiosk(String site, String id, String secret, boolean active) {
    return new TerminalV1(site, id, "Kiosk " + id, "KIOSK", TerminalCredentials.sha256Hex(secret), active);
  }

  @Test
  void every_v1_route_refuses_a_call_without_a_credential_and_changes_nothing() {
    TerminalClient anonymous = new TerminalClient(agent.port(), null);
    String before = fingerprint();
    for (String path : List.of("/v1/status", "/v1/bays", "/v1/tanks", "/v1/bols", "/v1/audit", "/v1/no-such-route")) {
      var r = anonymous.get(path);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().get("code").asText()).isEqualTo("UNAUTHENTICATED");
      assertThat(r.json().get("field").asText()).isEqualTo("Authorization");
    }
    var post = anonymous.post("/v1/authorizations",
        authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
    assertThat(post.status()).isEqualTo(401);
    assertThat(anonymous.post("/v1/cards/" + TestSite.GOOD_CARD + "/unlock", "{}").status()).isEqualTo(401);
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void a_wrong_secret_another_scheme_or_an_oversized_one_is_refused() {
    for (String header : List.of("Bearer wrong", "Basic " + SeedTerminals.SIMULATOR_SECRET, "Bearer ",
        SeedTerminals.SIMULATOR_SECRET, "Bearer " + "x".repeat(5000), "Bearer " + SeedTerminals.SIMULATOR_SECRET + "x")) {
      var r = client.get("/v1/status", Map.of("Authorization", header));
      assertThat(r.status()).as(header).isEqualTo(401);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    assertThat(client.get("/v1/status", Map.of("Authorization", "bearer " + SeedTerminals.SIMULATOR_SECRET)).status())
        .isEqualTo(200);
  }

  @Test
  void probes_metrics_and_the_contract_stay_open() {
    TerminalClient anonymous = new TerminalClient(agent.port(), null);
    assertThat(anonymous.get("/livez").status()).isEqualTo(200);
    assertThat(anonymous.get("/readyz").status()).isEqualTo(200);
    assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
    assertThat(anonymous.get("/openapi.json").status()).isEqualTo(200);
  }

  @Test
  void a_credential_from_the_feed_works_and_stops_working_as_soon_as_its_deactivation_is_applied() {
    TerminalClient kiosk = new TerminalClient(agent.port(), ISSUED_SECRET);
    assertThat(kiosk.get("/v1/status").status()).isEqualTo(401);

    feed(kiosk(TestSite.CODE, "K7", ISSUED_SECRET, true));
    var approved = kiosk.post("/v1/authorizations",
        authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
    assertThat(approved.status()).as(approved.body()).isEqualTo(201);
    String stored = agent.database().reader().withHandle(h -> h.createQuery(
        "SELECT secret_sha256 FROM terminal WHERE id = 'K7'").mapTo(String.class).one());
    assertThat(stored).isEqualTo(TerminalCredentials.sha256Hex(ISSUED_SECRET)).doesNotContain(ISSUED_SECRET);

    feed(kiosk(TestSite.CODE, "K7", ISSUED_SECRET, false));
    assertThat(kiosk.get("/v1/status").status()).isEqualTo(401);
    assertThat(client.get("/v1/status").status()).isEqualTo(200); // the others keep working
  }

  @Test
  void a_credential_of_another_site_is_not_accepted_here() {
    feed(kiosk("OTHER1", "K8", ISSUED_SECRET, true));
    assertThat(new TerminalClient(agent.port(), ISSUED_SECRET).get("/v1/status").status()).isEqualTo(401);
  }

  @Test
  void a_rotated_secret_replaces_the_old_one() {
    feed(kiosk(TestSite.CODE, "K7", ISSUED_SECRET, true));
    String rotated = ISSUED_SECRET.replace('7', '9');
    feed(kiosk(TestSite.CODE, "K7", rotated, true));
    assertThat(new TerminalClient(agent.port(), ISSUED_SECRET).get("/v1/status").status()).isEqualTo(401);
    assertThat(new TerminalClient(agent.port(), rotated).get("/v1/status").status()).isEqualTo(200);
  }
}
