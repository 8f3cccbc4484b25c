package io.tms.domain.authorization;

import java.util.List;

/**
 * The answer at the gate. {@code denyCodes} are the driver/vehicle/carrier level refusals; each
 * compartment has its own. Approved only when both are empty. {@code driverId} and
 * {@code carrierId} are null when the card or vehicle was not found.
 */
public record AuthorizationDecision(
    boolean approved,
    List<DenyCode> denyCodes,
    String driverId,
    String carrierId,
    String vehicleId,
    List<CompartmentDecision> compartments,
    PinOutcome pinOutcome) {

  public AuthorizationDecision {
    denyCodes = List.copyOf(denyCodes);
    compartments = List.copyOf(compartments);
  }

  /** Every deny code of the decision, the driver's first, then each compartment's, without repeats. */
  public List<DenyCode> allDenyCodes() {
    boolean none = denyCodes.isEmpty(); // an approval's case, and the usual one: no codes at all
    for (CompartmentDecision c : compartments) {
      none &= c.denyCodes().isEmpty();
    }
    if (none) {
      return List.of();
    }
    var all = new java.util.LinkedHashSet<DenyCode>(denyCodes);
    for (CompartmentDecision c : compartments) {
      all.addAll(c.denyCodes());
    }
    return List.copyOf(all);
  }

  /**
   * What one compartment may load: {@code maxGallons} is the lesser of its capacity and the site's
   * reserve left for that customer and product (0 when denied).
   */
  public record CompartmentDecision(
      int compartment,
      String customerId,
      String productCode,
      String allocationId,
      long capacityGallons,
      long maxGallons,
      List<DenyCode> denyCodes) {
    public CompartmentDecision {
      denyCodes = List.copyOf(denyCodes);
    }
  }
}
