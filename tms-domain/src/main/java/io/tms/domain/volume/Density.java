package io.tms.domain.volume;
/** PLACEHOLDER. */
public final class Density {
  private Density() {}
  public static double apiToKgM3(double api) { return 141.5 / (api + 131.5) * 999.016; }
  public static double kgM3ToApi(double rho) { return 141.5 / (rho / 999.016) - 131.5; }
}
