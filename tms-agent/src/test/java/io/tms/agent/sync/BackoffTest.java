package io.tms.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void waitsGrowExponentiallyUpToTheCapWithJitterBelowTheCeiling() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new SplittableRandom(7));
    long[] ceilings = {100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000};
    for (long ceiling : ceilings) {
      long wait = b.failed().toMillis();
      assertThat(wait).isBetween(1L, ceiling);
    }
    assertThat(b.failures()).isEqualTo(10);
    b.succeeded();
    assertThat(b.failures()).isZero();
    assertThat(b.failed().toMillis()).isBetween(1L, 100L);
  }

  @Test
  void jitterSpreadsSitesThatFailedTogether() {
    long distinct = java.util.stream.IntStream.range(0, 100)
        .mapToLong(site -> {
          Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(site));
          for (int i = 0; i < 8; i++) {
            b.failed();
          }
          return b.failed().toMillis();
        })
        .distinct().count();
    assertThat(distinct).isGreaterThan(90);
  }

  @Test
  void manyFailuresNeverOverflow() {
    Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofMinutes(1), new SplittableRandom(1));
    for (int i = 0; i < 1000; i++) {
      assertThat(b.failed().toMillis()).isBetween(1L, 60_000L);
    }
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
