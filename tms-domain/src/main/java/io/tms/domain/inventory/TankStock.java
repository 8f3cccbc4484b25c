package io.tms.domain.inventory;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.Gallons;
import io.tms.domain.authorization.DenyCode;
import io.tms.domain.masterdata.Tank;

/**
 * What a tank's book lets in and out. Product comes in by a receipt (a pipeline batch, a barge, a
 * rail car or a truck unloading) or, once, by the opening balance of a tank whose book is not yet
 * known (it sets the book to the gauged stock); it goes out by loads. A terminal does not pump
 * from a tank that cannot cover the truck: once its book is known, a load starts only if the
 * book, less what loads in progress from it were preset to take, covers the new presets
 * ({@link DenyCode#TANK_INSUFFICIENT}). Presets are gross gallons and the book is net at 60 °F;
 * the check takes them as equal, which is what an operator does at the rack (cold product can make
 * a load's net a percent or two above its gross, so a tank drawn to the last truck may end a few
 * gallons below zero — the book shows it, it is not hidden).
 */
public final class TankStock {
  /** Where a receipt came from; {@code OPENING} is the opening balance of a tank whose book is unknown. */
  public enum Source { PIPELINE, BARGE, RAIL, TRUCK, OPENING }

  private TankStock() {}

  /**
   * Refuses presets the tank cannot cover. {@code bookNet}: the tank's book now;
   * {@code presetInProgress}: gross gallons preset on loads from it that have not completed.
   */
  public static void requireCovers(Tank tank, double bookNet, long presetInProgress, long presets) {
    double available = Gallons.tenths(bookNet - presetInProgress);
    if (presets > available) {
      throw new DomainException(ErrorCode.RULE_VIOLATED, "compartments",
          DenyCode.TANK_INSUFFICIENT + ": tank " + tank.id() + " (" + tank.productCode() + ") has " + bookNet
              + " net gal in its book" + (presetInProgress > 0 ? ", " + presetInProgress + " of it preset on loads in progress" : "")
              + "; presets need " + presets);
    }
  }

  /** The book after receiving {@code netGallons}; refuses a receipt the tank has no room for. */
  public static double afterReceipt(Tank tank, double bookNet, double netGallons) {
    if (!(netGallons > 0) || Double.isInfinite(netGallons)) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "netGallons", "netGallons must be > 0 (was " + netGallons + ")");
    }
    double after = Gallons.tenths(bookNet + netGallons);
    if (after > tank.capacityGallons()) {
      throw new DomainException(ErrorCode.RULE_VIOLATED, "netGallons",
          "TANK_OVERFILL: tank " + tank.id() + " holds " + bookNet + " of " + tank.capacityGallons()
              + " gal; a receipt of " + netGallons + " would overfill it");
    }
    return after;
  }
}
