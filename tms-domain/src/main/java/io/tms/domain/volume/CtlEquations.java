package io.tms.domain.volume;

/**
 * The unrounded equations of API MPMS 11.1-2004 §11.1.6.1 (steps 2–5) for CTL at 0 psig.
 *
 * <p>The 1980 correlation was fitted to data on the IPTS-68 temperature scale, while the 2004
 * edition takes ITS-90 temperatures. Rather than refit, the standard converts inputs to the
 * IPTS-68 basis before using the 1980 correlation:
 * <ol>
 *   <li>the observed temperature t (ITS-90, °F) becomes t* on IPTS-68 (§11.1.5.3);</li>
 *   <li>the base density ρ60 (defined at 60 °F ITS-90) becomes ρ*, the density at 60 °F
 *       IPTS-68, using δ60 = 0.01374979547 °F;</li>
 *   <li>α60 is the group correlation evaluated at ρ*;</li>
 *   <li>Δt = t* − 60.0068749, where 60.0068749 °F (= 60 + δ60/2) is 60 °F ITS-90 expressed on
 *       IPTS-68, and {@code CTL = exp(−α60·Δt·(1 + 0.8·α60·(Δt + δ60)))}.</li>
 * </ol>
 * None of these intermediates is rounded; rounding belongs to the public entry points.
 */
final class CtlEquations {

  static final double DELTA_60_F = 0.01374979547;
  static final double BASE_TEMPERATURE_IPTS68_F = 60.0068749;

  // ITS-90 → IPTS-68 correction polynomial in τ = t°C/630, §11.1.5.3.
  private static final double A1 = -0.148759;
  private static final double A2 = -0.267408;
  private static final double A3 = 1.080760;
  private static final double A4 = 1.269056;
  private static final double A5 = -4.089591;
  private static final double A6 = -1.871251;
  private static final double A7 = 7.438081;
  private static final double A8 = -3.536296;

  private CtlEquations() {
  }

  /** t* (°F, IPTS-68) for an ITS-90 temperature in °F. Exact at 0 °C, where the scales agree. */
  static double toIpts68F(double its90F) {
    double celsius = (its90F - 32.0) / 1.8;
    double tau = celsius / 630.0;
    double shift = (A1 + (A2 + (A3 + (A4 + (A5 + (A6 + (A7 + A8 * tau) * tau) * tau) * tau)
        * tau) * tau) * tau) * tau;
    return 1.8 * (celsius - shift) + 32.0;
  }

  /** ρ*: the base density moved from 60 °F ITS-90 to 60 °F IPTS-68 (§11.1.6.1 step 3). */
  static double shiftedBaseDensity(CommodityGroup group, double rho60) {
    double k0 = group.k0();
    double k1 = group.k1();
    double k2 = group.k2();
    double a = DELTA_60_F / 2.0 * ((k0 / rho60 + k1) / rho60 + k2);
    double b = (2.0 * k0 + k1 * rho60) / (k0 + (k1 + k2 * rho60) * rho60);
    return rho60 * (1.0 + (Math.exp(a * (1.0 + 0.8 * a)) - 1.0)
        / (1.0 + a * (1.0 + 1.6 * a) * b));
  }

  /** α60 in °F⁻¹ as the standard computes it: the group correlation at ρ*. */
  static double alpha60(CommodityGroup group, double rho60) {
    return group.alpha60(shiftedBaseDensity(group, rho60));
  }

  /** CTL from α60 and an already converted IPTS-68 temperature t* (§11.1.6.1 step 5). */
  static double ctl(double alpha60, double ipts68F) {
    double deltaT = ipts68F - BASE_TEMPERATURE_IPTS68_F;
    return Math.exp(-alpha60 * deltaT * (1.0 + 0.8 * alpha60 * (deltaT + DELTA_60_F)));
  }

  /** Unrounded CTL for a base density (kg/m³) and an ITS-90 temperature (°F); no checks. */
  static double ctl(CommodityGroup group, double rho60, double its90F) {
    return ctl(alpha60(group, rho60), toIpts68F(its90F));
  }
}
