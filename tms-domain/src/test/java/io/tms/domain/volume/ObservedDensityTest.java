package io.tms.domain.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tms.domain.volume.VolumeCorrectionException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObservedDensityTest {

  private static final int LIMIT = ObservedDensityIteration.MAX_ITERATIONS;

  @Test
  void recoversThePublishedBaseDensityOfExample3() {
    // API MPMS 11.1-2004 §11.1.6.1 Example 3 (from API's reference implementation tests):
    // 19.4 °API (ρ60 = 936.7843870113 kg/m³), 48.04 °F, gauge pressure below zero hence
    // 0 psig and CPL = 1: density at 48.04 °F = 941.3353501926 kg/m³. Going back must give
    // ρ60; the convergence test |ρobs − ρ60·CTL| < 1e-6 bounds the error to ~1e-6 kg/m³.
    assertThat(ObservedDensityIteration.solve(null, 941.3353501926, 48.04, LIMIT))
        .isCloseTo(936.7843870113, within(2.0e-6));
  }

  @Test
  void recoversTheBaseDensityBehindThePublishedCtlOfExample6() {
    // §11.1.6.1 Example 6: gasolines, ρ60 = 657.3 kg/m³, 27.3 °F, CTL = 1.026475833518
    // (its pressure only affects CPL, not used here). At 0 psig ρobs = ρ60·CTL.
    double observed = 657.3 * 1.026475833518;
    assertThat(ObservedDensityIteration.solve(null, observed, 27.3, LIMIT))
        .isCloseTo(657.3, within(2.0e-6));
  }

  @ParameterizedTest(name = "{0} kg/m³ at {1} °F → {2} kg/m³ ({3}, unrounded {4})")
  @CsvSource({
    // worked independently (50-digit decimal arithmetic, same iteration)
    "720.0,   90.0, 735.3, GASOLINES,       735.2603779",
    "600.0,  100.0, 622.3, GASOLINES,       622.3459201", // below 610.6 observed, fine hot
    "650.0,  250.0, 747.9, GASOLINES,       747.9101708",
    "800.0,   30.0, 787.5, TRANSITION_ZONE, 787.4705153", // starts as jet fuel
    "775.0,  100.0, 791.8, JET_FUELS,       791.7914609", // starts in transition zone
    "850.0,  120.0, 873.5, FUEL_OILS,       873.5235214",
    "941.3,   48.0, 936.7, FUEL_OILS,       936.7337677",
    "1000.0, -40.0, 962.7, FUEL_OILS,       962.6743626",
    "470.4,  302.0, 610.6, GASOLINES,       610.6097399", // both limits, just inside
  })
  void convergesOnTheBaseDensity(double observed, double temperatureF, double base,
      CommodityGroup endGroup, double unrounded) {
    assertThat(VolumeCorrection.baseDensityFromObserved(null, observed, temperatureF))
        .isEqualTo(base);
    assertThat(CommodityGroup.forBaseDensity(base)).isEqualTo(endGroup);
    assertThat(ObservedDensityIteration.solve(null, observed, temperatureF, LIMIT))
        .isCloseTo(unrounded, within(1.0e-6));
  }

  @ParameterizedTest(name = "{0} kg/m³ at {1} °F")
  @CsvSource({
    "620.0, 280.0", "700.0, -50.0", "745.0, 95.0", "770.0, 20.0", "780.0, 140.0",
    "790.0, 75.0", "825.0, 88.0", "840.0, 10.0", "860.0, 64.3", "990.0, 210.0",
    "1050.0, 250.0", "1180.0, -30.0",
  })
  void isConsistentWithTheForwardCorrection(double observed, double temperatureF) {
    double base = VolumeCorrection.baseDensityFromObserved(null, observed, temperatureF);
    double ctl = VolumeCorrection.ctl(null, base, temperatureF);
    // exact before rounding; the printed ρ60 (±0.05 kg/m³) and CTL (±5e-6) allow < 0.07
    assertThat(base * ctl).isCloseTo(observed, within(0.07));
    double unrounded = ObservedDensityIteration.solve(null, observed, temperatureF, LIMIT);
    CommodityGroup group = CommodityGroup.forBaseDensity(unrounded);
    assertThat(unrounded * CtlEquations.ctl(group, unrounded, temperatureF))
        .isCloseTo(observed, within(ObservedDensityIteration.TOLERANCE_KG_M3));
  }

  @Test
  void atSixtyDegreesTheObservedDensityIsTheBaseDensity() {
    assertThat(VolumeCorrection.baseDensityFromObserved(null, 850.0, 60.0)).isEqualTo(850.0);
    assertThat(VolumeCorrection.baseDensityFromObserved(null, 850.04, 59.96)).isEqualTo(850.0);
    assertThat(VolumeCorrection.baseDensityFromObserved(CommodityGroup.JET_FUELS, 800.0, 60.0))
        .isEqualTo(800.0);
    // at 60 °F the observed density is a base density and must meet the base limits…
    assertReason(() -> VolumeCorrection.baseDensityFromObserved(null, 600.0, 60.0),
        Reason.DENSITY_OUT_OF_RANGE);
    // …and the pinned group's
    assertReason(() -> VolumeCorrection.baseDensityFromObserved(
        CommodityGroup.JET_FUELS, 850.0, 60.0), Reason.DENSITY_OUT_OF_RANGE);
  }

  @Test
  void aPinnedGroupIsKeptThroughTheIteration() {
    // 775.0 kg/m³ at 100 °F is a jet fuel at 60 °F (791.8): pinned to jet fuels the answer is
    // the same, pinned to the transition zone the base density would have to leave the
    // zone, which the standard does not allow.
    assertThat(VolumeCorrection.baseDensityFromObserved(CommodityGroup.JET_FUELS, 775.0, 100.0))
        .isEqualTo(791.8);
    assertReason(() -> VolumeCorrection.baseDensityFromObserved(
        CommodityGroup.TRANSITION_ZONE, 775.0, 100.0), Reason.DENSITY_OUT_OF_RANGE);
  }

  @ParameterizedTest(name = "{0} kg/m³ at {1} °F")
  @CsvSource({
    "470.3, 100.0", // below the observed-density limit 470.4
    "1209.6, 100.0", // above the observed-density limit 1209.5
    "500.0, 200.0", // allowed as observed, but ρ60 would be < 610.6 kg/m³
    "1200.0, 70.0", // ρ60 ≈ 1204 kg/m³ > 1163.5
  })
  void refusesObservedDensitiesWithoutABaseDensityInRange(double observed, double t) {
    assertReason(() -> VolumeCorrection.baseDensityFromObserved(null, observed, t),
        Reason.DENSITY_OUT_OF_RANGE);
  }

  @Test
  void refusesInvalidObservedInputs() {
    assertReason(() -> VolumeCorrection.baseDensityFromObserved(null, Double.NaN, 80.0),
        Reason.DENSITY_OUT_OF_RANGE);
    assertReason(() -> VolumeCorrection.baseDensityFromObserved(null, -800.0, 80.0),
        Reason.DENSITY_OUT_OF_RANGE);
    assertReason(() -> VolumeCorrection.baseDensityFromObserved(null, 800.0, Double.NaN),
        Reason.TEMPERATURE_OUT_OF_RANGE);
    assertReason(() -> VolumeCorrection.baseDensityFromObserved(null, 800.0, 302.1),
        Reason.TEMPERATURE_OUT_OF_RANGE);
  }

  @Test
  void reportsNonConvergenceWhenTheIterationLimitIsReached() {
    // 900 kg/m³ at 250 °F needs several Newton steps; allowed one, it has not converged.
    assertReason(() -> ObservedDensityIteration.solve(null, 900.0, 250.0, 1),
        Reason.NON_CONVERGENCE);
    assertThat(ObservedDensityIteration.solve(null, 900.0, 250.0, LIMIT))
        .isCloseTo(972.9585, within(1.0e-4)); // worked; 3 steps
  }

  @Test
  void acceptsTheLastEstimateNearATransitionZoneBoundary() {
    // Note to step 4 of §11.1.6.2: exactly at a group boundary the neighbouring correlations
    // differ by ~1e-8 in CTL, so ρ60·CTL jumps by ~1e-5 kg/m³ there and the Newton steps
    // can alternate across the boundary without meeting the 1e-6 kg/m³ criterion (worked:
    // ρ60 = 770.352 at −58 °F alternates 770.351999 / 770.352011). The standard accepts the
    // last estimate within 1 kg/m³ of a transition-zone boundary.
    double boundary = CommodityGroup.TRANSITION_ZONE.minBaseDensityKgM3();
    double observed = boundary * CtlEquations.ctl(CommodityGroup.TRANSITION_ZONE, boundary,
        -58.0);
    assertThat(ObservedDensityIteration.solve(null, observed, -58.0, LIMIT))
        .isCloseTo(boundary, within(1.0e-4));
    // the note is about generalized products only: a pinned group must converge or fail
    assertReason(() -> ObservedDensityIteration.solve(CommodityGroup.TRANSITION_ZONE, 770.5,
        100.0, 1), Reason.NON_CONVERGENCE);
    assertThat(ObservedDensityIteration.solve(null, 770.5, 100.0, 1)).isEqualTo(770.5);
  }

  @Test
  void theJetFuelOilBoundaryIsNotCoveredByTheNote() {
    // The same alternation happens at 838.3127 kg/m³ when hot (worked: at 302 °F the
    // residual alternates +2.4e-6 / −2.3e-6 kg/m³). The standard's note names only the
    // transition zone, so this is reported, not papered over. Reachable only by an
    // observed density within ~1e-5 kg/m³ of this exact value at ≥ ~200 °F.
    double boundary = CommodityGroup.FUEL_OILS.minBaseDensityKgM3();
    double observed = boundary * CtlEquations.ctl(CommodityGroup.FUEL_OILS, boundary, 302.0);
    assertReason(() -> ObservedDensityIteration.solve(null, observed, 302.0, LIMIT),
        Reason.NON_CONVERGENCE);
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(VolumeCorrectionException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
