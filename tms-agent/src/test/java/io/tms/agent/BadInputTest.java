package io.tms.agent;

import static io.tms.agent.TerminalClient.start;
import static io.tms.agent.TestSite.GOOD_CARD;
import static io.tms.agent.TestSite.TRUCK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad input gets a 4xx problem naming the field, and changes nothing. */
class BadInputTest extends AgentTestBase {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON            | {\"cardNumber\": \"C100\",                                                   | 400 |",
      "not an object             | [1,2,3]                                                                    | 400 |",
      "empty object              | {}                                                                         | 400 | cardNumber",
      "pin as a number           | {\"cardNumber\":\"C100\",\"pin\":4321,\"vehicleId\":\"T1\",\"compartments\":[]} | 400 | pin",
      "unknown field             | {\"cardNumber\":\"C100\",\"pin\":\"4321\",\"vehicleId\":\"T1\",\"compartments\":[],\"admin\":true} | 400 | admin",
      "no compartments           | {\"cardNumber\":\"C100\",\"pin\":\"4321\",\"vehicleId\":\"T1\",\"compartments\":[]} | 400 | compartments",
      "compartment as text       | {\"cardNumber\":\"C100\",\"pin\":\"4321\",\"vehicleId\":\"T1\",\"compartments\":[{\"compartment\":\"one\",\"customerId\":\"CUST1\",\"productCode\":\"ULSD\"}]} | 400 | compartments[0].compartment",
      "negative gallons          | {\"cardNumber\":\"C100\",\"pin\":\"4321\",\"vehicleId\":\"T1\",\"compartments\":[{\"compartment\":1,\"customerId\":\"CUST1\",\"productCode\":\"ULSD\",\"requestedGallons\":-5}]} | 400 | compartments.requestedGallons",
      "absurd gallons            | {\"cardNumber\":\"C100\",\"pin\":\"4321\",\"vehicleId\":\"T1\",\"compartments\":[{\"compartment\":1,\"customerId\":\"CUST1\",\"productCode\":\"ULSD\",\"requestedGallons\":9000000000}]} | 400 | compartments.requestedGallons",
      "fractional gallons        | {\"cardNumber\":\"C100\",\"pin\":\"4321\",\"vehicleId\":\"T1\",\"compartments\":[{\"compartment\":1,\"customerId\":\"CUST1\",\"productCode\":\"ULSD\",\"requestedGallons\":1.5}]} | 400 | compartments[0].requestedGallons",
      "SQL in the card number    | {\"cardNumber\":\"C100' OR '1'='1\",\"pin\":\"4321\",\"vehicleId\":\"T1\",\"compartments\":[{\"compartment\":1,\"customerId\":\"CUST1\",\"productCode\":\"ULSD\"}]} | 201 |",
  })
  void authorize_refuses_bad_bodies_and_changes_nothing(String name, String body, int status, String field) {
    String before = fingerprint();
    var r = client.post("/v1/authorizations", body);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    if (status >= 400) {
      assertThat(r.contentType()).startsWith("application/problem+json");
      if (field != null) {
        assertThat(r.json().get("field").asText()).isEqualTo(field);
      }
      assertThat(fingerprint()).isEqualTo(before);
    } else {
      // an injection attempt is just an unknown card
      assertThat(r.json().get("denyCodes").get(0).asText()).isEqualTo("CARD_UNKNOWN");
    }
  }

  @Test
  void completion_readings_outside_the_standard_are_refused() {
    String load = client.post("/v1/loads", start(approved(GOOD_CARD, TRUCK), "B1", Map.of(1, 2_000L)))
        .json().get("loadId").asText();
    String before = fingerprint();
    var hot = client.post("/v1/loads/" + load + "/complete",
        TerminalClient.complete(TerminalClient.reading(1, 1_000, 400.0)));
    assertThat(hot.status()).isEqualTo(400);
    assertThat(hot.json().get("field").asText()).isEqualTo("compartments[1]");
    var over = client.post("/v1/loads/" + load + "/complete",
        TerminalClient.complete(TerminalClient.reading(1, 2_000.5, 60.0)));
    assertThat(over.status()).isEqualTo(422);
    assertThat(over.json().get("field").asText()).isEqualTo("compartments[1].grossGallons");
    var missing = client.post("/v1/loads/" + load + "/complete",
        TerminalClient.complete(TerminalClient.reading(2, 100, 60.0)));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void an_oversized_body_is_413_and_changes_nothing() {
    String before = fingerprint();
    String huge = "{\"cardNumber\":\"" + "9".repeat(200_000) + "\"}";
    var r = client.post("/v1/authorizations", huge);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void unknown_ids_are_404_problems() {
    var r = client.post("/v1/loads", start("TEST1-A999", "B1", Map.of(1, 100L)));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("field").asText()).isEqualTo("authorizationId");
    assertThat(client.get("/v1/bols/TEST1-00000999").status()).isEqualTo(404);
    assertThat(client.get("/v1/loads/nope").status()).isEqualTo(404);
    var route = client.get("/v1/nothing-here");
    assertThat(route.status()).isEqualTo(404);
    assertThat(route.contentType()).startsWith("application/problem+json");
    assertThat(client.get("/v1/bols?limit=-1").status()).isEqualTo(400);
  }
}
