package io.tms.domain.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.authorization.AuthorizationDecision;
import io.tms.domain.authorization.AuthorizationDecision.CompartmentDecision;
import io.tms.domain.authorization.DenyCode;
import io.tms.domain.authorization.PinOutcome;
import io.tms.domain.masterdata.Arm;
import io.tms.domain.masterdata.Bay;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadPlannerTest {
  static final Bay BAY = new Bay("B1", "Bay 1", true, List.of(
      new Arm("A1", "B1", "M1", Map.of("ULSD", "TK1")), new Arm("A2", "B1", "M2", Map.of("RUL", "TK2"))));

  static AuthorizationDecision decision(boolean approved, CompartmentDecision... c) {
    return new AuthorizationDecision(approved, List.of(), "D", "K", "V", List.of(c), PinOutcome.MATCHED);
  }

  static CompartmentDecision cd(int n, String product, long capacity, long max) {
    return new CompartmentDecision(n, "CU", product, "AL-" + product, capacity, max, List.<DenyCode>of());
  }

  @Test
  void plans_each_preset_compartment_on_the_arm_and_tank_of_its_product() {
    var plan = LoadPlanner.plan(decision(true, cd(1, "ULSD", 3_000, 3_000), cd(2, "RUL", 3_000, 3_000)), BAY,
        Map.of(1, 2_500L, 2, 3_000L));
    assertThat(plan).extracting(PlannedCompartment::armId).containsExactly("A1", "A2");
    assertThat(plan).extracting(PlannedCompartment::tankId).containsExactly("TK1", "TK2");
    assertThat(plan).extracting(PlannedCompartment::presetGallons).containsExactly(2_500L, 3_000L);
  }

  @Test
  void a_compartment_left_out_is_not_loaded() {
    var plan = LoadPlanner.plan(decision(true, cd(1, "ULSD", 3_000, 3_000), cd(2, "RUL", 3_000, 3_000)), BAY,
        Map.of(2, 100L));
    assertThat(plan).extracting(PlannedCompartment::compartment).containsExactly(2);
  }

  @Test
  void refuses_presets_over_capacity_or_authorization_and_unknown_compartments() {
    var d = decision(true, cd(1, "ULSD", 3_000, 2_000));
    assertThat(codeOf(() -> LoadPlanner.plan(d, BAY, Map.of(1, 3_001L)))).isEqualTo(ErrorCode.RULE_VIOLATED);
    assertThat(codeOf(() -> LoadPlanner.plan(d, BAY, Map.of(1, 2_001L)))).isEqualTo(ErrorCode.RULE_VIOLATED);
    assertThat(codeOf(() -> LoadPlanner.plan(d, BAY, Map.of(2, 100L)))).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(codeOf(() -> LoadPlanner.plan(d, BAY, Map.of()))).isEqualTo(ErrorCode.INVALID_INPUT);
  }

  @Test
  void refuses_denied_authorizations_closed_bays_and_bays_without_the_product() {
    var d = decision(true, cd(1, "JET", 3_000, 3_000));
    assertThat(codeOf(() -> LoadPlanner.plan(d, BAY, Map.of(1, 10L)))).isEqualTo(ErrorCode.RULE_VIOLATED);
    var denied = decision(false, cd(1, "ULSD", 3_000, 3_000));
    assertThat(codeOf(() -> LoadPlanner.plan(denied, BAY, Map.of(1, 10L)))).isEqualTo(ErrorCode.RULE_VIOLATED);
    Bay closed = new Bay("B9", "Closed", false, BAY.arms());
    assertThat(codeOf(() -> LoadPlanner.plan(decision(true, cd(1, "ULSD", 3_000, 3_000)), closed, Map.of(1, 10L))))
        .isEqualTo(ErrorCode.RULE_VIOLATED);
  }

  static ErrorCode codeOf(Runnable r) {
    try {
      r.run();
    } catch (DomainException e) {
      return e.code();
    }
    throw new AssertionError("no DomainException");
  }

  @Test
  void permissives_must_both_be_ok() {
    new Permissives(true, true).requireOk();
    assertThatThrownBy(() -> new Permissives(false, true).requireOk()).isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> new Permissives(true, false).requireOk()).isInstanceOf(DomainException.class);
  }
}
