package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Steal is the eighth figure of {@code /proc/stat}'s {@code cpu} line, in ticks of 1/100 s. */
class CpuStealTest {
  @Test
  void stealIsTheEighthFigureOfTheCpuLine() {
    assertThat(CpuSteal.stealSeconds("cpu  8514734 12409 1262615 3969383 91961 0 142553 243559 0 0"))
        .isEqualTo(2435.59);
    assertThat(CpuSteal.stealSeconds("cpu0 1 2 3 4 5 6 7 8 9 10")).as("one CPU's line, not the sum").isNaN();
    assertThat(CpuSteal.stealSeconds("cpu 1 2 3 4 5 6 7")).as("a kernel without the field").isNaN();
  }

  @Test
  void thisMachinesStealNeverFalls() {
    double first = CpuSteal.stealSeconds();
    assertThat(first).isNotNaN().isNotNegative();
    assertThat(CpuSteal.stealSeconds()).isGreaterThanOrEqualTo(first);
  }
}
