package io.tms.domain.volume;

import io.tms.domain.volume.VolumeCorrectionException.Reason;

/**
 * Density expressions at 60 °F and the input rounding that API MPMS 11.1-2004 §11.1.5.4 gives
 * for each of them.
 *
 * <p>Conversions (§11.1.5.1) use the density of water at 60 °F that the 2004 standard uses,
 * {@value #WATER_DENSITY_60F_KG_M3} kg/m³:
 * <pre>
 *   ρ [kg/m³] = RD · 999.016          API = 141.5 / RD − 131.5
 *   ρ [kg/m³] = 141.5 · 999.016 / (API + 131.5)
 * </pre>
 * Conversions never round: a value is rounded once, in the unit it was measured or reported
 * in, and what is derived from it is used as is. They reject only non-finite and non-physical
 * values (ρ ≤ 0, RD ≤ 0, API ≤ −131.5); whether a density lies inside the standard's range is
 * decided where it is used for a correction. The refined-products range 610.6 … 1163.5 kg/m³
 * corresponds to about 100.0 … −10.0 °API.
 */
public final class Density {

  /** Density of water at 60 °F used by API MPMS 11.1-2004 to relate RD and API to kg/m³. */
  public static final double WATER_DENSITY_60F_KG_M3 = 999.016;

  private static final double API_NUMERATOR = 141.5;
  private static final double API_OFFSET = 131.5;

  private Density() {
  }

  /** Density in kg/m³ at 60 °F from API gravity. */
  public static double apiToKgM3(double apiGravity) {
    return relativeDensityToKgM3(apiToRelativeDensity(apiGravity));
  }

  /** API gravity from density in kg/m³ at 60 °F. */
  public static double kgM3ToApi(double densityKgM3) {
    return relativeDensityToApi(kgM3ToRelativeDensity(densityKgM3));
  }

  /** Relative density (60/60 °F) from API gravity. */
  public static double apiToRelativeDensity(double apiGravity) {
    if (!Double.isFinite(apiGravity) || apiGravity <= -API_OFFSET) {
      throw outOfRange("API gravity", apiGravity);
    }
    return API_NUMERATOR / (apiGravity + API_OFFSET);
  }

  /** API gravity from relative density (60/60 °F). */
  public static double relativeDensityToApi(double relativeDensity) {
    requirePositive("relative density", relativeDensity);
    return API_NUMERATOR / relativeDensity - API_OFFSET;
  }

  /** Density in kg/m³ from relative density (60/60 °F). */
  public static double relativeDensityToKgM3(double relativeDensity) {
    requirePositive("relative density", relativeDensity);
    return relativeDensity * WATER_DENSITY_60F_KG_M3;
  }

  /** Relative density (60/60 °F) from density in kg/m³. */
  public static double kgM3ToRelativeDensity(double densityKgM3) {
    requirePositive("density", densityKgM3);
    return densityKgM3 / WATER_DENSITY_60F_KG_M3;
  }

  /** Rounds a density to the standard's increment for kg/m³, 0.1 (half to even, §11.1.5.4). */
  public static double roundKgM3(double densityKgM3) {
    requireFinite("density", densityKgM3);
    return StandardRounding.halfEven(densityKgM3, 1);
  }

  /** Rounds an API gravity to the standard's increment, 0.1 °API (half to even, §11.1.5.4). */
  public static double roundApi(double apiGravity) {
    requireFinite("API gravity", apiGravity);
    return StandardRounding.halfEven(apiGravity, 1);
  }

  /** Rounds a relative density to the standard's increment, 0.0001 (half to even, §11.1.5.4). */
  public static double roundRelativeDensity(double relativeDensity) {
    requireFinite("relative density", relativeDensity);
    return StandardRounding.halfEven(relativeDensity, 4);
  }

  private static void requirePositive(String what, double value) {
    if (!Double.isFinite(value) || value <= 0.0) {
      throw outOfRange(what, value);
    }
  }

  private static void requireFinite(String what, double value) {
    if (!Double.isFinite(value)) {
      throw outOfRange(what, value);
    }
  }

  private static VolumeCorrectionException outOfRange(String what, double value) {
    return new VolumeCorrectionException(Reason.DENSITY_OUT_OF_RANGE,
        what + " " + value + " is not a usable value");
  }
}
