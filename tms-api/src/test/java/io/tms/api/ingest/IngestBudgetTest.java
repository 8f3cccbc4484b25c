package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.api.http.ApiException;
import io.tms.testkit.Eventually;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The replica's budget of inflated uplink bytes: reserved before inflating, given back after the apply. */
class IngestBudgetTest {
  private static final long MIB = 1024 * 1024;
  private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);

  @Test
  void reservationsAddUpToTheBudgetAndAFullBudgetRefusesWith429() {
    IngestBudget budget = new IngestBudget(16 * MIB);
    IngestBudget.Hold a = budget.reserve(6 * MIB, 0);
    IngestBudget.Hold b = budget.reserve(6 * MIB + 1, 0);
    assertThat(b.bytes()).as("counted in whole KiB, rounded up").isEqualTo(6 * MIB + 1024);
    assertThat(budget.inUseBytes()).isEqualTo(12 * MIB + 1024);

    assertThatThrownBy(() -> budget.reserve(6 * MIB, 0)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(429);
      assertThat(e.headers()).containsEntry("Retry-After", "1");
    });
    assertThat(budget.inUseBytes()).as("a refusal holds nothing").isEqualTo(12 * MIB + 1024);

    a.close();
    a.close(); // closing twice gives back once
    assertThat(budget.inUseBytes()).isEqualTo(6 * MIB + 1024);
    budget.reserve(6 * MIB, 0).close();
    b.close();
    assertThat(budget.inUseBytes()).isZero();
  }

  @Test
  void aBodyLargerThanTheBudgetOrOfUnknownSizeTakesTheWholeBudgetAndAppliesAlone() throws Exception {
    IngestBudget budget = new IngestBudget(16 * MIB);
    IngestBudget.Hold small = budget.reserve(MIB, 0);
    CompletableFuture<IngestBudget.Hold> unknown = CompletableFuture.supplyAsync(() -> budget.reserve(Long.MAX_VALUE,
        LONG_WAIT));
    Eventually.until("the unknown-size batch queued", Duration.ofSeconds(10), () -> budget.waiting() == 1);
    small.close();
    IngestBudget.Hold whole = unknown.get(10, TimeUnit.SECONDS);
    assertThat(whole.bytes()).isEqualTo(16 * MIB);
    assertThat(budget.inUseBytes()).isEqualTo(16 * MIB);
    assertThatThrownBy(() -> budget.reserve(1, 0)).isInstanceOf(ApiException.class);
    whole.close();
    try (IngestBudget.Hold huge = budget.reserve(200 * MIB, 0)) {
      assertThat(huge.bytes()).isEqualTo(16 * MIB);
    }
    assertThat(budget.inUseBytes()).isZero();
  }

  @Test
  void aWaitingLargeBatchIsNotOvertakenBySmallOnesThatWouldFit() throws Exception {
    IngestBudget budget = new IngestBudget(16 * MIB);
    IngestBudget.Hold first = budget.reserve(10 * MIB, 0);
    CompletableFuture<IngestBudget.Hold> large = CompletableFuture.supplyAsync(() -> budget.reserve(12 * MIB,
        LONG_WAIT));
    Eventually.until("the large batch queued", Duration.ofSeconds(10), () -> budget.waiting() == 1);

    assertThatThrownBy(() -> budget.reserve(2 * MIB, 0)).as("6 MiB are free, but the large batch came first")
        .isInstanceOf(ApiException.class);
    assertThat(large).isNotDone();

    first.close();
    try (IngestBudget.Hold l = large.get(10, TimeUnit.SECONDS)) {
      assertThat(l.bytes()).isEqualTo(12 * MIB);
      budget.reserve(4 * MIB, 0).close();
    }
    assertThat(budget.inUseBytes()).isZero();
  }

  @Test
  void theBudgetIsAtLeastOneMebibyte() {
    assertThatThrownBy(() -> new IngestBudget(MIB - 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
