package io.tms.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Json;
import io.tms.domain.loading.BolLine;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.LoadStartedV1;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written event JSON is, byte for byte, what the agent's mapper writes: over generated events. */
class EventJsonTest {
  private static final ObjectMapper MAPPER = Json.mapper();
  private final Random random = new Random(20261126);

  @Test
  void theFourLoadCycleEventsAreWrittenExactlyAsTheMapperWritesThem() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      AuthorizationDecidedV1 a = authorization();
      assertThat(EventJson.authorizationDecided(a)).isEqualTo(MAPPER.writeValueAsString(a));
      LoadStartedV1 s = started();
      assertThat(EventJson.loadStarted(s)).isEqualTo(MAPPER.writeValueAsString(s));
      BolIssuedV1 b = bol();
      assertThat(EventJson.bolIssued(b)).isEqualTo(MAPPER.writeValueAsString(b));
      BolDocument d = document();
      assertThat(EventJson.bolDocument(d)).isEqualTo(MAPPER.writeValueAsString(d));
      InventoryMovedV1 m = new InventoryMovedV1(text(), instant(), text(), text(), number(), number());
      assertThat(EventJson.inventoryMoved(m)).isEqualTo(MAPPER.writeValueAsString(m));
    }
  }

  @Test
  void whatItWritesReadsBackAsTheSameEvent() throws Exception {
    BolIssuedV1 b = bol();
    assertThat(MAPPER.readValue(EventJson.bolIssued(b), BolIssuedV1.class)).isEqualTo(b);
  }

  private AuthorizationDecidedV1 authorization() {
    List<AuthorizationDecidedV1.Compartment> cs = maybeNull(() -> {
      List<AuthorizationDecidedV1.Compartment> list = new ArrayList<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        list.add(new AuthorizationDecidedV1.Compartment(random.nextInt(), text(), text(), text(), random.nextLong(),
            random.nextLong(), strings()));
      }
      return list;
    });
    return new AuthorizationDecidedV1(text(), instant(), instant(), random.nextBoolean(), strings(), text(), text(),
        text(), text(), random.nextBoolean(), cs);
  }

  private LoadStartedV1 started() {
    List<LoadStartedV1.Compartment> cs = maybeNull(() -> {
      List<LoadStartedV1.Compartment> list = new ArrayList<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        list.add(new LoadStartedV1.Compartment(random.nextInt(), text(), text(), text(), text(), text(), text(),
            random.nextLong()));
      }
      return list;
    });
    return new LoadStartedV1(text(), text(), text(), text(), instant(), cs);
  }

  private BolIssuedV1 bol() {
    List<BolIssuedV1.Line> lines = maybeNull(() -> {
      List<BolIssuedV1.Line> list = new ArrayList<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        list.add(new BolIssuedV1.Line(random.nextInt(), text(), text(), text(), text(), text(), text(),
            random.nextLong(), number(), number(), number(), number(), number(), number(), random.nextLong()));
      }
      return list;
    });
    return new BolIssuedV1(text(), text(), text(), text(), text(), text(), text(), instant(), instant(), number(),
        number(), lines);
  }

  private BolDocument document() {
    List<BolLine> lines = maybeNull(() -> {
      List<BolLine> list = new ArrayList<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        list.add(new BolLine(random.nextInt(), text(), text(), text(), text(), text(), text(), random.nextLong(),
            number(), number(), number(), number(), number(), number()));
      }
      return list;
    });
    return new BolDocument(text(), text(), text(), text(), text(), text(), text(), text(), text(), text(), text(),
        instant(), instant(), number(), number(), lines, names(), names());
  }

  private Map<String, String> names() {
    return maybeNull(() -> {
      Map<String, String> map = new java.util.HashMap<>();
      for (int i = random.nextInt(5); i > 0; i--) {
        map.put(random.nextBoolean() ? "ULSD-" + i : "C\"" + random.nextInt(99), random.nextInt(6) == 0 ? "" : "Name \u00e9 " + i);
      }
      return Map.copyOf(map);
    });
  }

  private <T> T maybeNull(java.util.function.Supplier<T> value) {
    return random.nextInt(10) == 0 ? null : value.get();
  }

  private List<String> strings() {
    return maybeNull(() -> {
      List<String> list = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        list.add(random.nextInt(8) == 0 ? null : text());
      }
      return list;
    });
  }

  /** Ids and names as they come, and the odd one with quotes, backslashes, control characters, non-ASCII. */
  private String text() {
    if (random.nextInt(12) == 0) {
      return null;
    }
    int kind = random.nextInt(4);
    if (kind < 2) {
      return "TK-" + random.nextInt(1000);
    }
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      s.append(switch (random.nextInt(9)) {
        case 0 -> '"';
        case 1 -> '\\';
        case 2 -> (char) random.nextInt(0x20);
        case 3 -> (char) (0x7F + random.nextInt(0x100));
        case 4 -> '\u2028';
        case 5 -> "\uD83D\uDE9B".charAt(i % 2);
        case 6 -> '/';
        default -> (char) ('a' + random.nextInt(26));
      });
    }
    return s.toString();
  }

  private Instant instant() {
    return switch (random.nextInt(5)) {
      case 0 -> null;
      case 1 -> Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000));
      case 2 -> Instant.ofEpochMilli(1_700_000_000_000L + random.nextLong(100_000_000_000L));
      default -> Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000));
    };
  }

  private double number() {
    return switch (random.nextInt(8)) {
      case 0 -> Math.round(random.nextDouble() * 100_000) / 10.0;
      case 1 -> -random.nextDouble() * 1e6;
      case 2 -> random.nextDouble() * 1e-5;
      case 3 -> 1e21 * random.nextDouble();
      case 4 -> random.nextInt(3) == 0 ? Double.NaN : random.nextBoolean() ? Double.POSITIVE_INFINITY : -0.0;
      default -> random.nextInt(20_000);
    };
  }
}
