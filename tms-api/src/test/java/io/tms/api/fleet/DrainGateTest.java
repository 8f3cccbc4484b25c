package io.tms.api.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.api.http.ApiException;
import io.tms.testkit.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class DrainGateTest {
  private final AtomicLong ticker = new AtomicLong(1_000_000_000L);

  private DrainGate gate(int k, Duration maxWait) {
    return new DrainGate(config(k, maxWait), ticker::get);
  }

  private static FleetConfig config(int k, Duration maxWait) {
    return new FleetConfig(Duration.ofSeconds(5), 3, Duration.ofSeconds(2), Duration.ofSeconds(1), k,
        maxWait, Duration.ofSeconds(1), Duration.ofSeconds(30), 100, 1_000, 16L << 20, 32L << 20);
  }

  private void advance(Duration d) {
    ticker.addAndGet(d.toNanos());
  }

  @Test
  void admits_k_sites_at_once_and_refuses_the_next_with_its_place_and_retry_after() {
    DrainGate gate = gate(2, Duration.ZERO);
    var a = gate.enter("AAA1", 10);
    var b = gate.enter("BBB1", 10);
    assertThat(gate.busy()).isEqualTo(2);

    assertThatThrownBy(() -> gate.enter("CCC1", 10))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.problem().extensions()).containsEntry("place", 1).containsKey("etaSeconds");
          assertThat(e.headers()).containsKey("Retry-After");
          assertThat(Long.parseLong(e.headers().get("Retry-After"))).isPositive();
        });
    a.close();
    b.close();
    // the sites keep their slots between batches...
    assertThatThrownBy(() -> gate.enter("CCC1", 10)).isInstanceOf(ApiException.class);
    // ...until they have been idle for the idle-release time
    advance(Duration.ofSeconds(2));
    try (var c = gate.enter("CCC1", 10)) {
      assertThat(c.site()).isEqualTo("CCC1");
    }
    assertThat(gate.snapshot().refused()).isEqualTo(2);
  }

  @Test
  void a_site_has_at_most_two_requests_inside_and_never_more_than_k_sites_run() throws Exception {
    // Time moves as the gate looks at it (20 ms a reading), so slots that go idle change hands
    // while the sites wait, with no thread pacing a clock.
    DrainGate gate = new DrainGate(config(2, Duration.ofSeconds(30)),
        () -> ticker.addAndGet(Duration.ofMillis(20).toNanos()));
    java.util.Map<String, Integer> perSite = new java.util.HashMap<>();
    AtomicLong maxSites = new AtomicLong();
    AtomicLong maxPerSite = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < 12; i++) {
      String site = "S" + (i % 4) + "X";
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          go.await();
          for (int n = 0; n < 20; n++) {
            try (var p = gate.enter(site, 5)) {
              synchronized (perSite) {
                int mine = perSite.merge(site, 1, Integer::sum);
                maxPerSite.accumulateAndGet(mine, Math::max);
                maxSites.accumulateAndGet(perSite.size(), Math::max);
              }
              Thread.yield();
              synchronized (perSite) {
                perSite.computeIfPresent(site, (k, v) -> v == 1 ? null : v - 1);
              }
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(60_000);
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(maxSites.get()).isBetween(1L, 2L);
    assertThat(maxPerSite.get()).isBetween(1L, (long) DrainGate.PER_SITE);
    assertThat(gate.busy()).isZero();
    assertThat(gate.snapshot().admitted()).isEqualTo(240);
  }

  @Test
  void queued_sites_get_the_slot_in_arrival_order() throws Exception {
    DrainGate gate = gate(1, Duration.ofSeconds(30));
    var first = gate.enter("AAA1", 1);
    List<String> granted = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (String site : List.of("BBB1", "CCC1", "DDD1")) {
      int before = gate.snapshot().waitingRequests();
      threads.add(Thread.ofVirtual().start(() -> {
        try (var p = gate.enter(site, 1)) {
          granted.add(site);
        }
      }));
      awaitTrue(() -> gate.snapshot().waitingRequests() == before + 1);
    }
    assertThat(gate.snapshot().queued()).containsExactly("BBB1", "CCC1", "DDD1");
    assertThat(gate.position("DDD1").place()).isEqualTo(3);
    first.close();
    for (int i = 1; i <= 3; i++) {
      int n = i;
      advance(Duration.ofSeconds(2));
      awaitTrue(() -> granted.size() >= n);
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertThat(granted).containsExactly("BBB1", "CCC1", "DDD1");
  }

  @Test
  void a_refused_site_keeps_its_place_ahead_of_later_sites() {
    DrainGate gate = gate(1, Duration.ZERO);
    var a = gate.enter("AAA1", 1);
    assertThatThrownBy(() -> gate.enter("BBB1", 1)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> gate.enter("CCC1", 1)).isInstanceOf(ApiException.class);
    assertThat(gate.position("BBB1").place()).isEqualTo(1);
    assertThat(gate.position("CCC1").place()).isEqualTo(2);
    a.close();
    advance(Duration.ofSeconds(2));
    // both come back: the earlier one is served first (the later one is refused while it asks)
    try (var b = gate.enter("BBB1", 1)) {
      assertThat(b.site()).isEqualTo("BBB1");
      assertThatThrownBy(() -> gate.enter("CCC1", 1)).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.problem().extensions()).containsEntry("place", 1));
    }
  }

  @Test
  void place_and_eta_come_from_reported_backlogs_and_the_apply_rate() {
    DrainGate gate = gate(1, Duration.ZERO);
    gate.reportBacklog("AAA1", 1_000);
    var a = gate.enter("AAA1", 100);
    gate.reportBacklog("BBB1", 2_000);
    gate.reportBacklog("CCC1", 500);
    // 1,000 events/s assumed before anything was measured
    assertThat(gate.position("AAA1")).isEqualTo(new DrainGate.Position(0, 1));
    assertThat(gate.position("BBB1")).isEqualTo(new DrainGate.Position(1, 3));
    assertThat(gate.position("CCC1")).isEqualTo(new DrainGate.Position(2, 4));
    assertThat(gate.position("ZZZ1")).isEqualTo(new DrainGate.Position(0, 0));
    a.close();
    // what passed the gate is taken off the reported backlog; the rate is now measured
    assertThat(gate.eventsPerSecond()).isNotEqualTo(1_000.0);
    double rate = gate.eventsPerSecond();
    assertThat(gate.position("AAA1").etaSeconds()).isEqualTo((long) Math.max(1, Math.ceil(900 / rate)));
    // a site reporting an empty backlog leaves the gate and frees its slot at once
    gate.reportBacklog("AAA1", 0);
    assertThat(gate.snapshot().draining()).isEmpty();
    assertThat(gate.position("BBB1").place()).isZero();
  }

  @Test
  void a_site_that_sent_its_reported_backlog_frees_its_slot_without_waiting_for_idle_release() {
    DrainGate gate = gate(1, Duration.ZERO);
    gate.reportBacklog("AAA1", 150);
    gate.reportBacklog("BBB1", 50);
    gate.enter("AAA1", 100).close();
    // 50 of its 150 to go: A keeps the slot between batches
    assertThatThrownBy(() -> gate.enter("BBB1", 50)).isInstanceOf(ApiException.class);
    var first = gate.enter("AAA1", 30);
    var last = gate.enter("AAA1", 20); // two in flight: the slot stays until both are done
    first.close();
    assertThat(gate.snapshot().draining()).containsExactly("AAA1");
    last.close();
    // caught up: B goes at once, with no idle-release time passed
    assertThat(gate.snapshot().draining()).isEmpty();
    try (var b = gate.enter("BBB1", 50)) {
      assertThat(b.site()).isEqualTo("BBB1");
      // and A, with more than it reported, queues like any site
      assertThatThrownBy(() -> gate.enter("AAA1", 5)).isInstanceOf(ApiException.class);
    }
  }

  @Test
  void a_site_holding_its_slot_too_long_yields_to_a_waiting_one() throws Exception {
    DrainGate gate = gate(1, Duration.ofMillis(100));
    gate.enter("AAA1", 1).close();
    CountDownLatch bIn = new CountDownLatch(1);
    Thread b = Thread.ofVirtual().start(() -> { // B retries like an agent told 429
      while (bIn.getCount() > 0) {
        try (var p = gate.enter("BBB1", 1)) {
          bIn.countDown();
        } catch (ApiException refused) {
          assertThat(refused.status()).isEqualTo(429);
        }
      }
    });
    awaitTrue(() -> gate.snapshot().queued().contains("BBB1"));
    int aBatches = 0;
    // A drains without pause (never idle), B keeps asking: after max-hold (30 s) A goes to the back
    for (int i = 0; i < 200 && bIn.getCount() > 0; i++) {
      advance(Duration.ofMillis(500));
      try (var p = gate.enter("AAA1", 1)) {
        aBatches++;
      } catch (ApiException refused) {
        assertThat(refused.status()).isEqualTo(429);
      }
    }
    assertThat(bIn.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(aBatches).isGreaterThanOrEqualTo(59); // A kept its slot for the 30 s first
    b.join(30_000);
  }

  @Test
  void a_failed_apply_does_not_leak_its_permit() {
    DrainGate gate = gate(1, Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> {
        try (var p = gate.enter("AAA1", 10)) {
          throw new IllegalStateException("apply failed");
        }
      }).isInstanceOf(IllegalStateException.class);
    }
    assertThat(gate.busy()).isZero();
    var p = gate.enter("AAA1", 10);
    p.close();
    p.close(); // closing twice changes nothing
    assertThat(gate.busy()).isZero();
    advance(Duration.ofSeconds(2));
    try (var other = gate.enter("BBB1", 10)) {
      assertThat(gate.busy()).isEqualTo(1);
    }
  }

  @Test
  void too_many_waiting_requests_are_refused_at_once() {
    FleetConfig c = new FleetConfig(Duration.ofSeconds(5), 3, Duration.ofSeconds(2), Duration.ofSeconds(1), 1,
        Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30), 0, 1_000, 16L << 20, 32L << 20);
    DrainGate gate = new DrainGate(c, ticker::get);
    var a = gate.enter("AAA1", 1);
    assertThatThrownBy(() -> gate.enter("BBB1", 1)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(429));
    assertThat(gate.snapshot().waitingRequests()).isZero();
    assertThat(gate.snapshot().refused()).isEqualTo(1);
    a.close();
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    Eventually.until("the gate reaches the expected state", java.time.Duration.ofSeconds(30), condition);
  }

}
