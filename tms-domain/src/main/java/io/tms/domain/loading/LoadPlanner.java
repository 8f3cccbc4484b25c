package io.tms.domain.loading;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.authorization.AuthorizationDecision;
import io.tms.domain.authorization.AuthorizationDecision.CompartmentDecision;
import io.tms.domain.masterdata.Arm;
import io.tms.domain.masterdata.Bay;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an approved authorization, a bay and the driver's presets into a load plan (DESIGN §2 step
 * 3): every preset within its compartment's capacity and the authorization's limit, every product
 * carried by an arm of the bay. The reserve itself is held by the caller, in the same transaction.
 */
public final class LoadPlanner {
  private LoadPlanner() {}

  /**
   * @param presets compartment number → preset gallons; compartments of the authorization left out
   *     are not loaded
   */
  public static List<PlannedCompartment> plan(AuthorizationDecision decision, Bay bay, Map<Integer, Long> presets) {
    if (!decision.approved()) {
      throw new DomainException(ErrorCode.RULE_VIOLATED, "authorizationId", "the authorization was denied");
    }
    if (!bay.active()) {
      throw new DomainException(ErrorCode.RULE_VIOLATED, "bayId", "bay " + bay.id() + " is out of service");
    }
    if (presets.isEmpty()) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "compartments", "at least one compartment preset is needed");
    }
    Set<Integer> authorized = new HashSet<>();
    List<PlannedCompartment> plan = new ArrayList<>();
    for (CompartmentDecision cd : decision.compartments()) {
      authorized.add(cd.compartment());
      Long preset = presets.get(cd.compartment());
      if (preset == null) {
        continue;
      }
      String field = "compartments[" + cd.compartment() + "].presetGallons";
      if (preset <= 0) {
        throw new DomainException(ErrorCode.INVALID_INPUT, field, "preset must be > 0 (was " + preset + ")");
      }
      if (preset > cd.capacityGallons()) {
        throw new DomainException(
            ErrorCode.RULE_VIOLATED, field, "preset " + preset + " exceeds compartment capacity " + cd.capacityGallons());
      }
      if (preset > cd.maxGallons()) {
        throw new DomainException(
            ErrorCode.RULE_VIOLATED, field, "preset " + preset + " exceeds the authorized " + cd.maxGallons() + " gal");
      }
      Arm arm = bay.armFor(cd.productCode())
          .orElseThrow(() -> new DomainException(
              ErrorCode.RULE_VIOLATED, "bayId", "bay " + bay.id() + " has no arm for " + cd.productCode()));
      plan.add(new PlannedCompartment(
          cd.compartment(),
          cd.customerId(),
          cd.productCode(),
          cd.allocationId(),
          arm.id(),
          arm.meterId(),
          arm.tankFor(cd.productCode()).orElseThrow(),
          preset));
    }
    for (Integer c : presets.keySet()) {
      if (!authorized.contains(c)) {
        throw new DomainException(
            ErrorCode.INVALID_INPUT, "compartments", "compartment " + c + " is not part of the authorization");
      }
    }
    return List.copyOf(plan);
  }
}
