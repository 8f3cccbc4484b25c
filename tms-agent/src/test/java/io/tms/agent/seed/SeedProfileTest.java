package io.tms.agent.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeedProfileTest {

  @Test
  void parsesTheCommandLineNames() {
    assertThat(SeedProfile.parse("demo")).isEqualTo(SeedProfile.DEMO);
    assertThat(SeedProfile.parse("small")).isEqualTo(SeedProfile.SMALL);
    assertThat(SeedProfile.parse(" Large ")).isEqualTo(SeedProfile.LARGE);
    assertThat(SeedProfile.parse("stress")).isEqualTo(SeedProfile.STRESS);
    assertThat(SeedProfile.STRESS.cliName()).isEqualTo("stress");
  }

  @Test
  void refusesAnUnknownNameAndSaysWhatIsAllowed() {
    assertThatThrownBy(() -> SeedProfile.parse("huge"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seed profile must be one of demo, small, large, stress (was huge)");
    assertThatThrownBy(() -> SeedProfile.parse(null)).hasMessageContaining("demo, small, large, stress");
  }

  @Test
  void matchesTheWorkloadProfilesOfTheDesign() {
    assertThat(new int[] {SeedProfile.SMALL.bays(), SeedProfile.SMALL.arms(), SeedProfile.SMALL.tanks()})
        .containsExactly(4, 8, 10);
    assertThat(new int[] {SeedProfile.LARGE.bays(), SeedProfile.LARGE.arms(), SeedProfile.LARGE.tanks()})
        .containsExactly(16, 64, 40);
    assertThat(new int[] {SeedProfile.STRESS.bays(), SeedProfile.STRESS.arms(), SeedProfile.STRESS.tanks()})
        .containsExactly(30, 150, 80);
    assertThat(SeedProfile.DEMO.bays()).isEqualTo(8);
    assertThat(SeedProfile.DEMO.tanks()).isGreaterThanOrEqualTo(12);
  }
}
