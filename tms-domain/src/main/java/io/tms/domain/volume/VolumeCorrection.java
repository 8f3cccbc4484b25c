package io.tms.domain.volume;

import io.tms.domain.volume.VolumeCorrectionException.Reason;

/**
 * Correction of refined-product volumes to 60 °F per API MPMS Chapter 11.1-2004
 * (ASTM D1250-04, IP 200/04), the Table 6B/54B family of "generalized refined products".
 *
 * <h2>Scope</h2>
 * Temperature only. Loading racks deliver at atmospheric pressure, i.e. 0 psig, where the
 * standard's CPL is exactly 1 and CTPL = CTL; pressure is therefore not an input. Crude oils,
 * lubricating oils and user-supplied α60 ("special applications") are out of scope; so are
 * glass-hydrometer corrections, which the standard itself leaves to other chapters.
 *
 * <h2>Limits (errors, never extrapolated)</h2>
 * <ul>
 *   <li>temperature −58.0 … 302.0 °F;</li>
 *   <li>base density 610.6 … 1163.5 kg/m³ (≈ 100.0 … −10.0 °API), and within the pinned
 *       group's own range when a group is given;</li>
 *   <li>observed density (input of the iteration) 470.4 … 1209.5 kg/m³;</li>
 *   <li>α60 230 … 930 ×10⁻⁶ °F⁻¹: the standard checks this only for user-supplied α60; every
 *       density in the refined-products range yields α60 within it (309 … 916 ×10⁻⁶), so no
 *       runtime check is needed.</li>
 * </ul>
 * Non-finite inputs are refused with the reason of the quantity concerned.
 *
 * <h2>Rounding: what, where and why</h2>
 * The increments are those of §11.1.5.4, applied with the standard's rounding procedure:
 * normalise by the increment, round to the nearest integer, an exact half to the even one.
 * <ul>
 *   <li><b>Inputs</b>, first of all, before range checks: temperature to 0.1 °F, density to
 *       0.1 kg/m³, API gravity to 0.1 °API. The 2004 implementation procedure itself computes
 *       with whatever it is given (its own worked examples use e.g. 41.85 °F and
 *       803.141 kg/m³); TMS rounds to the standard's discrimination levels because those are
 *       the figures printed on a ticket, and the printed figures must reproduce the printed
 *       CTL. A limit is therefore judged on the rounded value: −58.04 °F and −58.05 °F are
 *       −58.0 °F and accepted, where the unrounded reference procedure refuses −58.05 °F.</li>
 *   <li><b>Conversions</b> are not rounded again: a density derived from a rounded API gravity
 *       is used unrounded, so the result is that of the API gravity actually recorded.</li>
 *   <li><b>Intermediates</b> (t*, ρ*, α60, the iterated ρ60) are never rounded.</li>
 *   <li><b>CTL</b> to 5 decimals, the 2004 edition's output, and the factor applied to the
 *       volume. (Addendum 2 of 2019 changed this to an unrounded CTL; we implement 2004.)</li>
 *   <li><b>Base density from an observed density</b> to 0.1 kg/m³: it is reported and then
 *       used as the density input of the correction.</li>
 *   <li><b>Net volume</b> = gross × rounded CTL, to 0.1 of the volume unit, half up as API
 *       MPMS Chapter 12 rounds quantities. TMS volumes are US gallons; a tenth of a gallon is
 *       the finest figure rack meters and presets commonly report, so the ticket neither claims
 *       more precision than was measured nor throws any away (±0.05 gal on a load of
 *       thousands of gallons).</li>
 * </ul>
 *
 * <h2>Commodity group</h2>
 * Every method takes a {@link CommodityGroup}; {@code null} means generalized refined
 * products, i.e. the group is chosen from the base density as the standard intends. A pinned
 * group must contain the base density.
 *
 * <p>Stateless and thread-safe; a correction allocates only its result.
 */
public final class VolumeCorrection {

  public static final double MIN_TEMPERATURE_F = -58.0;
  public static final double MAX_TEMPERATURE_F = 302.0;
  public static final double MIN_BASE_DENSITY_KG_M3 = 610.6;
  public static final double MAX_BASE_DENSITY_KG_M3 = 1163.5;
  public static final double MIN_OBSERVED_DENSITY_KG_M3 = 470.4;
  public static final double MAX_OBSERVED_DENSITY_KG_M3 = 1209.5;

  private static final double BASE_TEMPERATURE_F = 60.0;

  private VolumeCorrection() {
  }

  /**
   * CTL, rounded to 5 decimals, for a product of known base density at temperature t.
   *
   * @param group commodity group, or {@code null} to select it from the density
   * @param baseDensityKgM3 density at 60 °F in kg/m³ (rounded to 0.1 before use)
   * @param temperatureF observed temperature in °F, ITS-90 (rounded to 0.1 before use)
   * @throws VolumeCorrectionException for temperature or density outside the standard
   */
  public static double ctl(CommodityGroup group, double baseDensityKgM3, double temperatureF) {
    double temperature = checkedTemperature(temperatureF);
    double rho60 = Density.roundKgM3(baseDensityKgM3);
    return roundedCtl(selectGroup(group, rho60), rho60, temperature);
  }

