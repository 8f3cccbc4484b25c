package io.tms.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link InstantText} writes exactly what {@link Instant#toString()} writes. */
class InstantTextTest {
  @Test
  void theSameTextAsInstantToStringOnTheEdges() {
    for (String s : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.5Z",
        "1900-03-01T00:00:00Z", "2100-02-28T23:59:59.000001Z", "2026-11-26T15:27:32.123Z", "2024-12-31T23:59:59.120Z",
        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1600-02-29T01:02:03.000000007Z"}) {
      Instant i = Instant.parse(s);
      assertThat(InstantText.format(i)).as(s).isEqualTo(i.toString());
    }
  }

  @Test
  void outsideYearsZeroTo9999ItIsInstantToString() {
    for (Instant i : new Instant[] {Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"),
        Instant.MAX, Instant.MIN}) {
      assertThat(InstantText.format(i)).isEqualTo(i.toString());
    }
  }

  @Test
  void theSameTextAsInstantToStringForAMillionInstants() {
    SplittableRandom random = new SplittableRandom(20261126);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int n = 0; n < 1_000_000; n++) {
      long second = random.nextLong(min, max + 1);
      int nano = switch (n % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant i = Instant.ofEpochSecond(second, nano);
      String expected = i.toString();
      String actual = InstantText.format(i);
      if (!actual.equals(expected)) {
        assertThat(actual).as("epoch second %d, nano %d", second, nano).isEqualTo(expected);
      }
    }
  }

  @Test
  void appendsToWhatIsThere() {
    Instant i = Instant.parse("2026-11-26T15:27:32.123456Z");
    assertThat(InstantText.appendTo(new StringBuilder("at "), i).toString()).isEqualTo("at " + i);
  }
}
