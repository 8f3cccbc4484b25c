package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TestSite.CUSTOMER;
import static io.tms.agent.TestSite.GOOD_CARD;
import static io.tms.agent.TestSite.PIN;
import static io.tms.agent.TestSite.SMALL_RESERVE_CUSTOMER;
import static io.tms.agent.TestSite.TRUCK;
import static io.tms.agent.TestSite.ULSD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every deny code of DESIGN §2, through the terminal API. */
class AuthorizationTest extends AgentTestBase {

  private JsonNode decide(String card, String pin, String vehicle, Object... intents) {
    var r = client.post("/v1/authorizations", authorize(card, pin, vehicle, intents));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private static List<String> codes(JsonNode decision) {
    List<String> out = new ArrayList<>();
    decision.get("denyCodes").forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void card_checks_stop_the_decision() {
    assertThat(codes(decide("NOPE", PIN, TRUCK, intent(1, CUSTOMER, ULSD)))).containsExactly("CARD_UNKNOWN");
    assertThat(codes(decide(TestSite.INACTIVE_CARD, PIN, TRUCK, intent(1, CUSTOMER, ULSD))))
        .containsExactly("CARD_INACTIVE");
    JsonNode wrongPin = decide(GOOD_CARD, "0000", "NO-SUCH-TRUCK", intent(1, "NOBODY", ULSD));
    assertThat(codes(wrongPin)).containsExactly("PIN_INVALID"); // reveals nothing about truck or customer
    assertThat(wrongPin.get("compartments")).isEmpty();
  }

  @Test
  void driver_carrier_and_vehicle_checks_are_reported_together() {
    assertThat(codes(decide(TestSite.EXPIRED_CERT_CARD, PIN, TRUCK, intent(1, CUSTOMER, ULSD))))
        .containsExactly("DRIVER_CERTIFICATION_EXPIRED");
    assertThat(codes(decide(GOOD_CARD, PIN, TestSite.INSPECTION_EXPIRED, intent(1, CUSTOMER, ULSD))))
        .containsExactly("VEHICLE_INSPECTION_EXPIRED");
    assertThat(codes(decide(GOOD_CARD, PIN, TestSite.OTHER_CARRIER_TRUCK, intent(1, CUSTOMER, ULSD))))
        .containsExactly("CARRIER_INSURANCE_EXPIRED");
    assertThat(codes(decide(TestSite.SECOND_CARD, PIN, TestSite.OTHER_CARRIER_TRUCK, intent(1, CUSTOMER, ULSD))))
        .containsExactly("CARRIER_INSURANCE_EXPIRED", "DRIVER_NOT_ALLOWED_FOR_CARRIER");
    assertThat(codes(decide(GOOD_CARD, PIN, "NO-SUCH-TRUCK", intent(1, CUSTOMER, ULSD))))
        .containsExactly("VEHICLE_UNKNOWN");
  }

  @Test
  void each_compartment_gets_its_own_answer() {
    JsonNode d = decide(GOOD_CARD, PIN, TRUCK,
        intent(1, CUSTOMER, ULSD),
        intent(2, CUSTOMER, TestSite.JET),          // no lifting rights for jet
        intent(3, "NOBODY", ULSD),
        intent(4, CUSTOMER, ULSD));                 // the truck has 3 compartments
    assertThat(d.get("approved").asBoolean()).isFalse();
    JsonNode c = d.get("compartments");
    assertThat(c.get(0).get("denyCodes")).isEmpty();
    assertThat(c.get(0).get("maxGallons").asLong()).isEqualTo(3_000);
    assertThat(c.get(1).get("denyCodes").get(0).asText()).isEqualTo("CUSTOMER_NOT_AUTHORIZED_FOR_PRODUCT");
    assertThat(c.get(2).get("denyCodes").get(0).asText()).isEqualTo("CUSTOMER_UNKNOWN");
    assertThat(c.get(3).get("denyCodes").get(0).asText()).isEqualTo("COMPARTMENT_UNKNOWN");
    assertThat(codes(d)).containsExactly(
        "CUSTOMER_NOT_AUTHORIZED_FOR_PRODUCT", "CUSTOMER_UNKNOWN", "COMPARTMENT_UNKNOWN");
  }

  @Test
  void the_reserve_limits_what_may_be_loaded() {
    // CUST2 has 4,000 gal of ULSD left at this site
    JsonNode one = decide(GOOD_CARD, PIN, TRUCK, intent(1, SMALL_RESERVE_CUSTOMER, ULSD));
    assertThat(one.get("approved").asBoolean()).isTrue();
    assertThat(one.get("compartments").get(0).get("maxGallons").asLong()).isEqualTo(3_000);

    JsonNode two = decide(GOOD_CARD, PIN, TRUCK,
        intent(1, SMALL_RESERVE_CUSTOMER, ULSD, 3_000), intent(2, SMALL_RESERVE_CUSTOMER, ULSD, 3_000));
    assertThat(two.get("approved").asBoolean()).isFalse();
    assertThat(codes(two)).containsExactly("RESERVE_INSUFFICIENT");

    JsonNode over = decide(GOOD_CARD, PIN, TRUCK, intent(1, CUSTOMER, ULSD, 3_500));
    assertThat(codes(over)).containsExactly("COMPARTMENT_OVER_CAPACITY");
  }

  @Test
  void an_allocation_outside_its_period_is_no_allocation() {
    agent.database().writer().write(ctx -> ctx.handle().execute(
        "UPDATE allocation SET period_start = '2026-12-01', period_end = '2026-12-31' WHERE id = 'AL1'"));
    agent.database().writer().write(ctx -> {
      agent.refreshMasterData(ctx);
      return null;
    });
    assertThat(codes(decide(GOOD_CARD, PIN, TRUCK, intent(1, CUSTOMER, ULSD)))).containsExactly("NO_ALLOCATION");
  }

  @Test
  void wrong_pins_lock_the_card_until_an_operator_unlocks_it() {
    assertThat(codes(decide(GOOD_CARD, "1111", TRUCK, intent(1, CUSTOMER, ULSD)))).containsExactly("PIN_INVALID");
    assertThat(codes(decide(GOOD_CARD, "2222", TRUCK, intent(1, CUSTOMER, ULSD)))).containsExactly("PIN_INVALID");
    JsonNode third = decide(GOOD_CARD, "3333", TRUCK, intent(1, CUSTOMER, ULSD));
    assertThat(codes(third)).containsExactly("PIN_INVALID", "CARD_LOCKED");
    assertThat(third.get("cardLocked").asBoolean()).isTrue();
    // now even the right PIN is refused
    assertThat(codes(decide(GOOD_CARD, PIN, TRUCK, intent(1, CUSTOMER, ULSD)))).containsExactly("CARD_LOCKED");

    assertThat(client.post("/v1/cards/" + GOOD_CARD + "/unlock", java.util.Map.of("operator", "ops1")).status())
        .isEqualTo(200);
    assertThat(decide(GOOD_CARD, PIN, TRUCK, intent(1, CUSTOMER, ULSD)).get("approved").asBoolean()).isTrue();
  }

  @Test
  void a_right_pin_resets_the_failure_count() {
    decide(GOOD_CARD, "1111", TRUCK, intent(1, CUSTOMER, ULSD));
    decide(GOOD_CARD, "2222", TRUCK, intent(1, CUSTOMER, ULSD));
    assertThat(decide(GOOD_CARD, PIN, TRUCK, intent(1, CUSTOMER, ULSD)).get("approved").asBoolean()).isTrue();
    assertThat(codes(decide(GOOD_CARD, "3333", TRUCK, intent(1, CUSTOMER, ULSD)))).containsExactly("PIN_INVALID");
  }

  @Test
  void the_pin_never_reaches_the_database_or_the_outbox() {
    decide(GOOD_CARD, PIN, TRUCK, intent(1, CUSTOMER, ULSD));
    decide(GOOD_CARD, "9876", TRUCK, intent(1, CUSTOMER, ULSD));
    String everything = agent.database().reader().withHandle(h -> h.createQuery(
        "SELECT group_concat(body, '|') FROM outbox").mapTo(String.class).one()
        + h.createQuery("SELECT group_concat(decision_json, '|') FROM driver_authorization").mapTo(String.class).one());
    assertThat(everything).doesNotContain(PIN).doesNotContain("9876").doesNotContain("\"pin\"");
  }
}