  /**
   * Base density (at 60 °F) of a product whose density was measured at temperature t, e.g.
   * by an on-line densitometer, by the iteration of §11.1.6.2
   * (Newton steps on {@code ρobs = ρ60·CTL(ρ60, t)}, converged to 1e-6 kg/m³ in at most
   * 15 iterations). At 60.0 °F the observed density is the base density.
   *
   * @param group commodity group, or {@code null} to re-select it by density while iterating
   * @param observedDensityKgM3 density at the observed temperature in kg/m³ (rounded to 0.1)
   * @param temperatureF observed temperature in °F, ITS-90 (rounded to 0.1)
   * @return base density in kg/m³, rounded to 0.1
   * @throws VolumeCorrectionException for inputs outside the standard, a base density outside
   *     it, or non-convergence
   */
  public static double baseDensityFromObserved(CommodityGroup group, double observedDensityKgM3,
      double temperatureF) {
    double temperature = checkedTemperature(temperatureF);
    double observed = Density.roundKgM3(observedDensityKgM3);
    if (temperature == BASE_TEMPERATURE_F) {
      selectGroup(group, observed);
      return observed;
    }
    if (!(observed >= MIN_OBSERVED_DENSITY_KG_M3 && observed <= MAX_OBSERVED_DENSITY_KG_M3)) {
      throw new VolumeCorrectionException(Reason.DENSITY_OUT_OF_RANGE,
          "observed density " + observed + " kg/m³ is outside "
              + MIN_OBSERVED_DENSITY_KG_M3 + " … " + MAX_OBSERVED_DENSITY_KG_M3);
    }
    double rho60 = ObservedDensityIteration.solve(group, observed, temperature,
        ObservedDensityIteration.MAX_ITERATIONS);
    return Density.roundKgM3(rho60);
  }

  /**
   * Corrects a gross volume to net standard volume at 60 °F from a base density in kg/m³.
   *
   * @param group commodity group, or {@code null} to select it from the density
   * @param grossVolume gross observed volume, ≥ 0, in any unit (US gallons in TMS)
   * @param temperatureF observed temperature in °F, ITS-90 (rounded to 0.1)
   * @param baseDensityKgM3 density at 60 °F in kg/m³ (rounded to 0.1)
   * @throws VolumeCorrectionException for inputs outside the standard or an invalid volume
   */
  public static CorrectedVolume correct(CommodityGroup group, double grossVolume,
      double temperatureF, double baseDensityKgM3) {
    requireVolume(grossVolume);
    double temperature = checkedTemperature(temperatureF);
    double rho60 = Density.roundKgM3(baseDensityKgM3);
    CommodityGroup used = selectGroup(group, rho60);
    double api = Density.roundApi(Density.kgM3ToApi(rho60));
    return corrected(used, grossVolume, temperature, rho60, api);
  }

  /**
   * As {@link #correct}, for a product whose base density is recorded as API gravity; the API
   * gravity is rounded to 0.1 °API and its density is used without rounding it again.
   */
  public static CorrectedVolume correctFromApiGravity(CommodityGroup group, double grossVolume,
      double temperatureF, double apiGravity60) {
    requireVolume(grossVolume);
    double temperature = checkedTemperature(temperatureF);
    double api = Density.roundApi(apiGravity60);
    double rho60 = Density.apiToKgM3(api);
    CommodityGroup used = selectGroup(group, rho60);
    return corrected(used, grossVolume, temperature, rho60, api);
  }

  /**
   * Rounds a temperature to the standard's 0.1 °F (half to even), without a range check.
   *
   * @throws VolumeCorrectionException {@link Reason#TEMPERATURE_OUT_OF_RANGE} if not finite
   */
  public static double roundTemperatureF(double temperatureF) {
    if (!Double.isFinite(temperatureF)) {
      throw new VolumeCorrectionException(Reason.TEMPERATURE_OUT_OF_RANGE,
          "temperature " + temperatureF + " °F is not a number");
    }
    return StandardRounding.halfEven(temperatureF, 1);
  }

  private static CorrectedVolume corrected(CommodityGroup group, double grossVolume,
      double temperature, double rho60, double api) {
    double ctl = roundedCtl(group, rho60, temperature);
    double net = grossVolume * ctl;
    if (!Double.isFinite(net)) {
      throw new VolumeCorrectionException(Reason.INVALID_VOLUME,
          "gross volume " + grossVolume + " is too large to correct");
    }
    return new CorrectedVolume(group, rho60, api, temperature, ctl, grossVolume,
        StandardRounding.halfUp(net, 1));
  }

  private static double roundedCtl(CommodityGroup group, double rho60, double temperature) {
    return StandardRounding.halfEven(CtlEquations.ctl(group, rho60, temperature), 5);
  }

  private static double checkedTemperature(double temperatureF) {
    double rounded = roundTemperatureF(temperatureF);
    if (rounded < MIN_TEMPERATURE_F || rounded > MAX_TEMPERATURE_F) {
      throw new VolumeCorrectionException(Reason.TEMPERATURE_OUT_OF_RANGE,
          "temperature " + rounded + " °F is outside " + MIN_TEMPERATURE_F + " … "
              + MAX_TEMPERATURE_F);
    }
    return rounded;
  }

  private static CommodityGroup selectGroup(CommodityGroup pinned, double rho60) {
    if (pinned == null) {
      return CommodityGroup.forBaseDensity(rho60);
    }
    if (!pinned.covers(rho60)) {
      throw new VolumeCorrectionException(Reason.DENSITY_OUT_OF_RANGE,
          "base density " + rho60 + " kg/m³ is outside " + pinned + " ("
              + pinned.minBaseDensityKgM3() + " … " + pinned.maxBaseDensityKgM3()
              + ")");
    }
    return pinned;
  }

  private static void requireVolume(double grossVolume) {
    if (!Double.isFinite(grossVolume) || grossVolume < 0.0) {
      throw new VolumeCorrectionException(Reason.INVALID_VOLUME,
          "gross volume " + grossVolume + " must be a finite number ≥ 0");
    }
  }
}
