package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.JsonArbitraries;
import io.tms.api.http.ApiException;
import io.tms.api.http.CloudJson;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.LoadStartedV1;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written reader of the load's business bodies ({@link BusinessBodies}) against the
 * strict databind binding it replaces on the ingest path: for valid bodies and for generated edits
 * of them (retyped, removed, duplicated, unknown or extreme fields), reading a batch gives the same
 * record, or the same refusal (a 400 naming {@code events[0].body}), as binding the body alone with
 * the cloud's mapper. No database: {@link UplinkIngest#read} is the whole path under test.
 */
class BusinessBodiesTest {
  private static final ObjectMapper MAPPER = CloudJson.mapper();
  private static final ObjectMapper TREE = new ObjectMapper();
  private static final UplinkIngest INGEST = new UplinkIngest(null, MAPPER, IngestHook.NONE);

  private static final Instant AT = Instant.parse("2026-11-26T03:14:44.570Z");
  private static final Map<String, Object> VALID = Map.of(
      EventTypes.AUTHORIZATION_DECIDED, new AuthorizationDecidedV1("AUTH-1", AT, AT.plusSeconds(600), true, List.of(),
          "CARD-7", "DRV-1", "CAR-1", "VEH-1", false, List.of(
              new AuthorizationDecidedV1.Compartment(1, "CUST-1", "ULSD", "ALLOC-1", 3000, 2500, List.of()),
              new AuthorizationDecidedV1.Compartment(2, "CUST-1", "RUL87", null, 4000, 0, List.of("NO_ALLOCATION")))),
      EventTypes.LOAD_STARTED, new LoadStartedV1("LOAD-1", "AUTH-1", "BAY-3", "VEH-1", AT, List.of(
          new LoadStartedV1.Compartment(1, "CUST-1", "ULSD", "ALLOC-1", "ARM-1", "MTR-1", "TK-1", 2500))),
      EventTypes.BOL_ISSUED, new BolIssuedV1("HOU1-000042", "HOU1", "LOAD-1", "BAY-3", "DRV-1", "CAR-1", "VEH-1", AT,
          AT.plusSeconds(900), 2498.7, 2471.25, List.of(
              new BolIssuedV1.Line(1, "ULSD", "CUST-1", "ALLOC-1", "ARM-1", "MTR-1", "TK-1", 2500, 2498.7, 2471.25,
                  71.3, 850.1, 34.97, 0.98901, 2499))),
      EventTypes.INVENTORY_MOVED, new InventoryMovedV1("TK-1", AT, "LOAD", "HOU1-000042", -2471.25, 180344.5),
      EventTypes.GAUGE_READING_RECORDED, new io.tms.protocol.v1.GaugeReadingRecordedV1("G-7", "TK-1", AT, 182001.5,
          12.25, 68.4, 180344.5, 180300.0));

