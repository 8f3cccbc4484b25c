package io.tms.domain.volume;

import io.tms.domain.volume.VolumeCorrectionException.Reason;

/**
 * Base density from a density observed at temperature t, at 0 psig: the iterative procedure of
 * API MPMS 11.1-2004 §11.1.6.2, which finds ρ60 with {@code ρobs = ρ60 · CTL(ρ60, t)}.
 *
 * <p>The procedure, as coded in API's reference implementation of the standard:
 * <ol>
 *   <li>start from ρ60 = ρobs, clamped into the commodity's base-density limits;</li>
 *   <li>with the group for ρ60 (re-selected every iteration for generalized refined products,
 *       since the estimate can cross a group boundary), compute α60 and the unrounded CTL;</li>
 *   <li>stop when {@code |ρobs − ρ60·CTL| < 1e-6 kg/m³};</li>
 *   <li>otherwise take the Newton step {@code ρ60 += Eρ / (1 + Dt)} with
 *       {@code Eρ = ρobs/CTL − ρ60} and {@code Dt = Dα·α60·Δt·(1 + 1.6·α60·Δt)}, where
 *       Δt = t − 60 on the unshifted scale and Dα is the group's derivative factor
 *       (the pressure term Dp is zero at 0 psig); clamp the new estimate into the limits;</li>
 *   <li>give up after {@value #MAX_ITERATIONS} evaluations.</li>
 * </ol>
 * If the last estimate had to be clamped, the observed density belongs to a base density
 * outside the standard's range. The neighbouring group correlations do not meet exactly at a
 * boundary (CTL differs by up to ~1e-7), so ρ60·CTL has a tiny step there and the estimates
 * can alternate across it without meeting the criterion. The note to step 4 of §11.1.6.2
 * (in the reference implementation: within 1 kg/m³ of a transition-zone boundary, generalized
 * refined products only) accepts the last estimate in that case; we do the same, and no
 * more: at the jet-fuel/fuel-oil boundary such a case stays {@code NON_CONVERGENCE}.
 */
final class ObservedDensityIteration {

  static final int MAX_ITERATIONS = 15;
  static final double TOLERANCE_KG_M3 = 1.0e-6;
  private static final double TRANSITION_ZONE_NOTE_KG_M3 = 1.0;

  private ObservedDensityIteration() {
  }

  /**
   * Unrounded ρ60 (kg/m³). Inputs are used exactly as given; range checks of the observed
   * inputs are the caller's.
   *
   * @param pinned the group to use throughout, or {@code null} to select by density
   */
  static double solve(CommodityGroup pinned, double observedKgM3, double its90F,
      int maxIterations) {
    double lower = pinned == null ? CommodityGroup.GASOLINES.minBaseDensityKgM3()
        : pinned.minBaseDensityKgM3();
    double upper = pinned == null ? CommodityGroup.FUEL_OILS.maxBaseDensityKgM3()
        : pinned.maxBaseDensityKgM3();
    double ipts68F = CtlEquations.toIpts68F(its90F);
    double deltaT = its90F - 60.0;

    double rho60 = clamp(observedKgM3, lower, upper);
    boolean clamped = rho60 != observedKgM3;
    for (int evaluation = 1; ; evaluation++) {
      CommodityGroup group = pinned != null ? pinned : CommodityGroup.forBaseDensity(rho60);
      double alpha60 = CtlEquations.alpha60(group, rho60);
      double ctl = CtlEquations.ctl(alpha60, ipts68F);
      if (Math.abs(observedKgM3 - rho60 * ctl) < TOLERANCE_KG_M3) {
        return rho60;
      }
      if (evaluation >= maxIterations) {
        break;
      }
      double error = observedKgM3 / ctl - rho60;
      double dt = group.dAlpha() * alpha60 * deltaT * (1.0 + 1.6 * alpha60 * deltaT);
      double next = rho60 + error / (1.0 + dt);
      rho60 = clamp(next, lower, upper);
      clamped = rho60 != next;
    }
    if (clamped) {
      throw new VolumeCorrectionException(Reason.DENSITY_OUT_OF_RANGE,
          "observed density " + observedKgM3 + " kg/m³ at " + its90F
              + " °F corresponds to a base density outside " + lower + " … " + upper
              + " kg/m³");
    }
    if (pinned == null && nearTransitionZoneBoundary(rho60)) {
      return rho60;
    }
    throw new VolumeCorrectionException(Reason.NON_CONVERGENCE,
        "base density for observed " + observedKgM3 + " kg/m³ at " + its90F
            + " °F did not converge in " + maxIterations + " iterations");
  }

  private static boolean nearTransitionZoneBoundary(double rho60) {
    CommodityGroup zone = CommodityGroup.TRANSITION_ZONE;
    return Math.abs(rho60 - zone.minBaseDensityKgM3()) < TRANSITION_ZONE_NOTE_KG_M3
        || Math.abs(rho60 - zone.maxBaseDensityKgM3()) < TRANSITION_ZONE_NOTE_KG_M3;
  }

  private static double clamp(double value, double lower, double upper) {
    return Math.min(Math.max(value, lower), upper);
  }
}
