package io.tms.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated hostile inputs for fuzz tests: a valid body mutated (a field dropped, retyped, set to an
 * extreme, an injection string or an unknown field; the text cut short or its bytes flipped), or
 * random JSON. Seeded, so a failure repeats with its seed.
 */
public final class JsonMutator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Strings that must have no effect beyond a 4xx: SQL and path injection, control and odd characters. */
  public static final List<String> HOSTILE = List.of(
      "' OR '1'='1", "C100'; DROP TABLE driver; --", "1; DELETE FROM outbox", "\" OR 1=1 --",
      "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/dev/null",
      "\u0000", "line\nbreak", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "\uD83D\uDE00", "\uFFFF",
      "", " ", "x".repeat(70), "NaN", "-1", "1e400", "0x10", "true", "null", "{}", "[]");

  private final SplittableRandom random;

  public JsonMutator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** A hostile body derived from {@code valid} (which is left as is). */
  public byte[] mutate(JsonNode valid) {
    int kind = random.nextInt(10);
    return switch (kind) {
      case 0 -> bytes(randomValue(3));
      case 1 -> truncated(valid);
      case 2 -> flipped(valid);
      default -> {
        JsonNode copy = valid.deepCopy();
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
          edit(copy);
        }
        yield bytes(copy);
      }
    };
  }

  /** A random path segment or query value: hostile, numeric or plain. */
  public String param() {
    return switch (random.nextInt(4)) {
      case 0 -> Long.toString(random.nextLong());
      case 1 -> "X" + random.nextInt(1000);
      default -> pick(HOSTILE);
    };
  }

  private void edit(JsonNode node) {
    List<JsonNode> containers = new ArrayList<>();
    collect(node, containers);
    JsonNode target = pick(containers);
    if (target instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      int op = random.nextInt(4);
      if (op == 0 && !names.isEmpty()) {
        o.remove(pick(names));
      } else if (op == 1 || names.isEmpty()) {
        o.set(random.nextBoolean() ? "unknown" + random.nextInt(9) : "__proto__", randomValue(1));
      } else {
        o.set(pick(names), randomValue(2));
      }
    } else if (target instanceof ArrayNode a) {
      int op = random.nextInt(3);
      if (op == 0 && !a.isEmpty()) {
        a.remove(random.nextInt(a.size()));
      } else if (op == 1 && !a.isEmpty()) {
        for (int i = 0; i < 1 + random.nextInt(40); i++) {
          a.add(a.get(0).deepCopy());
        }
      } else {
        a.add(randomValue(2));
      }
    }
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.forEach(child -> collect(child, out));
    }
  }

  /** A random JSON value of at most {@code depth} levels. */
  public JsonNode randomValue(int depth) {
    int kind = random.nextInt(depth > 0 ? 12 : 10);
    return switch (kind) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(random.nextBoolean());
      case 2 -> F.numberNode(random.nextLong());
      case 3 -> F.numberNode(-random.nextInt(100));
      case 4 -> F.numberNode(random.nextDouble() * 1e12 - 5e11);
      case 5 -> F.numberNode(new java.math.BigDecimal("1e400"));
      case 6 -> F.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
      case 7, 8 -> F.textNode(pick(HOSTILE));
      case 9 -> F.textNode(Long.toString(random.nextInt(10_000)));
      case 10 -> {
        ArrayNode a = F.arrayNode();
        for (int i = 0; i < random.nextInt(4); i++) {
          a.add(randomValue(depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = F.objectNode();
        for (int i = 0; i < random.nextInt(4); i++) {
          o.set("f" + random.nextInt(5), randomValue(depth - 1));
        }
        yield o;
      }
    };
  }

  private byte[] truncated(JsonNode valid) {
    byte[] b = bytes(valid);
    return java.util.Arrays.copyOf(b, random.nextInt(Math.max(1, b.length)));
  }

  private byte[] flipped(JsonNode valid) {
    byte[] b = bytes(valid);
    for (int i = 0; i < 1 + random.nextInt(4); i++) {
      b[random.nextInt(b.length)] = (byte) random.nextInt(256);
    }
    return b;
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  public static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