  @Example
  void validBodiesOfEveryHandledTypeReadAsTheirRecordsWithoutDatabind() throws Exception {
    for (Map.Entry<String, Object> e : VALID.entrySet()) {
      byte[] body = MAPPER.writeValueAsBytes(e.getValue());
      assertThat(BusinessBodies.handles(e.getKey())).isTrue();
      try (var p = new com.fasterxml.jackson.core.JsonFactory().createParser(body)) {
        p.nextToken();
        assertThat(BusinessBodies.read(p, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(readOne(e.getKey(), body)).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Example
  void formsOutsideTheSitesOneFallBackToDatabindAndMeanWhatTheyMeantBefore() throws Exception {
    String mv = "{\"tankId\":\"TK-1\",\"movedAt\":%s,\"reason\":\"LOAD\",\"reference\":null,"
        + "\"deltaNetGallons\":%s,\"bookNetGallonsAfter\":5}";
    // an instant as epoch seconds: databind accepts it, so the ingest still does
    byte[] epoch = mv.formatted("1764126884.57", "-1").getBytes(StandardCharsets.UTF_8);
    assertThat(fastRead(EventTypes.INVENTORY_MOVED, epoch)).isSameAs(BusinessBodies.NOT_HANDLED);
    assertThat(readOne(EventTypes.INVENTORY_MOVED, epoch)).isEqualTo(bind(EventTypes.INVENTORY_MOVED, epoch));
    byte[] twice = (mv.formatted("\"2026-11-26T03:14:44Z\"", "-1").replace("}", ",\"deltaNetGallons\":-2}"))
        .getBytes(StandardCharsets.UTF_8);
    assertThat(fastRead(EventTypes.INVENTORY_MOVED, twice)).isSameAs(BusinessBodies.NOT_HANDLED);
    assertThat(outcome(EventTypes.INVENTORY_MOVED, twice)).isEqualTo(expected(EventTypes.INVENTORY_MOVED, twice))
        .isEqualTo("refused"); // the strict mapper refuses a creator property twice
    // a number as a string, a primitive missing: refused as before, naming the body
    byte[] text = mv.formatted("\"2026-11-26T03:14:44Z\"", "\"-1\"").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> readOne(EventTypes.INVENTORY_MOVED, text)).isInstanceOf(ApiException.class)
        .hasFieldOrPropertyWithValue("status", 400).hasMessageContaining("does not parse");
    byte[] missing = "{\"tankId\":\"TK-1\",\"bookNetGallonsAfter\":5}".getBytes(StandardCharsets.UTF_8);
    assertThat(outcome(EventTypes.INVENTORY_MOVED, missing)).isEqualTo(expected(EventTypes.INVENTORY_MOVED, missing));
  }

  @Property(tries = 600, seed = "20261126")
  void editedBodiesReadAsTheStrictMapperBindsThem(@ForAll("edited") Map.Entry<String, byte[]> c) throws Exception {
    JsonNode tree;
    try {
      tree = TREE.readTree(c.getValue());
    } catch (Exception e) {
      tree = null;
    }
    Assume.that(tree != null && tree.isObject()); // a body that is no JSON object breaks the envelope instead
    assertThat(outcome(c.getKey(), c.getValue())).isEqualTo(expected(c.getKey(), c.getValue()));
  }

  @Provide
  Arbitrary<Map.Entry<String, byte[]>> edited() {
    return Arbitraries.of(List.copyOf(VALID.keySet())).flatMap(type -> JsonArbitraries
        .bodiesLike(TREE.valueToTree(MAPPER.convertValue(VALID.get(type), Map.class)))
        .map(body -> Map.entry(type, body)));
  }

  /** The record, or "refused" when the batch is refused as bad input naming the body. */
  private static Object outcome(String type, byte[] body) throws Exception {
    try {
      return readOne(type, body);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      return "refused";
    }
  }

  private static Object expected(String type, byte[] body) {
    try {
      return bind(type, body);
    } catch (Exception e) {
      return "refused";
    }
  }

  private static Object bind(String type, byte[] body) throws Exception {
    return MAPPER.copy().registerModule(WireInstants.module()).readerFor(EventLanding.bodyType(type))
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(body);
  }

  private static Object fastRead(String type, byte[] body) throws Exception {
    try (var p = new com.fasterxml.jackson.core.JsonFactory().createParser(body)) {
      p.nextToken();
      return BusinessBodies.read(p, type);
    }
  }

  /** The body in a one-event batch, read as the edge endpoint reads it; its decoded record. */
  private static Object readOne(String type, byte[] body) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(("{\"siteCode\":\"HOU1\",\"lane\":\"BUSINESS\",\"fromSeq\":1,\"prevHash\":\"" + "0".repeat(64)
        + "\",\"events\":[{\"seq\":1,\"type\":\"" + type + "\",\"occurredAt\":\"2026-11-26T03:14:44.570Z\",\"hash\":\""
        + "a".repeat(64) + "\",\"bodyJson\":").getBytes(StandardCharsets.UTF_8));
    b.write(body);
    b.write("}]}".getBytes(StandardCharsets.UTF_8));
    UplinkBatchReader.Event e = INGEST.read(b.toByteArray()).events().get(0);
    assertThat(new String(e.src(), e.off(), e.len(), StandardCharsets.UTF_8))
        .isEqualTo(new String(body, StandardCharsets.UTF_8));
    return e.decoded();
  }
}
