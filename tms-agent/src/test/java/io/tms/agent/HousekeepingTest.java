package io.tms.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HousekeepingTest extends AgentTestBase {

  @Test
  void idempotency_answers_are_forgotten_after_the_retention() {
    var key = Map.of(io.tms.agent.http.TerminalApi.IDEMPOTENCY_KEY, "k-1");
    client.post("/v1/authorizations", TerminalClient.authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK,
        TerminalClient.intent(1, TestSite.CUSTOMER, TestSite.ULSD)), key);
    assertThat(count("idempotency")).isEqualTo(1);

    Housekeeping chores = new Housekeeping(agent.database().writer(), Duration.ofHours(24), TestSite.CODE);
    assertThat(chores.tick(TestSite.NOW.plus(Duration.ofHours(23)))).isZero();
    assertThat(count("idempotency")).isEqualTo(1);
    assertThat(chores.tick(TestSite.NOW.plus(Duration.ofHours(25)))).isEqualTo(1);
    assertThat(count("idempotency")).isZero();
  }
}
