package io.tms.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CloudLinkTest {
  private final CloudLink link = new CloudLink(URI.create("http://127.0.0.1:1"), "HOU1", Clock.systemUTC());

  @Test
  void aLoopBackingOffWakesWhenAnotherLoopGetsThrough() throws Exception {
    link.failed("connection refused");
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> {
      waiting.countDown();
      try {
        return link.awaitContact(Duration.ofMinutes(10));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
    // keep signalling until the waiter has registered: each failed+succeeded pair is a new contact
    while (!woken.isDone()) {
      link.failed("still down");
      link.succeeded();
      Thread.onSpinWait();
    }
    assertThat(woken.get(10, TimeUnit.SECONDS)).as("woken by the contact, not by the 10 min timeout").isTrue();
    assertThat(link.state()).isEqualTo(CloudLink.State.ONLINE);
  }

  @Test
  void withoutContactTheWaitRunsItsCourse() throws Exception {
    link.failed("down");
    assertThat(link.awaitContact(Duration.ofMillis(20))).isFalse();
    link.succeeded();
    assertThat(link.awaitContact(Duration.ofMillis(20))).as("already online: no new contact").isFalse();
  }
}
