package io.tms.domain.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.domain.volume.VolumeCorrectionException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeCorrectionTest {

  // --- range limits -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(doubles = {-58.0, -58.04, -58.05, 302.0, 302.05})
  void acceptsTemperaturesThatRoundIntoTheRange(double temperatureF) {
    // −58.04, −58.05 and 302.05 round (half to even) to −58.0 and 302.0: the limit is
    // judged on the figure that is printed. (API's reference code, which does not round,
    // refuses −58.05 °F in its 11.1.6.2 Example 10.)
    assertThat(VolumeCorrection.ctl(null, 850.0, temperatureF)).isPositive();
  }

  @ParameterizedTest
  @ValueSource(doubles = {-58.1, -58.06, 302.1, 302.06, -459.67, 1000.0, Double.NaN,
    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void refusesTemperaturesOutsideTheRange(double temperatureF) {
    assertReason(() -> VolumeCorrection.ctl(null, 850.0, temperatureF),
        Reason.TEMPERATURE_OUT_OF_RANGE);
    assertReason(() -> VolumeCorrection.correct(null, 1000.0, temperatureF, 850.0),
        Reason.TEMPERATURE_OUT_OF_RANGE);
  }

  @ParameterizedTest
  @ValueSource(doubles = {610.6, 610.55, 1163.5, 1163.54})
  void acceptsBaseDensitiesThatRoundIntoTheRange(double rho60) {
    assertThat(VolumeCorrection.ctl(null, rho60, 80.0)).isBetween(0.98, 1.0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {610.5, 610.54, 1163.6, 1163.55, 0.0, -850.0, Double.NaN,
    Double.POSITIVE_INFINITY})
  void refusesBaseDensitiesOutsideTheRange(double rho60) {
    assertReason(() -> VolumeCorrection.ctl(null, rho60, 80.0), Reason.DENSITY_OUT_OF_RANGE);
    assertReason(() -> VolumeCorrection.correct(null, 1000.0, 80.0, rho60),
        Reason.DENSITY_OUT_OF_RANGE);
  }

  @ParameterizedTest
  @ValueSource(doubles = {100.0, 100.04, -10.0, -10.04})
  void acceptsApiGravitiesInsideTheRange(double api) {
    // 100.0 °API = 610.63 kg/m³ and −10.0 °API = 1163.46 kg/m³
    assertThat(VolumeCorrection.correctFromApiGravity(null, 1000.0, 80.0, api).netVolume())
        .isPositive();
  }

  @ParameterizedTest
  @ValueSource(doubles = {100.1, -10.1, -10.08, Double.NaN, -131.5})
  void refusesApiGravitiesOutsideTheRange(double api) {
    // −10.08 °API at 302 °F is 11.1.6.1 Example 13 of the standard, which must fail.
    assertReason(() -> VolumeCorrection.correctFromApiGravity(null, 1000.0, 302.0, api),
        Reason.DENSITY_OUT_OF_RANGE);
  }

  @Test
  void aPinnedGroupMustContainTheDensity() {
    assertReason(() -> VolumeCorrection.ctl(CommodityGroup.JET_FUELS, 787.5, 80.0),
        Reason.DENSITY_OUT_OF_RANGE);
    assertReason(() -> VolumeCorrection.ctl(CommodityGroup.GASOLINES, 850.0, 80.0),
        Reason.DENSITY_OUT_OF_RANGE);
    assertThat(VolumeCorrection.ctl(CommodityGroup.TRANSITION_ZONE, 787.5, 80.0))
        .isEqualTo(VolumeCorrection.ctl(null, 787.5, 80.0));
    assertThat(VolumeCorrection.ctl(CommodityGroup.JET_FUELS, 787.6, 80.0))
        .isEqualTo(VolumeCorrection.ctl(null, 787.6, 80.0));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, -1000.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MAX_VALUE})
  void refusesInvalidGrossVolumes(double gross) {
    // MAX_VALUE is finite, but gross × CTL (> 1 at 32 °F) is not
    assertReason(() -> VolumeCorrection.correct(null, gross, 32.0, 850.0),
        Reason.INVALID_VOLUME);
    assertReason(() -> VolumeCorrection.correctFromApiGravity(null, gross, 32.0, 35.0),
        Reason.INVALID_VOLUME);
  }

  @Test
  void anEmptyLoadCorrectsToZero() {
    assertThat(VolumeCorrection.correct(null, 0.0, 90.0, 850.0).netVolume()).isEqualTo(0.0);
  }

  // --- input rounding ---------------------------------------------------------------------

  @Test
  void temperatureIsRoundedToATenthBeforeUse() {
    assertThat(VolumeCorrection.ctl(null, 850.0, 59.96)).isEqualTo(1.0);
    assertThat(VolumeCorrection.correct(null, 1000.0, 59.96, 850.0).temperatureF())
        .isEqualTo(60.0);
    // …whereas 59.94 is 59.9 °F and already corrects (worked: CTL = 1.00005)
    assertThat(VolumeCorrection.ctl(null, 850.0, 59.94)).isEqualTo(1.00005);
  }

  @ParameterizedTest(name = "{0} °F is used as {1} °F")
  @CsvSource({"59.95, 60.0", "60.05, 60.0", "60.15, 60.2", "-0.04, 0.0", "-57.95, -58.0"})
  void temperatureTiesRoundToTheEvenTenth(double given, double used) {
    assertThat(VolumeCorrection.roundTemperatureF(given)).isEqualTo(used);
    assertThat(VolumeCorrection.ctl(null, 850.0, given))
        .isEqualTo(VolumeCorrection.ctl(null, 850.0, used));
  }

  @Test
  void densityIsRoundedToATenthBeforeTheGroupIsChosen() {
    assertThat(VolumeCorrection.correct(null, 1000.0, 80.0, 730.04).baseDensityKgM3())
        .isEqualTo(730.0);
    // 787.52 kg/m³ is a jet fuel as given, but is used (and printed) as 787.5: transition zone
    assertThat(VolumeCorrection.correct(null, 1000.0, 80.0, 787.52).group())
        .isEqualTo(CommodityGroup.TRANSITION_ZONE);
    assertThat(VolumeCorrection.correct(null, 1000.0, 80.0, 770.349).group())
        .isEqualTo(CommodityGroup.GASOLINES);
    assertThat(VolumeCorrection.correct(null, 1000.0, 80.0, 770.36).group())
        .isEqualTo(CommodityGroup.TRANSITION_ZONE);
  }

  @Test
  void densityFromApiGravityIsNotRoundedAgain() {
    // 31.0 °API = 869.9124 kg/m³. At 150 °F its CTL is 0.959245539 → 0.95925; had the
    // density been rounded to 869.9 kg/m³ first, CTL would be 0.95924 (worked).
    CorrectedVolume fromApi = VolumeCorrection.correctFromApiGravity(null, 1000.0, 150.0, 31.0);
    assertThat(fromApi.ctl()).isEqualTo(0.95925);
    assertThat(fromApi.baseDensityKgM3()).isEqualTo(Density.apiToKgM3(31.0));
    assertThat(fromApi.apiGravity60()).isEqualTo(31.0);
    assertThat(VolumeCorrection.correct(null, 1000.0, 150.0, 869.9).ctl()).isEqualTo(0.95924);
  }

  @Test
  void apiGravityIsRoundedToATenth() {
    assertThat(VolumeCorrection.correctFromApiGravity(null, 1000.0, 150.0, 31.04))
        .isEqualTo(VolumeCorrection.correctFromApiGravity(null, 1000.0, 150.0, 31.0));
  }

  // --- the corrected volume ---------------------------------------------------------------

  @Test
  void correctsAGasolineLoad() {
    // 730.0 kg/m³ at 90.0 °F: CTL 0.97902 (see CtlReferenceValuesTest);
    // 8000.0 gal × 0.97902 = 7832.16 → 7832.2 gal; 730.0 kg/m³ = 62.1449 → 62.1 °API
    CorrectedVolume result = VolumeCorrection.correct(null, 8000.0, 90.0, 730.0);
    assertThat(result).isEqualTo(new CorrectedVolume(CommodityGroup.GASOLINES, 730.0, 62.1,
        90.0, 0.97902, 8000.0, 7832.2));
  }

  @Test
  void netVolumeIsRoundedHalfUpToATenth() {
    // 680.0 kg/m³ at 32.0 °F: CTL 1.02155. 3000 × 1.02155 = 3064.65 exactly in decimal:
    // half up gives 3064.7 (half to even would give 3064.6).
    assertThat(VolumeCorrection.correct(null, 3000.0, 32.0, 680.0).netVolume())
        .isEqualTo(3064.7);
    // 1000 × 1.02155 = 1021.55 → 1021.6
    assertThat(VolumeCorrection.correct(null, 1000.0, 32.0, 680.0).netVolume())
        .isEqualTo(1021.6);
  }

  @Test
  void netVolumeUsesTheRoundedCtl() {
    // 1 000 000 gal makes the 6th decimal of CTL visible: 0.979016087 unrounded would give
    // 979016.1, the 2004 rounded CTL 0.97902 gives 979020.0.
    assertThat(VolumeCorrection.correct(null, 1_000_000.0, 90.0, 730.0).netVolume())
        .isEqualTo(979_020.0);
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(VolumeCorrectionException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
