package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.complete;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.reading;
import static io.tms.agent.TerminalClient.start;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Driver PINs are never logged or stored in plain text, through a whole authorize → load → BOL flow
 * with wrong and right PINs; repeated wrong PINs lock the card, and only an operator unlocks it.
 */
class PinSecrecyTest extends AgentTestBase {
  private static final List<String> WRONG_PINS = List.of("86420", "97531", "802468");

  @Test
  void pins_never_reach_the_logs_or_the_database_and_wrong_ones_lock_the_card() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.TRACE);
    try {
      TerminalClient.Reply r = null;
      for (String wrong : WRONG_PINS) {
        r = client.post("/v1/authorizations", authorize(TestSite.GOOD_CARD, wrong, TestSite.TRUCK,
            intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("approved").asBoolean()).isFalse();
      }
      assertThat(r.json().get("cardLocked").asBoolean()).as(r.body()).isTrue(); // the third wrong PIN locked it
      var locked = client.post("/v1/authorizations", authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK,
          intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
      assertThat(locked.json().get("denyCodes").toString()).contains("CARD_LOCKED");
      // malformed requests carrying a PIN are refused without echoing it
      var bad = client.post("/v1/authorizations", "{\"cardNumber\":\"C100\",\"pin\":\"" + WRONG_PINS.get(0)
          + "\",\"vehicleId\":7}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).doesNotContain(WRONG_PINS.get(0));

      assertThat(client.post("/v1/cards/" + TestSite.GOOD_CARD + "/unlock", Map.of("operator", "ops1")).status())
          .isEqualTo(200);
      String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK);
      String load = client.post("/v1/loads", start(auth, "B1", Map.of(1, 1_000L))).json().get("loadId").asText();
      assertThat(client.post("/v1/loads/" + load + "/complete", complete(reading(1, 1_000.0, 60.0))).status())
          .isEqualTo(201);
    } finally {
      root.detachAppender(captured);
      root.setLevel(before);
    }
    String logs = String.join("\n", captured.list.stream()
        .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
        .toList());
    assertThat(logs).contains("card=" + TestSite.GOOD_CARD);
    for (String pin : WRONG_PINS) {
      assertThat(logs).doesNotContain(pin);
    }
    assertThat(logs).doesNotContain("pin=").doesNotContain("\"pin\"");

    // stored: only PBKDF2 hashes; no event body carries a PIN field
    List<String> hashes = agent.database().reader().withHandle(h -> h.createQuery("SELECT pin_hash FROM driver")
        .mapTo(String.class).list());
    assertThat(hashes).allSatisfy(hash -> assertThat(hash).startsWith("pbkdf2-sha256:"));
    List<String> bodies = agent.database().reader().withHandle(h -> h.createQuery("SELECT body FROM outbox")
        .mapTo(String.class).list());
    assertThat(bodies).isNotEmpty().noneMatch(b -> b.contains("\"pin\""));
    for (String pin : WRONG_PINS) {
      assertThat(String.join("\n", bodies)).doesNotContain(pin);
    }
  }
}
