package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireInstantsTest {
  private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
      .registerModule(WireInstants.module());

  @Test
  void theSitesFormParsesAsInstantParseDoes() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      long second = random.nextLong(Instant.parse("1970-01-01T00:00:00Z").getEpochSecond(),
          Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      String text = Instant.ofEpochSecond(second, nanos).toString();
      assertThat(WireInstants.parseOrNull(text.toCharArray(), 0, text.length())).as(text).isEqualTo(Instant.parse(text));
    }
    for (String text : List.of("2024-02-29T00:00:00Z", "2000-02-29T12:00:00.5Z", "1999-12-31T23:59:59.1Z",
        "2026-11-26T03:14:44.57Z", "2026-11-26T03:14:44.123456789Z")) {
      assertThat(WireInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void otherFormsGoToJacksonsOwnParserAndBadOnesStayRefused() throws Exception {
    for (String other : List.of("2026-11-26T03:14:44+00:00", "2026-11-26T03:14:44.Z", "2023-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26t03:14:44Z", "26-11-26T03:14:44Z")) {
      assertThat(WireInstants.parseOrNull(other.toCharArray(), 0, other.length())).as(other).isNull();
    }
    assertThat(json.readValue("\"2026-11-26T03:14:44+01:00\"", Instant.class))
        .isEqualTo(Instant.parse("2026-11-26T02:14:44Z"));
    assertThat(json.readValue("1764126884", Instant.class)).isEqualTo(Instant.ofEpochSecond(1764126884));
    assertThat(json.readValue("\"2026-11-26T03:14:44.570Z\"", Instant.class))
        .isEqualTo(Instant.parse("2026-11-26T03:14:44.570Z"));
    assertThatThrownBy(() -> json.readValue("\"2023-02-29T00:00:00Z\"", Instant.class)).isInstanceOf(Exception.class);
    assertThatThrownBy(() -> json.readValue("\"yesterday\"", Instant.class)).isInstanceOf(Exception.class);
  }
}
