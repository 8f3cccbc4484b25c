package io.tms.domain.volume;
/** PLACEHOLDER. */
public final class VolumeCorrection {
  private VolumeCorrection() {}
  public static double ctl(CommodityGroup g, double rho, double t) { return Math.round(Math.exp(-0.0006 * (t - 60)) * 1e5) / 1e5; }
  public static double baseDensityFromObserved(CommodityGroup g, double obs, double t) { return obs / ctl(g, obs, t); }
  public static CorrectedVolume correct(CommodityGroup g, double gross, double t, double rho) {
    if (t < -58 || t > 302) throw new VolumeCorrectionException(VolumeCorrectionException.Reason.TEMPERATURE_OUT_OF_RANGE, "temperature out of range");
    double c = ctl(g, rho, t); return new CorrectedVolume(g, rho, Density.kgM3ToApi(rho), t, c, gross, Math.round(gross * c * 10) / 10.0); }
}
