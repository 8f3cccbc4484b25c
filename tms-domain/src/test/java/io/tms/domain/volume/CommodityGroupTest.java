package io.tms.domain.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tms.domain.volume.VolumeCorrectionException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommodityGroupTest {

  @ParameterizedTest(name = "{0} kg/m³ → {1}")
  @CsvSource({
    "610.6,      GASOLINES", // lower limit of the standard, inclusive
    "770.3519,   GASOLINES",
    "770.352,    TRANSITION_ZONE",
    "770.3521,   TRANSITION_ZONE",
    "787.5194,   TRANSITION_ZONE",
    "787.5195,   JET_FUELS",
    "787.5196,   JET_FUELS",
    "838.3126,   JET_FUELS",
    "838.3127,   FUEL_OILS",
    "838.3128,   FUEL_OILS",
    "1163.5,     FUEL_OILS", // upper limit of the standard, inclusive
  })
  void selectsTheGroupByBaseDensity(double rho60, CommodityGroup expected) {
    assertThat(CommodityGroup.forBaseDensity(rho60)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(doubles = {610.59, 1163.51, 0.0, -800.0, Double.NaN, Double.POSITIVE_INFINITY})
  void refusesDensitiesOutsideTheRefinedProductsRange(double rho60) {
    assertThatThrownBy(() -> CommodityGroup.forBaseDensity(rho60))
        .isInstanceOfSatisfying(VolumeCorrectionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DENSITY_OUT_OF_RANGE));
  }

  @ParameterizedTest(name = "{0}: α60({1}) = {2}e-6")
  @CsvSource({
    // K0/ρ² + K1/ρ + K2 by hand, e.g. gasolines: 192.4571/730² + 0.2438/730
    //   = 361.1505e-6 + 333.9726e-6 = 695.1231e-6
    "GASOLINES,       730.0, 695.1231",
    // transition zone, special form A + B/ρ²: −1868.40e-6 + 1489.0670/780² = 579.1131e-6
    "TRANSITION_ZONE, 780.0, 579.1131",
    "JET_FUELS,       800.0, 516.0953", // 330.3010/800²
    "FUEL_OILS,       900.0, 428.3481", // 103.8720/900² + 0.2701/900
  })
  void alpha60IsTheGroupCorrelation(CommodityGroup group, double density, double alphaMicro) {
    assertThat(group.alpha60(density) * 1.0e6).isCloseTo(alphaMicro, within(1.0e-4));
  }

  @ParameterizedTest(name = "{0} | {1} at {2} kg/m³")
  @CsvSource({
    "GASOLINES,       TRANSITION_ZONE, 770.3520",
    "TRANSITION_ZONE, JET_FUELS,       787.5195",
    "JET_FUELS,       FUEL_OILS,       838.3127",
  })
  void ctlIsContinuousAcrossEachBoundary(CommodityGroup below, CommodityGroup above,
      double boundary) {
    // The boundaries sit where neighbouring correlations meet. The α60 the CTL uses (the
    // correlation at the shifted density ρ*) agrees to 4e-10 °F⁻¹ on both sides (worked:
    // 1.2e-10, 3.1e-10, 1.2e-11) and CTL to better than 1e-7 even at the temperature limits
    // (worked: largest gap 7.9e-8, transition zone | jet fuels at 302 °F). The bare
    // correlations evaluated at ρ60 itself differ more, up to 1.8e-8 °F⁻¹.
    assertThat(CtlEquations.alpha60(below, boundary))
        .isCloseTo(CtlEquations.alpha60(above, boundary), within(4.0e-10));
    assertThat(below.alpha60(boundary)).isCloseTo(above.alpha60(boundary), within(2.0e-8));
    for (double t : new double[] {-58.0, 0.0, 150.0, 302.0}) {
      assertThat(CtlEquations.ctl(below, boundary, t))
          .as("CTL at %s °F", t)
          .isCloseTo(CtlEquations.ctl(above, boundary, t), within(1.0e-7));
    }
  }

  @Test
  void groupsTileTheRangeWithoutGapsOrOverlaps() {
    CommodityGroup[] groups = CommodityGroup.values();
    assertThat(groups[0].minBaseDensityKgM3()).isEqualTo(610.6);
    assertThat(groups[groups.length - 1].maxBaseDensityKgM3()).isEqualTo(1163.5);
    for (int i = 1; i < groups.length; i++) {
      assertThat(groups[i].minBaseDensityKgM3())
          .isEqualTo(groups[i - 1].maxBaseDensityKgM3());
      assertThat(groups[i - 1].covers(groups[i].minBaseDensityKgM3())).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(CommodityGroup.class)
  void alpha60StaysWithinTheStandardsLimitsOverTheGroupsRange(CommodityGroup group) {
    // §11.1.6 limits α60 to 230.0e-6 … 930.0e-6 °F⁻¹; the groups' own correlations must
    // respect them, which is why VolumeCorrection does not re-check α60 at run time.
    double top = Math.nextDown(group.maxBaseDensityKgM3());
    for (double rho : new double[] {group.minBaseDensityKgM3(), top}) {
      assertThat(CtlEquations.alpha60(group, rho)).isBetween(230.0e-6, 930.0e-6);
    }
  }
}
