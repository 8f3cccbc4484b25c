package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.intent;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Logs say what happened at the site, and never contain a PIN. */
class LogsTest extends AgentTestBase {

  @Test
  void denials_are_logged_with_the_site_and_card_but_never_the_pin() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.DEBUG);
    try {
      client.post("/v1/authorizations", authorize(TestSite.GOOD_CARD, "8642", TestSite.TRUCK,
          intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
      client.post("/v1/authorizations", authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK,
          intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
      client.post("/v1/authorizations", "{\"cardNumber\":\"C100\",\"pin\":\"7531\",\"oops\":1}");
      client.post("/v1/authorizations", "{\"cardNumber\":\"C100\",\"pin\":7531");
    } finally {
      root.detachAppender(captured);
      root.setLevel(before);
    }
    String all = String.join("\n", captured.list.stream()
        .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
        .toList());
    assertThat(all).contains("site=TEST1").contains("card=C100").contains("denied=[PIN_INVALID]");
    assertThat(all).doesNotContain("8642").doesNotContain(TestSite.PIN).doesNotContain("7531");
  }
}
