package io.tms.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of hostile JSON for the fuzz properties: any JSON value (null, booleans, huge,
 * negative and fractional numbers, injection, control and unicode strings, nested arrays and
 * objects), and bodies derived from a valid one — valid-shaped with fields dropped, retyped or
 * added, text cut short, a byte flipped, nesting thousands deep, or random JSON. Shrinkable, and
 * reproducible from the property's seed. (tms-api has the same generators for the cloud's fuzz
 * properties; the modules share no test code.)
 */
public final class JsonArbitraries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Strings that must have no effect beyond a 4xx: SQL and path injection, control and odd characters. */
  public static final List<String> HOSTILE = List.of(
      "' OR '1'='1", "C100'; DROP TABLE driver; --", "1; DELETE FROM outbox", "\" OR \"\"=\"", "../../../../etc/passwd",
      "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2f", "/", "", " ", "\u0000", "\u202e\u0007", "HOU1\n",
      "\uD83D\uDE00", "\uFFFF", "\uD800", "x".repeat(5000), "NaN", "-1", "1e400", "99999999999999999999999999",
      "${jndi:ldap://x/a}", "<script>alert(1)</script>", "HOU1/../DAL1", "{}", "[]", "null", "true");

  private JsonArbitraries() {}

  public static Arbitrary<String> hostileStrings() {
    return Arbitraries.oneOf(Arbitraries.of(HOSTILE), Arbitraries.strings().all().ofMaxLength(40));
  }

  /** Any JSON value, nested up to four deep. */
  public static Arbitrary<JsonNode> values() {
    return Arbitraries.recursive(JsonArbitraries::scalars,
        inner -> Arbitraries.oneOf(scalars(), inner.list().ofMaxSize(3).map(JsonArbitraries::array),
            Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(6), inner).as((k, v) -> (JsonNode) object(k, v))),
        0, 4);
  }

  private static Arbitrary<JsonNode> scalars() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(F.nullNode())),
        Tuple.of(1, Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b))),
        Tuple.of(2, Arbitraries.longs().map(l -> (JsonNode) F.numberNode(l))),
        Tuple.of(1, Arbitraries.integers().between(-1000, -1).map(i -> (JsonNode) F.numberNode(i))),
        Tuple.of(1, Arbitraries.integers().between(20, 400)
            .map(digits -> (JsonNode) F.numberNode(BigInteger.TEN.pow(digits).negate().add(BigInteger.ONE)))),
        Tuple.of(1, Arbitraries.of("1e400", "-1e400", "4.9e-324", "0.1", "-0.0", "1.7976931348623157e308")
            .map(d -> (JsonNode) F.numberNode(new BigDecimal(d)))),
        Tuple.of(4, hostileStrings().map(s -> (JsonNode) F.textNode(s))));
  }

  /** A body derived from {@code valid} (left as it is). */
  public static Arbitrary<byte[]> bodiesLike(JsonNode valid) {
    byte[] text = bytes(valid);
    Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 999),
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 999), values()).as(Edit::new);
    return Arbitraries.frequencyOf(
        Tuple.of(6, edit.list().ofMinSize(1).ofMaxSize(3).map(edits -> edited(valid, edits))),
        Tuple.of(1, Arbitraries.integers().between(0, text.length - 1).map(n -> Arrays.copyOf(text, n))),
        Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, text.length - 1), Arbitraries.bytes())
            .as((at, b) -> flipped(text, at, b))),
        Tuple.of(1, values().map(JsonArbitraries::bytes)),
        Tuple.of(1, junk()));
  }

  /** Not JSON of the expected shape at all: empty, truncated, nested thousands deep, binary. */
  public static Arbitrary<byte[]> junk() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "{", "null", "[]", "\"text\"", "\u0000\u00ff\u00fe garbage", "NaN", "{\"a\":Infinity}")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.integers().between(500, 20_000).map(n -> ("[".repeat(n) + "]".repeat(n)).getBytes(StandardCharsets.US_ASCII)),
        Arbitraries.integers().between(500, 5_000).map(n -> ("{\"a\":".repeat(n) + "1" + "}".repeat(n))
            .getBytes(StandardCharsets.US_ASCII)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
  }

  /** One change to a copy of the body: where (a container, by index), what, which field, to what. */
  record Edit(int where, int op, int field, JsonNode value) {}

  private static byte[] edited(JsonNode valid, List<Edit> edits) {
    JsonNode copy = valid.deepCopy();
    for (Edit e : edits) {
      List<JsonNode> containers = new ArrayList<>();
      collect(copy, containers);
      if (containers.isEmpty()) {
        return bytes(e.value());
      }
      JsonNode target = containers.get(e.where() % containers.size());
      if (target instanceof ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        if (names.isEmpty() || e.op() == 0) {
          o.set("unknown" + e.field() % 3, e.value());
        } else if (e.op() == 1) {
          o.remove(names.get(e.field() % names.size()));
        } else {
          o.set(names.get(e.field() % names.size()), e.value()); // retyped, or set to an extreme
        }
      } else if (target instanceof ArrayNode a) {
        if (!a.isEmpty() && e.op() < 2) {
          a.remove(e.field() % a.size());
        } else {
          a.add(e.value());
        }
      }
    }
    return bytes(copy);
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.forEach(child -> collect(child, out));
    }
  }

  private static byte[] flipped(byte[] text, int at, byte b) {
    byte[] copy = text.clone();
    copy[at] = b;
    return copy;
  }

  private static JsonNode array(List<JsonNode> items) {
    ArrayNode a = F.arrayNode();
    items.forEach(a::add);
    return a;
  }

  private static ObjectNode object(String key, JsonNode value) {
    ObjectNode o = F.objectNode();
    o.set(key.isEmpty() ? "f" : key, value);
    return o;
  }

  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** For an assertion message: the body as text, cut at 300 characters. */
  public static String text(byte[] body) {
    String s = body == null ? "null" : new String(body, StandardCharsets.UTF_8);
    return s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + ")" : s;
  }
}
