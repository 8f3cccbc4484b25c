package io.tms.domain.volume;

import io.tms.domain.volume.VolumeCorrectionException.Reason;

/**
 * The refined-products commodity groups of API MPMS Chapter 11.1-2004 (Table 6B / 54B family),
 * with their thermal-expansion constants and base-density ranges.
 *
 * <p>Each group's coefficient of thermal expansion at 60 °F is the correlation
 * {@code α60 = K0/ρ² + K1/ρ + K2} (ρ in kg/m³, α60 in °F⁻¹). The transition zone uses the
 * standard's special form {@code α60 = A + B/ρ²}, i.e. {@code K2 = A = −0.00186840},
 * {@code K0 = B = 1489.0670}, {@code K1 = 0}; it exists only to join gasolines to jet fuels.
 *
 * <p>The standard assigns a product to a group by its base density, not by its name (ASTM
 * D1250: "a low-density diesel may lie in the jet fuel class … the product should be
 * allocated to the class appropriate to its density"), so the ranges below are enforced even
 * when a caller pins a group. Lower bounds are inclusive and upper bounds exclusive, except that
 * fuel oils include 1163.5 kg/m³, the upper limit of the standard. At each bound the
 * neighbouring correlations meet: the α60 that the CTL calculation uses (evaluated at the
 * shifted density ρ*) agrees on both sides within 4e-10 °F⁻¹, so CTL is continuous across
 * group changes to better than 1e-7.
 *
 * <p>{@code dAlpha} is the standard's approximation of {@code −(ρ/α60)·dα60/dρ} used only to
 * build the Newton step of the observed-to-base density iteration (§11.1.6.2).
 *
 * <p>Source: API MPMS 11.1-2004 §11.1.6.1 (K values, density limits) and §11.1.6.2 (Dα), as
 * cited and coded in API's reference implementation of the standard ({@code constants.h},
 * © 2003 American Petroleum Institute).
 */
public enum CommodityGroup {
  GASOLINES(192.4571, 0.2438, 0.0, 1.5, 610.6, 770.3520),
  TRANSITION_ZONE(1489.0670, 0.0, -0.00186840, 8.5, 770.3520, 787.5195),
  JET_FUELS(330.3010, 0.0, 0.0, 2.0, 787.5195, 838.3127),
  FUEL_OILS(103.8720, 0.2701, 0.0, 1.3, 838.3127, 1163.5);

  private final double k0;
  private final double k1;
  private final double k2;
  private final double dAlpha;
  private final double minBaseDensityKgM3;
  private final double maxBaseDensityKgM3;

  CommodityGroup(double k0, double k1, double k2, double dAlpha, double min, double max) {
    this.k0 = k0;
    this.k1 = k1;
    this.k2 = k2;
    this.dAlpha = dAlpha;
    this.minBaseDensityKgM3 = min;
    this.maxBaseDensityKgM3 = max;
  }

  /**
   * The group's correlation {@code K0/ρ² + K1/ρ + K2}, evaluated at exactly the density given.
   *
   * <p>Note that the CTL calculation does not feed the base density ρ60 in directly: it first
   * shifts ρ60 to the IPTS-68 basis (ρ*) and evaluates this correlation at ρ*.
   *
   * @param densityKgM3 density in kg/m³
   * @return coefficient of thermal expansion in °F⁻¹
   */
  public double alpha60(double densityKgM3) {
    return (k0 / densityKgM3 + k1) / densityKgM3 + k2;
  }

  /** Lowest base density (kg/m³ at 60 °F) that belongs to this group, inclusive. */
  public double minBaseDensityKgM3() {
    return minBaseDensityKgM3;
  }

  /**
   * Boundary to the next group (kg/m³ at 60 °F): exclusive, except for {@link #FUEL_OILS} whose
   * bound is the standard's limit 1163.5 and is included.
   */
  public double maxBaseDensityKgM3() {
    return maxBaseDensityKgM3;
  }

  /** Whether a base density (kg/m³ at 60 °F) belongs to this group. NaN belongs to none. */
  public boolean covers(double baseDensityKgM3) {
    return baseDensityKgM3 >= minBaseDensityKgM3
        && (baseDensityKgM3 < maxBaseDensityKgM3
            || this == FUEL_OILS && baseDensityKgM3 == maxBaseDensityKgM3);
  }

  /**
   * The group the standard assigns to a base density ("generalized refined products").
   *
   * @param baseDensityKgM3 density at 60 °F in kg/m³, as it will be used (already rounded)
   * @throws VolumeCorrectionException {@link Reason#DENSITY_OUT_OF_RANGE} outside
   *     610.6 … 1163.5 kg/m³ or if not a number
   */
  public static CommodityGroup forBaseDensity(double baseDensityKgM3) {
    // Explicit order instead of values(): values() clones an array on every call.
    if (GASOLINES.covers(baseDensityKgM3)) {
      return GASOLINES;
    }
    if (TRANSITION_ZONE.covers(baseDensityKgM3)) {
      return TRANSITION_ZONE;
    }
    if (JET_FUELS.covers(baseDensityKgM3)) {
      return JET_FUELS;
    }
    if (FUEL_OILS.covers(baseDensityKgM3)) {
      return FUEL_OILS;
    }
    throw new VolumeCorrectionException(Reason.DENSITY_OUT_OF_RANGE,
        "base density " + baseDensityKgM3 + " kg/m³ is outside the refined-products range "
            + GASOLINES.minBaseDensityKgM3 + " … " + FUEL_OILS.maxBaseDensityKgM3);
  }

  double k0() {
    return k0;
  }

  double k1() {
    return k1;
  }

  double k2() {
    return k2;
  }

  double dAlpha() {
    return dAlpha;
  }
}
