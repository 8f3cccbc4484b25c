package io.tms.agent;

import static io.tms.agent.TerminalClient.complete;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.reading;
import static io.tms.agent.TerminalClient.start;
import static io.tms.agent.TestSite.GOOD_CARD;
import static io.tms.agent.TestSite.SECOND_CARD;
import static io.tms.agent.TestSite.SMALL_RESERVE_CUSTOMER;
import static io.tms.agent.TestSite.TRUCK;
import static io.tms.agent.TestSite.TRUCK2;
import static io.tms.agent.TestSite.ULSD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Retries never make a second BOL; racing terminals get exactly one winner. */
class IdempotencyAndRaceTest extends AgentTestBase {

  @Test
  void a_retried_completion_returns_the_first_bol_and_makes_no_second() {
    String load = client.post("/v1/loads", start(approved(GOOD_CARD, TRUCK), "B1", Map.of(1, 2_000L)))
        .json().get("loadId").asText();
    var body = complete(reading(1, 1_999.5, 70.0));
    var key = Map.of(io.tms.agent.http.TerminalApi.IDEMPOTENCY_KEY, "kiosk-7-req-42");
    var first = client.post("/v1/loads/" + load + "/complete", body, key);
    var retry = client.post("/v1/loads/" + load + "/complete", body, key);
    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(count("bol")).isEqualTo(1);
    // the answer is the BOL document, kept once: the idempotency record names the BOL
    String bolNumber = first.json().get("bolNumber").asText();
    String stored = agent.database().reader().withHandle(h -> h.createQuery(
            "SELECT bol_number || '/' || length(response_json) FROM idempotency WHERE key = 'kiosk-7-req-42'")
        .mapTo(String.class).one());
    assertThat(stored).isEqualTo(bolNumber + "/0");

    // without the key the second completion is refused, not duplicated
    assertThat(client.post("/v1/loads/" + load + "/complete", body).status()).isEqualTo(409);
    // the same key with another body is a client bug, refused
    var reused = client.post("/v1/loads/" + load + "/complete", complete(reading(1, 1_000, 70.0)), key);
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(count("bol")).isEqualTo(1);
  }

  @Test
  void concurrent_retries_with_one_key_make_one_authorization() throws Exception {
    var body = TerminalClient.authorize(GOOD_CARD, TestSite.PIN, TRUCK, intent(1, TestSite.CUSTOMER, ULSD));
    var key = Map.of(io.tms.agent.http.TerminalApi.IDEMPOTENCY_KEY, "gate-1-abc");
    List<String> answers = race(8, () -> client.post("/v1/authorizations", body, key).body());
    assertThat(answers).allMatch(a -> a.equals(answers.get(0)));
    assertThat(count("driver_authorization")).isEqualTo(1);
    // the answer is the decision, kept once: the idempotency record names the authorization
    String id = client.post("/v1/authorizations", body, key).json().get("authorizationId").asText();
    String stored = agent.database().reader().withHandle(h -> h.createQuery(
            "SELECT authorization_id || '/' || length(response_json) FROM idempotency WHERE key = 'gate-1-abc'")
        .mapTo(String.class).one());
    assertThat(stored).isEqualTo(id + "/0");
    assertThat(client.post("/v1/authorizations", body, key).body()).isEqualTo(answers.get(0));
  }

  @RepeatedTest(3)
  void two_terminals_racing_for_the_last_of_a_reserve_one_wins() throws Exception {
    // CUST2 has 4,000 gal left; both drivers were authorized for 3,000 before either started
    String a = approved(GOOD_CARD, TRUCK, intent(1, SMALL_RESERVE_CUSTOMER, ULSD, 3_000));
    String b = approved(SECOND_CARD, TRUCK2, intent(1, SMALL_RESERVE_CUSTOMER, ULSD, 3_000));
    List<Integer> statuses = race(2,
        () -> client.post("/v1/loads", start(a, "B1", Map.of(1, 3_000L))).status(),
        () -> client.post("/v1/loads", start(b, "B2", Map.of(1, 3_000L))).status());
    assertThat(statuses).containsExactlyInAnyOrder(201, 422);
    long held = agent.database().reader().withHandle(h -> h.createQuery(
        "SELECT held_gal FROM reserve WHERE allocation_id = 'AL3'").mapTo(Long.class).one());
    assertThat(held).isEqualTo(3_000);
  }

  @RepeatedTest(3)
  void two_trucks_racing_for_one_bay_one_wins() throws Exception {
    String a = approved(GOOD_CARD, TRUCK);
    String b = approved(SECOND_CARD, TRUCK2);
    List<Integer> statuses = race(2,
        () -> client.post("/v1/loads", start(a, "B1", Map.of(1, 1_000L))).status(),
        () -> client.post("/v1/loads", start(b, "B1", Map.of(1, 1_000L))).status());
    assertThat(statuses).containsExactlyInAnyOrder(201, 409);
    assertThat(count("load")).isEqualTo(1);
  }

  @SafeVarargs
  private static <T> List<T> race(int n, Callable<T>... tasks) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(n);
    try (var pool = Executors.newFixedThreadPool(n)) {
      List<Future<T>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        Callable<T> task = tasks[i % tasks.length];
        futures.add(pool.submit(() -> {
          barrier.await();
          return task.call();
        }));
      }
      List<T> out = new java.util.ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    }
  }
}
