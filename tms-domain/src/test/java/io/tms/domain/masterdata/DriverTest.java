package io.tms.domain.masterdata;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.domain.authorization.PinHash;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriverTest {
  private static final PinHash PIN = PinHash.create("1234", new byte[] {9}, 10);
  private static final LocalDate DAY = LocalDate.of(2026, 11, 26);

  private static Driver with(Map<String, LocalDate> certifications) {
    return new Driver("D1", "Dana", "C1", true, PIN, Set.of("CAR1"), certifications);
  }

  @Test
  void namesTheFirstExpiredCertificationByName() {
    Driver d = with(Map.of("TWIC", DAY.minusDays(1), "HAZMAT", DAY.minusDays(30), "SITE_SAFETY", DAY.plusDays(5),
        "MEDICAL", DAY.minusDays(2)));
    assertThat(d.expiredCertification(DAY)).contains("HAZMAT");
  }

  @Test
  void aCertificationIsValidThroughItsLastDay() {
    assertThat(with(Map.of("TWIC", DAY, "HAZMAT", DAY.plusDays(1))).expiredCertification(DAY)).isEmpty();
    assertThat(with(Map.of()).expiredCertification(DAY)).isEmpty();
    assertThat(with(Map.of("TWIC", DAY)).expiredCertification(DAY.plusDays(1))).contains("TWIC");
  }
}
