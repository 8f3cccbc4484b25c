package io.tms.domain.inventory;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Tank;
import io.tms.domain.volume.CorrectedVolume;
import io.tms.domain.volume.VolumeCorrection;
import io.tms.domain.volume.VolumeCorrectionException;
import java.time.Instant;
import java.util.Objects;

/**
 * A gauge reading of a tank: gross observed volume of product (free water excluded), its average
 * temperature, and the net volume at 60 °F worked out with the tank's base density.
 */
public record GaugeReading(
    String tankId, Instant readAt, double grossGallons, double waterGallons, double temperatureF, double netGallons) {

  public GaugeReading {
    Objects.requireNonNull(tankId, "tankId");
    Objects.requireNonNull(readAt, "readAt");
  }

  /** Corrects a gauged volume to net at 60 °F; refuses volumes beyond the tank's capacity. */
  public static GaugeReading of(
      Tank tank, Product product, Instant readAt, double grossGallons, double waterGallons, double temperatureF) {
    if (!(grossGallons >= 0) || grossGallons > tank.capacityGallons()) {
      throw new DomainException(
          ErrorCode.INVALID_INPUT,
          "grossGallons",
          "gross must be between 0 and the tank capacity " + tank.capacityGallons() + " (was " + grossGallons + ")");
    }
    if (!(waterGallons >= 0) || waterGallons > tank.capacityGallons()) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "waterGallons", "water must be between 0 and the tank capacity");
    }
    try {
      CorrectedVolume cv = VolumeCorrection.correct(
          product.volumeGroupFor(tank.baseDensityKgM3()), grossGallons, temperatureF, tank.baseDensityKgM3());
      return new GaugeReading(tank.id(), readAt, grossGallons, waterGallons, cv.temperatureF(), cv.netVolume());
    } catch (VolumeCorrectionException e) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "temperatureF", e.getMessage());
    }
  }
}
