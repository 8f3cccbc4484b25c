package io.tms.api.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.GaugeReadingRecordedV1;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.LoadStartedV1;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the four business bodies a load emits (authorization, load started, BOL, inventory
 * movement: nearly every business event) and gauge readings from the tokens into their records, without Jackson's
 * databind: binding records through it was the largest single item of the cloud's ingest CPU
 * (property buffers, creator calls, a deserializer per field). Only the form sites write takes this
 * path: each field with the token its type expects (a string or null for text, an integer that fits
 * for {@code int}/{@code long}, a number for {@code double}, true/false, instants in the sites' ISO
 * form), primitives present and not null, no field twice. Anything else returns {@link #NOT_HANDLED}
 * and the caller binds the body with the cloud's strict mapper as before, so what is accepted and
 * what is refused does not change. Unknown fields are skipped, as the records' annotations say.
 * Table-driven (a {@link Shape} per record) so that every body and nested object goes through one
 * loop: a method per type was compiled by C2 only after thousands of its own events, in the middle
 * of a benchmark's measured run. Stateless and thread-safe.
 */
final class BusinessBodies {
  /** Returned when the body is not in the sites' form; the caller falls back to databind. */
  static final Object NOT_HANDLED = new Object();

  private BusinessBodies() {}

  /** Whether {@link #read} knows the type. */
  static boolean handles(String type) {
    return switch (type) {
      case EventTypes.AUTHORIZATION_DECIDED, EventTypes.LOAD_STARTED, EventTypes.BOL_ISSUED,
          EventTypes.INVENTORY_MOVED, EventTypes.GAUGE_READING_RECORDED -> true;
      default -> false;
    };
  }

  /**
   * Reads the body whose START_OBJECT is {@code p}'s current token into its record, leaving the
   * parser on its END_OBJECT; or returns {@link #NOT_HANDLED} anywhere inside it (the caller skips
   * to its end). Malformed JSON throws the parser's exception.
   */
  static Object read(JsonParser p, String type) throws IOException {
    return switch (type) {
      case EventTypes.AUTHORIZATION_DECIDED -> read(p, AUTHORIZATION);
      case EventTypes.LOAD_STARTED -> read(p, LOAD_STARTED);
      case EventTypes.BOL_ISSUED -> read(p, BOL);
      case EventTypes.INVENTORY_MOVED -> read(p, MOVEMENT);
      case EventTypes.GAUGE_READING_RECORDED -> read(p, GAUGE);
      default -> NOT_HANDLED;
    };
  }

  /** What a field holds; {@link #fill} reads each kind from the tokens the sites write for it. */
  private enum Kind { TEXT, INSTANT, BOOL, INT4, INT8, FLOAT8, TEXTS, OBJECTS }

  /** Builds a record from its slots: references in {@code refs}, numbers and booleans in {@code bits}. */
  private interface Builder {
    Object build(Object[] refs, long[] bits);
  }

  /**
   * A record's fields by name (its slot and kind), which of them are primitives (they must be
   * present: the strict mapper refuses an absent one), a nested list's element shape, its builder.
   */
  private record Shape(Map<String, Integer> slots, Kind[] kinds, Shape[] elements, long primitives, Builder builder) {
    static Shape of(Builder builder, Object... fields) { // name, kind[, element shape] ...
      Map<String, Integer> slots = new HashMap<>();
      List<Kind> kinds = new ArrayList<>();
      List<Shape> elements = new ArrayList<>();
      long primitives = 0;
      for (int i = 0; i < fields.length; ) {
        String name = (String) fields[i++];
        Kind kind = (Kind) fields[i++];
        Shape element = kind == Kind.OBJECTS ? (Shape) fields[i++] : null;
        int slot = kinds.size();
        slots.put(name, slot);
        kinds.add(kind);
        elements.add(element);
        if (kind == Kind.BOOL || kind == Kind.INT4 || kind == Kind.INT8 || kind == Kind.FLOAT8) {
          primitives |= 1L << slot;
        }
      }
      return new Shape(Map.copyOf(slots), kinds.toArray(Kind[]::new), elements.toArray(Shape[]::new), primitives,
          builder);
    }
  }

  private static String str(Object[] r, int i) {
    return (String) r[i];
  }

  private static Instant at(Object[] r, int i) {
    return (Instant) r[i];
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> list(Object[] r, int i) {
    return (List<T>) r[i];
  }

  private static double dbl(long[] b, int i) {
    return Double.longBitsToDouble(b[i]);
  }

  private static final Shape AUTHORIZATION = Shape.of(
      (r, b) -> new AuthorizationDecidedV1(str(r, 0), at(r, 1), at(r, 2), b[3] != 0, list(r, 4), str(r, 5), str(r, 6),
          str(r, 7), str(r, 8), b[9] != 0, list(r, 10)),
      "authorizationId", Kind.TEXT, "decidedAt", Kind.INSTANT, "expiresAt", Kind.INSTANT, "approved", Kind.BOOL,
      "denyCodes", Kind.TEXTS, "cardNumber", Kind.TEXT, "driverId", Kind.TEXT, "carrierId", Kind.TEXT,
      "vehicleId", Kind.TEXT, "cardLocked", Kind.BOOL, "compartments", Kind.OBJECTS, Shape.of(
          (r, b) -> new AuthorizationDecidedV1.Compartment((int) b[0], str(r, 1), str(r, 2), str(r, 3), b[4], b[5],
              list(r, 6)),
          "compartment", Kind.INT4, "customerId", Kind.TEXT, "productCode", Kind.TEXT, "allocationId", Kind.TEXT,
          "capacityGallons", Kind.INT8, "maxGallons", Kind.INT8, "denyCodes", Kind.TEXTS));

  private static final Shape LOAD_STARTED = Shape.of(
      (r, b) -> new LoadStartedV1(str(r, 0), str(r, 1), str(r, 2), str(r, 3), at(r, 4), list(r, 5)),
      "loadId", Kind.TEXT, "authorizationId", Kind.TEXT, "bayId", Kind.TEXT, "vehicleId", Kind.TEXT,
      "startedAt", Kind.INSTANT, "compartments", Kind.OBJECTS, Shape.of(
          (r, b) -> new LoadStartedV1.Compartment((int) b[0], str(r, 1), str(r, 2), str(r, 3), str(r, 4), str(r, 5),
              str(r, 6), b[7]),
          "compartment", Kind.INT4, "customerId", Kind.TEXT, "productCode", Kind.TEXT, "allocationId", Kind.TEXT,
          "armId", Kind.TEXT, "meterId", Kind.TEXT, "tankId", Kind.TEXT, "presetGallons", Kind.INT8));

  private static final Shape BOL = Shape.of(
      (r, b) -> new BolIssuedV1(str(r, 0), str(r, 1), str(r, 2), str(r, 3), str(r, 4), str(r, 5), str(r, 6), at(r, 7),
          at(r, 8), dbl(b, 9), dbl(b, 10), list(r, 11)),
      "bolNumber", Kind.TEXT, "siteCode", Kind.TEXT, "loadId", Kind.TEXT, "bayId", Kind.TEXT, "driverId", Kind.TEXT,
      "carrierId", Kind.TEXT, "vehicleId", Kind.TEXT, "startedAt", Kind.INSTANT, "completedAt", Kind.INSTANT,
      "totalGrossGallons", Kind.FLOAT8, "totalNetGallons", Kind.FLOAT8, "lines", Kind.OBJECTS, Shape.of(
          (r, b) -> new BolIssuedV1.Line((int) b[0], str(r, 1), str(r, 2), str(r, 3), str(r, 4), str(r, 5), str(r, 6),
              b[7], dbl(b, 8), dbl(b, 9), dbl(b, 10), dbl(b, 11), dbl(b, 12), dbl(b, 13), b[14]),
          "compartment", Kind.INT4, "productCode", Kind.TEXT, "customerId", Kind.TEXT, "allocationId", Kind.TEXT,
          "armId", Kind.TEXT, "meterId", Kind.TEXT, "tankId", Kind.TEXT, "presetGallons", Kind.INT8,
          "grossGallons", Kind.FLOAT8, "netGallons", Kind.FLOAT8, "temperatureF", Kind.FLOAT8,
          "baseDensityKgM3", Kind.FLOAT8, "apiGravity", Kind.FLOAT8, "ctl", Kind.FLOAT8, "consumedGallons", Kind.INT8));

  private static final Shape MOVEMENT = Shape.of(
      (r, b) -> new InventoryMovedV1(str(r, 0), at(r, 1), str(r, 2), str(r, 3), dbl(b, 4), dbl(b, 5)),
      "tankId", Kind.TEXT, "movedAt", Kind.INSTANT, "reason", Kind.TEXT, "reference", Kind.TEXT,
      "deltaNetGallons", Kind.FLOAT8, "bookNetGallonsAfter", Kind.FLOAT8);

  private static final Shape GAUGE = Shape.of(
      (r, b) -> new GaugeReadingRecordedV1(str(r, 0), str(r, 1), at(r, 2), dbl(b, 3), dbl(b, 4), dbl(b, 5), dbl(b, 6),
          dbl(b, 7)),
      "readingId", Kind.TEXT, "tankId", Kind.TEXT, "readAt", Kind.INSTANT, "grossGallons", Kind.FLOAT8,
      "waterGallons", Kind.FLOAT8, "temperatureF", Kind.FLOAT8, "netGallons", Kind.FLOAT8, "bookNetGallons",
      Kind.FLOAT8);

  /** Signals a token outside the sites' form; caught in {@link #read} only. */
  private static final class NotHandled extends Exception {
    private static final NotHandled INSTANCE = new NotHandled();

    private NotHandled() {
      super("not in the sites' form", null, false, false);
    }
  }

  private static Object read(JsonParser p, Shape shape) throws IOException {
    try {
      return object(p, shape);
    } catch (NotHandled e) {
      return NOT_HANDLED;
    }
  }

  /**
   * The one loop every body and nested object goes through (so the JIT compiles it early and once,
   * not a method per type): the object whose START_OBJECT is current, into its record.
   */
  private static Object object(JsonParser p, Shape shape) throws IOException, NotHandled {
    Kind[] kinds = shape.kinds();
    Object[] refs = new Object[kinds.length];
    long[] bits = new long[kinds.length];
    long seen = 0;
    for (String name; (name = p.nextFieldName()) != null; ) {
      JsonToken t = p.nextToken();
      Integer slot = shape.slots().get(name);
      if (slot == null) {
        p.skipChildren(); // unknown: ignored, as the records' annotations say
        continue;
      }
      int i = slot;
      long bit = 1L << i;
      if ((seen & bit) != 0) {
        throw NotHandled.INSTANCE; // twice: the strict mapper's rule, not ours to copy
      }
      seen |= bit;
      switch (kinds[i]) {
        case TEXT -> refs[i] = text(p, t);
        case INSTANT -> refs[i] = instant(p, t);
        case BOOL -> bits[i] = bool(t) ? 1 : 0;
        case INT4 -> bits[i] = int4(p, t);
        case INT8 -> bits[i] = int8(p, t);
        case FLOAT8 -> bits[i] = Double.doubleToRawLongBits(float8(p, t));
        case TEXTS -> refs[i] = texts(p, t);
        case OBJECTS -> refs[i] = objects(p, t, shape.elements()[i]);
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT || (seen & shape.primitives()) != shape.primitives()) {
      throw NotHandled.INSTANCE; // not a field name (malformed: the parser throws first), or a primitive absent
    }
    return shape.builder().build(refs, bits);
  }

  private static List<Object> objects(JsonParser p, JsonToken t, Shape element) throws IOException, NotHandled {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw NotHandled.INSTANCE;
    }
    List<Object> out = new ArrayList<>(5);
    for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
      if (e != JsonToken.START_OBJECT) {
        throw NotHandled.INSTANCE;
      }
      out.add(object(p, element));
    }
    return out;
  }

  private static String text(JsonParser p, JsonToken t) throws IOException, NotHandled {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw NotHandled.INSTANCE;
  }

  private static List<String> texts(JsonParser p, JsonToken t) throws IOException, NotHandled {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw NotHandled.INSTANCE;
    }
    List<String> out = new ArrayList<>(2);
    for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
      if (e != JsonToken.VALUE_STRING) {
        throw NotHandled.INSTANCE;
      }
      out.add(p.getText());
    }
    return out;
  }

  private static Instant instant(JsonParser p, JsonToken t) throws IOException, NotHandled {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw NotHandled.INSTANCE;
    }
    Instant v = WireInstants.parseOrNull(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    if (v == null) {
      throw NotHandled.INSTANCE;
    }
    return v;
  }

  private static boolean bool(JsonToken t) throws NotHandled {
    if (t == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (t == JsonToken.VALUE_FALSE) {
      return false;
    }
    throw NotHandled.INSTANCE;
  }

  private static int int4(JsonParser p, JsonToken t) throws IOException, NotHandled {
    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
      throw NotHandled.INSTANCE;
    }
    return p.getIntValue();
  }

  private static long int8(JsonParser p, JsonToken t) throws IOException, NotHandled {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw NotHandled.INSTANCE;
    }
    JsonParser.NumberType n = p.getNumberType();
    if (n != JsonParser.NumberType.INT && n != JsonParser.NumberType.LONG) {
      throw NotHandled.INSTANCE;
    }
    return p.getLongValue();
  }

  private static double float8(JsonParser p, JsonToken t) throws IOException, NotHandled {
    if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
      throw NotHandled.INSTANCE;
    }
    return p.getDoubleValue();
  }
}
