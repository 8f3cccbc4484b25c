package io.tms.domain.volume;
/** PLACEHOLDER. */
public record CorrectedVolume(CommodityGroup group, double baseDensityKgM3, double apiGravity60, double temperatureF, double ctl, double grossVolume, double netVolume) {}
