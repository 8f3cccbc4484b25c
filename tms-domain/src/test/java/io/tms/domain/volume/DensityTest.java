package io.tms.domain.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tms.domain.volume.VolumeCorrectionException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DensityTest {

  @Test
  void usesTheWaterDensityOfThe2004Standard() {
    assertThat(Density.WATER_DENSITY_60F_KG_M3).isEqualTo(999.016);
  }

  @Test
  void tenDegreesApiIsWater() {
    // 141.5 / (10 + 131.5) = 1: the API scale is anchored on water at 10 °API.
    assertThat(Density.apiToRelativeDensity(10.0)).isEqualTo(1.0);
    assertThat(Density.apiToKgM3(10.0)).isCloseTo(999.016, within(1.0e-12));
    assertThat(Density.kgM3ToApi(999.016)).isCloseTo(10.0, within(1.0e-12));
    assertThat(Density.relativeDensityToApi(1.0)).isCloseTo(10.0, within(1.0e-12));
    assertThat(Density.kgM3ToRelativeDensity(999.016)).isCloseTo(1.0, within(1.0e-15));
  }

  @ParameterizedTest(name = "{0} °API = {1} kg/m³")
  @CsvSource({
    // 141.5 · 999.016 / (API + 131.5), worked in 40-digit decimal arithmetic
    "100.0,  610.6296501079914", // the refined-products range ends here…
    "-10.0, 1163.4630781893004", // …and here, both just inside 610.6 … 1163.5 kg/m³
    "19.4,   936.7843870112657", // 11.1.6.1 Example 3 of the standard
    "35.0,   849.0135975975976",
    "50.0,   778.8471845730028",
  })
  void convertsApiGravityToDensity(double api, double kgM3) {
    assertThat(Density.apiToKgM3(api)).isCloseTo(kgM3, within(1.0e-9));
    assertThat(Density.kgM3ToApi(kgM3)).isCloseTo(api, within(1.0e-9));
  }

  @Test
  void convertsRelativeDensity() {
    // 11.1.6.1 Example 4 enters RD 0.7943: 0.7943 · 999.016 = 793.5184088 kg/m³
    assertThat(Density.relativeDensityToKgM3(0.7943)).isCloseTo(793.5184088, within(1e-9));
    assertThat(Density.apiToRelativeDensity(35.0)).isCloseTo(141.5 / 166.5, within(1e-15));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-10.0, 0.0, 10.0, 37.1, 48.0, 52.0, 62.3, 100.0})
  void apiDensityAndRelativeDensityRoundTrip(double api) {
    double kgM3 = Density.apiToKgM3(api);
    assertThat(Density.kgM3ToApi(kgM3)).isCloseTo(api, within(1.0e-11));
    double rd = Density.kgM3ToRelativeDensity(kgM3);
    assertThat(Density.relativeDensityToApi(rd)).isCloseTo(api, within(1.0e-11));
    assertThat(Density.relativeDensityToKgM3(rd)).isCloseTo(kgM3, within(1.0e-10));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    // half to even, §11.1.5.4: a tie goes to the even last digit
    "770.35,  770.4",
    "770.25,  770.2",
    "770.26,  770.3",
    "770.349, 770.3",
    "-0.04,   0.0",
  })
  void roundsDensityToATenthOfAKilogramPerCubicMetre(double in, double out) {
    assertThat(Density.roundKgM3(in)).isEqualTo(out);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"35.05, 35.0", "35.15, 35.2", "35.16, 35.2", "-9.95, -10.0", "-9.94, -9.9"})
  void roundsApiGravityToATenthOfADegree(double in, double out) {
    assertThat(Density.roundApi(in)).isEqualTo(out);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"0.79435, 0.7944", "0.79425, 0.7942", "0.794249, 0.7942"})
  void roundsRelativeDensityToFourDecimals(double in, double out) {
    assertThat(Density.roundRelativeDensity(in)).isEqualTo(out);
  }

  @Test
  void refusesValuesThatAreNotDensities() {
    assertDensityError(() -> Density.apiToKgM3(Double.NaN));
    assertDensityError(() -> Density.apiToKgM3(-131.5));
    assertDensityError(() -> Density.apiToKgM3(Double.POSITIVE_INFINITY));
    assertDensityError(() -> Density.kgM3ToApi(0.0));
    assertDensityError(() -> Density.kgM3ToApi(-850.0));
    assertDensityError(() -> Density.relativeDensityToKgM3(Double.NaN));
    assertDensityError(() -> Density.kgM3ToRelativeDensity(Double.NEGATIVE_INFINITY));
    assertDensityError(() -> Density.roundKgM3(Double.NaN));
    assertDensityError(() -> Density.roundApi(Double.POSITIVE_INFINITY));
  }

  private static void assertDensityError(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(VolumeCorrectionException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.DENSITY_OUT_OF_RANGE));
  }
}
