package io.tms.domain.loading;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Tank;
import io.tms.domain.volume.CommodityGroup;
import io.tms.domain.volume.Density;
import io.tms.domain.volume.VolumeCorrection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadCompletionTest {
  static final Map<String, Product> PRODUCTS = Map.of(
      "ULSD", new Product("ULSD", "Diesel", CommodityGroup.FUEL_OILS),
      "RUL", new Product("RUL", "Regular", CommodityGroup.GASOLINES));
  static final Map<String, Tank> TANKS = Map.of(
      "TK1", new Tank("TK1", "ULSD", 1e6, 850.0), "TK2", new Tank("TK2", "RUL", 1e6, 740.0));
  static final List<PlannedCompartment> PLAN = List.of(
      new PlannedCompartment(1, "CU", "ULSD", "AL1", "A1", "M1", "TK1", 3_000),
      new PlannedCompartment(2, "CU", "RUL", "AL2", "A2", "M2", "TK2", 2_000));

  static List<BolLine> complete(MeterReading... readings) {
    return LoadCompletion.lines(PLAN, List.of(readings), PRODUCTS::get, TANKS::get);
  }

  static MeterReading r(int c, double gross, double t) {
    return new MeterReading(c, gross, t, null, null, null);
  }

  @Test
  void at_60_F_net_equals_gross() {
    var lines = complete(r(1, 2_999.0, 60.0), r(2, 2_000.0, 60.0));
    assertThat(lines).extracting(BolLine::netGallons).containsExactly(2_999.0, 2_000.0);
    assertThat(lines).extracting(BolLine::ctl).containsExactly(1.0, 1.0);
  }

  @Test
  void uses_the_tank_density_unless_the_meter_gives_one() {
    var byTank = complete(r(1, 3_000, 90.0), r(2, 0, 60.0)).get(0);
    assertThat(byTank.baseDensityKgM3()).isEqualTo(850.0);
    assertThat(byTank.netGallons()).isEqualTo(VolumeCorrection.correct(CommodityGroup.FUEL_OILS, 3_000, 90.0, 850.0)
        .netVolume());
    var byApi = complete(new MeterReading(1, 3_000, 90.0, null, 35.0, null), r(2, 0, 60.0)).get(0);
    assertThat(byApi.baseDensityKgM3()).isCloseTo(Density.apiToKgM3(35.0), org.assertj.core.data.Offset.offset(0.1));
  }

  @Test
  void a_light_diesel_takes_the_constants_of_the_group_its_density_is_in() {
    var light = complete(new MeterReading(1, 3_000, 90.0, 830.0, null, null), r(2, 0, 60.0)).get(0);
    assertThat(light.ctl()).isEqualTo(VolumeCorrection.ctl(CommodityGroup.JET_FUELS, 830.0, 90.0));
    var heavy = complete(new MeterReading(1, 3_000, 90.0, 850.0, null, null), r(2, 0, 60.0)).get(0);
    assertThat(heavy.ctl()).isEqualTo(VolumeCorrection.ctl(CommodityGroup.FUEL_OILS, 850.0, 90.0));
  }

  @Test
  void a_compartment_metered_at_zero_has_no_line() {
    assertThat(complete(r(1, 1_000, 60), r(2, 0, 60))).extracting(BolLine::compartment).containsExactly(1);
  }

  @Test
  void readings_must_match_the_plan_and_stay_within_presets() {
    assertThat(code(() -> complete(r(1, 1_000, 60)))).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(code(() -> complete(r(1, 1_000, 60), r(2, 10, 60), r(3, 1, 60)))).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(code(() -> complete(r(1, 3_000.1, 60), r(2, 10, 60)))).isEqualTo(ErrorCode.RULE_VIOLATED);
    assertThat(code(() -> complete(r(1, -1, 60), r(2, 10, 60)))).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(code(() -> complete(r(1, 10, 500), r(2, 10, 60)))).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(code(() -> complete(new MeterReading(1, 10, 60, 850.0, 35.0, null), r(2, 10, 60))))
        .isEqualTo(ErrorCode.INVALID_INPUT);
  }

  static ErrorCode code(Runnable r) {
    try {
      r.run();
    } catch (DomainException e) {
      return e.code();
    }
    throw new AssertionError("no DomainException");
  }
}
