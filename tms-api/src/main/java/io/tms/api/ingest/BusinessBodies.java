package io.tms.api.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.LoadStartedV1;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the four business bodies a load emits (authorization, load started, BOL, inventory
 * movement: nearly every business event) from the tokens into their records, without Jackson's
 * databind: binding records through it was the largest single item of the cloud's ingest CPU
 * (property buffers, creator calls, a deserializer per field). Only the form sites write takes this
 * path: each field with the token its type expects (a string or null for text, an integer that fits
 * for {@code int}/{@code long}, a number for {@code double}, true/false, instants in the sites' ISO
 * form), primitives present and not null, no field twice. Anything else returns {@link #NOT_HANDLED}
 * and the caller binds the body with the cloud's strict mapper as before, so what is accepted and
 * what is refused does not change. Unknown fields are skipped, as the records' annotations say.
 * Stateless and thread-safe.
 */
final class BusinessBodies {
  /** Returned when the body is not in the sites' form; the caller falls back to databind. */
  static final Object NOT_HANDLED = new Object();

  private BusinessBodies() {}

  /** Whether {@link #read} knows the type. */
  static boolean handles(String type) {
    return switch (type) {
      case EventTypes.AUTHORIZATION_DECIDED, EventTypes.LOAD_STARTED, EventTypes.BOL_ISSUED,
          EventTypes.INVENTORY_MOVED -> true;
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
      case EventTypes.AUTHORIZATION_DECIDED -> authorization(p);
      case EventTypes.LOAD_STARTED -> loadStarted(p);
      case EventTypes.BOL_ISSUED -> bol(p);
      case EventTypes.INVENTORY_MOVED -> movement(p);
      default -> NOT_HANDLED;
    };
  }

  /** Signals a token outside the sites' form; caught in {@link #read}'s callers' frame only. */
  private static final class NotHandled extends Exception {
    private static final NotHandled INSTANCE = new NotHandled();

    private NotHandled() {
      super("not in the sites' form", null, false, false);
    }
  }

  private static Object authorization(JsonParser p) throws IOException {
    String id = null;
    Instant decidedAt = null;
    Instant expiresAt = null;
    boolean approved = false;
    List<String> denyCodes = null;
    String card = null;
    String driver = null;
    String carrier = null;
    String vehicle = null;
    boolean cardLocked = false;
    List<AuthorizationDecidedV1.Compartment> compartments = null;
    int seen = 0;
    try {
      for (String name; (name = p.nextFieldName()) != null; ) {
        JsonToken t = p.nextToken();
        int bit = switch (name) {
          case "authorizationId" -> { id = text(p, t); yield 1; }
          case "decidedAt" -> { decidedAt = instant(p, t); yield 1 << 1; }
          case "expiresAt" -> { expiresAt = instant(p, t); yield 1 << 2; }
          case "approved" -> { approved = bool(t); yield 1 << 3; }
          case "denyCodes" -> { denyCodes = texts(p, t); yield 1 << 4; }
          case "cardNumber" -> { card = text(p, t); yield 1 << 5; }
          case "driverId" -> { driver = text(p, t); yield 1 << 6; }
          case "carrierId" -> { carrier = text(p, t); yield 1 << 7; }
          case "vehicleId" -> { vehicle = text(p, t); yield 1 << 8; }
          case "cardLocked" -> { cardLocked = bool(t); yield 1 << 9; }
          case "compartments" -> { compartments = authorizationCompartments(p, t); yield 1 << 10; }
          default -> { p.skipChildren(); yield 0; }
        };
        seen = once(seen, bit);
      }
      end(p);
      require(seen, 1 << 3 | 1 << 9);
    } catch (NotHandled e) {
      return NOT_HANDLED;
    }
    return new AuthorizationDecidedV1(id, decidedAt, expiresAt, approved, denyCodes, card, driver, carrier, vehicle,
        cardLocked, compartments);
  }

  private static List<AuthorizationDecidedV1.Compartment> authorizationCompartments(JsonParser p, JsonToken t)
      throws IOException, NotHandled {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw NotHandled.INSTANCE;
    }
    List<AuthorizationDecidedV1.Compartment> out = new ArrayList<>(5);
    for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
      if (e != JsonToken.START_OBJECT) {
        throw NotHandled.INSTANCE;
      }
      int compartment = 0;
      String customer = null;
      String product = null;
      String allocation = null;
      long capacity = 0;
      long max = 0;
      List<String> denyCodes = null;
      int seen = 0;
      for (String name; (name = p.nextFieldName()) != null; ) {
        JsonToken v = p.nextToken();
        int bit = switch (name) {
          case "compartment" -> { compartment = int4(p, v); yield 1; }
          case "customerId" -> { customer = text(p, v); yield 1 << 1; }
          case "productCode" -> { product = text(p, v); yield 1 << 2; }
          case "allocationId" -> { allocation = text(p, v); yield 1 << 3; }
          case "capacityGallons" -> { capacity = int8(p, v); yield 1 << 4; }
          case "maxGallons" -> { max = int8(p, v); yield 1 << 5; }
          case "denyCodes" -> { denyCodes = texts(p, v); yield 1 << 6; }
          default -> { p.skipChildren(); yield 0; }
        };
        seen = once(seen, bit);
      }
      end(p);
      require(seen, 1 | 1 << 4 | 1 << 5);
      out.add(new AuthorizationDecidedV1.Compartment(compartment, customer, product, allocation, capacity, max,
          denyCodes));
    }
    return out;
  }

  private static Object loadStarted(JsonParser p) throws IOException {
    String loadId = null;
    String authorizationId = null;
    String bay = null;
    String vehicle = null;
    Instant startedAt = null;
    List<LoadStartedV1.Compartment> compartments = null;
    int seen = 0;
    try {
      for (String name; (name = p.nextFieldName()) != null; ) {
        JsonToken t = p.nextToken();
        int bit = switch (name) {
          case "loadId" -> { loadId = text(p, t); yield 1; }
          case "authorizationId" -> { authorizationId = text(p, t); yield 1 << 1; }
          case "bayId" -> { bay = text(p, t); yield 1 << 2; }
          case "vehicleId" -> { vehicle = text(p, t); yield 1 << 3; }
          case "startedAt" -> { startedAt = instant(p, t); yield 1 << 4; }
          case "compartments" -> { compartments = loadCompartments(p, t); yield 1 << 5; }
          default -> { p.skipChildren(); yield 0; }
        };
        seen = once(seen, bit);
      }
      end(p);
    } catch (NotHandled e) {
      return NOT_HANDLED;
    }
    return new LoadStartedV1(loadId, authorizationId, bay, vehicle, startedAt, compartments);
  }

  private static List<LoadStartedV1.Compartment> loadCompartments(JsonParser p, JsonToken t)
      throws IOException, NotHandled {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw NotHandled.INSTANCE;
    }
    List<LoadStartedV1.Compartment> out = new ArrayList<>(5);
    for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
      if (e != JsonToken.START_OBJECT) {
        throw NotHandled.INSTANCE;
      }
      int compartment = 0;
      String customer = null;
      String product = null;
      String allocation = null;
      String arm = null;
      String meter = null;
      String tank = null;
      long preset = 0;
      int seen = 0;
      for (String name; (name = p.nextFieldName()) != null; ) {
        JsonToken v = p.nextToken();
        int bit = switch (name) {
          case "compartment" -> { compartment = int4(p, v); yield 1; }
          case "customerId" -> { customer = text(p, v); yield 1 << 1; }
          case "productCode" -> { product = text(p, v); yield 1 << 2; }
          case "allocationId" -> { allocation = text(p, v); yield 1 << 3; }
          case "armId" -> { arm = text(p, v); yield 1 << 4; }
          case "meterId" -> { meter = text(p, v); yield 1 << 5; }
          case "tankId" -> { tank = text(p, v); yield 1 << 6; }
          case "presetGallons" -> { preset = int8(p, v); yield 1 << 7; }
          default -> { p.skipChildren(); yield 0; }
        };
        seen = once(seen, bit);
      }
      end(p);
      require(seen, 1 | 1 << 7);
      out.add(new LoadStartedV1.Compartment(compartment, customer, product, allocation, arm, meter, tank, preset));
    }
    return out;
  }

  private static Object bol(JsonParser p) throws IOException {
    String number = null;
    String siteCode = null;
    String loadId = null;
    String bay = null;
    String driver = null;
    String carrier = null;
    String vehicle = null;
    Instant startedAt = null;
    Instant completedAt = null;
    double gross = 0;
    double net = 0;
    List<BolIssuedV1.Line> lines = null;
    int seen = 0;
    try {
      for (String name; (name = p.nextFieldName()) != null; ) {
        JsonToken t = p.nextToken();
        int bit = switch (name) {
          case "bolNumber" -> { number = text(p, t); yield 1; }
          case "siteCode" -> { siteCode = text(p, t); yield 1 << 1; }
          case "loadId" -> { loadId = text(p, t); yield 1 << 2; }
          case "bayId" -> { bay = text(p, t); yield 1 << 3; }
          case "driverId" -> { driver = text(p, t); yield 1 << 4; }
          case "carrierId" -> { carrier = text(p, t); yield 1 << 5; }
          case "vehicleId" -> { vehicle = text(p, t); yield 1 << 6; }
          case "startedAt" -> { startedAt = instant(p, t); yield 1 << 7; }
          case "completedAt" -> { completedAt = instant(p, t); yield 1 << 8; }
          case "totalGrossGallons" -> { gross = float8(p, t); yield 1 << 9; }
          case "totalNetGallons" -> { net = float8(p, t); yield 1 << 10; }
          case "lines" -> { lines = bolLines(p, t); yield 1 << 11; }
          default -> { p.skipChildren(); yield 0; }
        };
        seen = once(seen, bit);
      }
      end(p);
      require(seen, 1 << 9 | 1 << 10);
    } catch (NotHandled e) {
      return NOT_HANDLED;
    }
    return new BolIssuedV1(number, siteCode, loadId, bay, driver, carrier, vehicle, startedAt, completedAt, gross, net,
        lines);
  }

  private static List<BolIssuedV1.Line> bolLines(JsonParser p, JsonToken t) throws IOException, NotHandled {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw NotHandled.INSTANCE;
    }
    List<BolIssuedV1.Line> out = new ArrayList<>(5);
    for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
      if (e != JsonToken.START_OBJECT) {
        throw NotHandled.INSTANCE;
      }
      int compartment = 0;
      String product = null;
      String customer = null;
      String allocation = null;
      String arm = null;
      String meter = null;
      String tank = null;
      long preset = 0;
      double gross = 0;
      double net = 0;
      double temperature = 0;
      double density = 0;
      double api = 0;
      double ctl = 0;
      long consumed = 0;
      int seen = 0;
      for (String name; (name = p.nextFieldName()) != null; ) {
        JsonToken v = p.nextToken();
        int bit = switch (name) {
          case "compartment" -> { compartment = int4(p, v); yield 1; }
          case "productCode" -> { product = text(p, v); yield 1 << 1; }
          case "customerId" -> { customer = text(p, v); yield 1 << 2; }
          case "allocationId" -> { allocation = text(p, v); yield 1 << 3; }
          case "armId" -> { arm = text(p, v); yield 1 << 4; }
          case "meterId" -> { meter = text(p, v); yield 1 << 5; }
          case "tankId" -> { tank = text(p, v); yield 1 << 6; }
          case "presetGallons" -> { preset = int8(p, v); yield 1 << 7; }
          case "grossGallons" -> { gross = float8(p, v); yield 1 << 8; }
          case "netGallons" -> { net = float8(p, v); yield 1 << 9; }
          case "temperatureF" -> { temperature = float8(p, v); yield 1 << 10; }
          case "baseDensityKgM3" -> { density = float8(p, v); yield 1 << 11; }
          case "apiGravity" -> { api = float8(p, v); yield 1 << 12; }
          case "ctl" -> { ctl = float8(p, v); yield 1 << 13; }
          case "consumedGallons" -> { consumed = int8(p, v); yield 1 << 14; }
          default -> { p.skipChildren(); yield 0; }
        };
        seen = once(seen, bit);
      }
      end(p);
      require(seen, 1 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 12 | 1 << 13 | 1 << 14);
      out.add(new BolIssuedV1.Line(compartment, product, customer, allocation, arm, meter, tank, preset, gross, net,
          temperature, density, api, ctl, consumed));
    }
    return out;
  }

  private static Object movement(JsonParser p) throws IOException {
    String tank = null;
    Instant movedAt = null;
    String reason = null;
    String reference = null;
    double delta = 0;
    double after = 0;
    int seen = 0;
    try {
      for (String name; (name = p.nextFieldName()) != null; ) {
        JsonToken t = p.nextToken();
        int bit = switch (name) {
          case "tankId" -> { tank = text(p, t); yield 1; }
          case "movedAt" -> { movedAt = instant(p, t); yield 1 << 1; }
          case "reason" -> { reason = text(p, t); yield 1 << 2; }
          case "reference" -> { reference = text(p, t); yield 1 << 3; }
          case "deltaNetGallons" -> { delta = float8(p, t); yield 1 << 4; }
          case "bookNetGallonsAfter" -> { after = float8(p, t); yield 1 << 5; }
          default -> { p.skipChildren(); yield 0; }
        };
        seen = once(seen, bit);
      }
      end(p);
      require(seen, 1 << 4 | 1 << 5);
    } catch (NotHandled e) {
      return NOT_HANDLED;
    }
    return new InventoryMovedV1(tank, movedAt, reason, reference, delta, after);
  }

  /** The loop over fields ends on END_OBJECT, or on something that is not a field name (malformed or not ours). */
  private static void end(JsonParser p) throws NotHandled {
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw NotHandled.INSTANCE;
    }
  }

  /** A field seen twice is left to databind (which of the two wins is its rule, not ours to copy). */
  private static int once(int seen, int bit) throws NotHandled {
    if ((seen & bit) != 0) {
      throw NotHandled.INSTANCE;
    }
    return seen | bit;
  }

  /** A primitive that is absent is left to databind (the strict mapper refuses it). */
  private static void require(int seen, int primitives) throws NotHandled {
    if ((seen & primitives) != primitives) {
      throw NotHandled.INSTANCE;
    }
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
