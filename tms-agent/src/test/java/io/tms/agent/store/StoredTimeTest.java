package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StoredTimeTest {

  @Test
  void readsBackWhatInstantToStringWrote() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      long second = random.nextLong(0, 4_102_444_800L); // 1970 .. 2100
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(second, nanos);
      assertThat(StoredTime.parse(t.toString())).as(t.toString()).isEqualTo(t);
    }
  }

  @Test
  void leavesOtherShapesToTheJdk() {
    assertThat(StoredTime.parse("+12026-01-01T00:00:00Z")).isEqualTo(Instant.parse("+12026-01-01T00:00:00Z"));
    assertThat(StoredTime.parse("2026-11-25T14:00:00.5Z")).isEqualTo(Instant.parse("2026-11-25T14:00:00.500Z"));
    assertThatThrownBy(() -> StoredTime.parse("2026-11-25T1x:00:00Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> StoredTime.parse("2026-13-25T10:00:00Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> StoredTime.parse("2026-11-25 10:00:00Z")).isInstanceOf(DateTimeParseException.class);
  }
}
