package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.intent;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Starts a {@link TestSite} agent on a random port in a fresh data directory for each test. */
abstract class AgentTestBase {
  @TempDir Path dir;
  Agent agent;
  TerminalClient client;

  @BeforeEach
  void startAgent() {
    agent = Agent.start(AgentConfig.of(TestSite.CODE, dir).withHttp("127.0.0.1", 0), TestSite.CLOCK, TestSite.seed());
    client = new TerminalClient(agent.port());
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  String approved(String card, String truck, Object... intents) {
    var r = client.post("/v1/authorizations", authorize(card, TestSite.PIN, truck,
        intents.length == 0 ? new Object[] {intent(1, TestSite.CUSTOMER, TestSite.ULSD)} : intents));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("approved").asBoolean()).as(r.body()).isTrue();
    return r.json().get("authorizationId").asText();
  }

  long count(String table) {
    return agent.database().reader().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table)
        .mapTo(Long.class).one());
  }

  /** A fingerprint of everything the site has written: equal before and after means nothing changed. */
  String fingerprint() {
    return agent.database().reader().withHandle(h -> h.createQuery(
        "SELECT (SELECT count(*) FROM outbox) || '/' || (SELECT count(*) FROM driver_authorization) || '/' || "
            + "(SELECT count(*) FROM load) || '/' || (SELECT count(*) FROM bol) || '/' || "
            + "(SELECT group_concat(held_gal || ':' || consumed_gal) FROM reserve) || '/' || "
            + "(SELECT group_concat(book_net_gal) FROM tank_inventory) || '/' || "
            + "(SELECT count(*) FROM card_state) || '/' || (SELECT count(*) FROM gauge_reading)")
        .mapTo(String.class).one());
  }
}
