package io.tms.domain.volume;

/** PLACEHOLDER until the volume branch merges. */
public enum CommodityGroup {
  GASOLINES, TRANSITION_ZONE, JET_FUELS, FUEL_OILS;
  public static CommodityGroup forBaseDensity(double d) { return d < 770.352 ? GASOLINES : d < 787.5195 ? TRANSITION_ZONE : d < 838.3127 ? JET_FUELS : FUEL_OILS; }
}
