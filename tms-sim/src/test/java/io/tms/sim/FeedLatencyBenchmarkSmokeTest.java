package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of the feed latency benchmark, so it cannot rot; figures are not asserted. */
class FeedLatencyBenchmarkSmokeTest {
  @TempDir Path dir;

  @Test
  void measures_every_change_it_writes() throws Exception {
    FeedLatencyBenchmark.Figures f = FeedLatencyBenchmark.run(dir, 5);
    assertThat(f.changes()).isEqualTo(5);
    assertThat(f.p99Ms()).isGreaterThanOrEqualTo(f.p50Ms()).isPositive();
    assertThat(f.maxMs()).isGreaterThanOrEqualTo(f.p99Ms());
  }
}
