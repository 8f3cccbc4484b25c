package io.tms.domain.loading;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Tank;
import io.tms.domain.volume.CorrectedVolume;
import io.tms.domain.volume.Density;
import io.tms.domain.volume.VolumeCorrection;
import io.tms.domain.volume.VolumeCorrectionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Completes a load (DESIGN §2 step 4): checks the meter readings against the plan and corrects each
 * compartment's gross volume to net at 60 °F. A compartment metered at zero gallons produces no BOL
 * line. Readings outside the standard's range are refused, never extrapolated.
 */
public final class LoadCompletion {
  private LoadCompletion() {}

  public static List<BolLine> lines(
      List<PlannedCompartment> plan,
      List<MeterReading> readings,
      Function<String, Product> products,
      Function<String, Tank> tanks) {
    Map<Integer, MeterReading> byCompartment = new HashMap<>();
    for (MeterReading r : readings) {
      if (byCompartment.put(r.compartment(), r) != null) {
        throw new DomainException(
            ErrorCode.INVALID_INPUT, "compartments", "compartment " + r.compartment() + " reported twice");
      }
    }
    List<BolLine> lines = new ArrayList<>();
    for (PlannedCompartment pc : plan) {
      MeterReading r = byCompartment.remove(pc.compartment());
      String field = "compartments[" + pc.compartment() + "]";
      if (r == null) {
        throw new DomainException(
            ErrorCode.INVALID_INPUT, "compartments", "no meter reading for compartment " + pc.compartment());
      }
      if (!(r.grossGallons() >= 0) || Double.isInfinite(r.grossGallons())) {
        throw new DomainException(ErrorCode.INVALID_INPUT, field + ".grossGallons", "gross must be >= 0");
      }
      if (r.grossGallons() > pc.presetGallons()) {
        throw new DomainException(
            ErrorCode.RULE_VIOLATED,
            field + ".grossGallons",
            "gross " + r.grossGallons() + " exceeds the preset " + pc.presetGallons() + " the controller enforces");
      }
      if (r.densitiesGiven() > 1) {
        throw new DomainException(ErrorCode.INVALID_INPUT, field, "give one density at most");
      }
      if (r.grossGallons() == 0) {
        continue;
      }
      Product product = products.apply(pc.productCode());
      CorrectedVolume cv = correct(r, product, tanks.apply(pc.tankId()), field);
      lines.add(new BolLine(
          pc.compartment(),
          pc.productCode(),
          pc.customerId(),
          pc.allocationId(),
          pc.armId(),
          pc.meterId(),
          pc.tankId(),
          pc.presetGallons(),
          r.grossGallons(),
          cv.netVolume(),
          cv.temperatureF(),
          cv.baseDensityKgM3(),
          cv.apiGravity60(),
          cv.ctl()));
    }
    if (!byCompartment.isEmpty()) {
      throw new DomainException(
          ErrorCode.INVALID_INPUT, "compartments", "compartments not in the load: " + byCompartment.keySet());
    }
    return List.copyOf(lines);
  }

  private static CorrectedVolume correct(MeterReading r, Product product, Tank tank, String field) {
    try {
      double base;
      if (r.baseDensityKgM3() != null) {
        base = r.baseDensityKgM3();
      } else if (r.apiGravity() != null) {
        base = Density.apiToKgM3(r.apiGravity());
      } else if (r.observedDensityKgM3() != null) {
        base = VolumeCorrection.baseDensityFromObserved(null, r.observedDensityKgM3(), r.temperatureF());
      } else {
        base = tank.baseDensityKgM3();
      }
      return VolumeCorrection.correct(product.volumeGroupFor(base), r.grossGallons(), r.temperatureF(), base);
    } catch (VolumeCorrectionException e) {
      throw new DomainException(ErrorCode.INVALID_INPUT, field, e.getMessage());
    }
  }
}
