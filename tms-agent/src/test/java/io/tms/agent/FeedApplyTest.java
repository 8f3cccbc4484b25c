package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.agent.security.SeedTerminals;
import io.tms.agent.security.TerminalCredentials;
import io.tms.agent.sync.FeedApplier;
import io.tms.protocol.v1.sync.AllocationV1;
import io.tms.protocol.v1.sync.BayV1;
import io.tms.protocol.v1.sync.CarrierV1;
import io.tms.protocol.v1.sync.ChangeV1;
import io.tms.protocol.v1.sync.ChangesV1;
import io.tms.protocol.v1.sync.CustomerV1;
import io.tms.protocol.v1.sync.DriverV1;
import io.tms.protocol.v1.sync.LiftingV1;
import io.tms.protocol.v1.sync.MasterRecordV1;
import io.tms.protocol.v1.sync.ProductV1;
import io.tms.protocol.v1.sync.SiteV1;
import io.tms.protocol.v1.sync.TankV1;
import io.tms.protocol.v1.sync.TerminalV1;
import io.tms.protocol.v1.sync.VehicleV1;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The change feed applied at the site: what the cloud deactivates, the authorizer refuses. */
class FeedApplyTest extends AgentTestBase {
  static final String SITE = TestSite.CODE;
  long rev;

  FeedApplier.Applied changes(MasterRecordV1... records) {
    List<ChangeV1> list = new ArrayList<>();
    for (MasterRecordV1 r : records) {
      list.add(new ChangeV1(++rev, r));
    }
    return agent.applyChanges(new ChangesV1(rev, false, false, list));
  }

  FeedApplier.Applied snapshot(MasterRecordV1... records) {
    List<ChangeV1> list = new ArrayList<>();
    for (MasterRecordV1 r : records) {
      list.add(new ChangeV1(++rev, r));
    }
    return agent.applyChanges(new ChangesV1(rev, true, false, list));
  }

  JsonNode decide(String card, String truck, Object intent) {
    var r = client.post("/v1/authorizations", authorize(card, TestSite.PIN, truck, intent));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static List<String> codes(JsonNode decision) {
    List<String> out = new ArrayList<>();
    decision.get("denyCodes").forEach(n -> out.add(n.asText())); // every code, compartments' included
    return out;
  }

  static DriverV1 driver(String id, String card, boolean active) {
    return new DriverV1(id, "Driver " + id, card, active, TestSite.pin(card).encoded(), Set.of("ACME"),
        Map.of("HAZMAT", TestSite.TODAY.plusMonths(6)));
  }

  @Test
  void deactivations_reach_the_authorizer_and_the_rev_is_stored_with_them() {
    assertThat(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD))
        .get("approved").asBoolean()).isTrue();

    changes(new CustomerV1(TestSite.CUSTOMER, "Gulf Coast Fuels", false));
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD))))
        .contains("CUSTOMER_INACTIVE");
    changes(new CustomerV1(TestSite.CUSTOMER, "Gulf Coast Fuels", true),
        new ProductV1(TestSite.RUL, "Regular", "GASOLINES", false));
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.RUL))))
        .containsExactly("PRODUCT_INACTIVE");
    assertThat(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD))
        .get("approved").asBoolean()).isTrue();

    changes(new LiftingV1(SITE, TestSite.CUSTOMER, TestSite.ULSD, false));
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD))))
        .containsExactly("CUSTOMER_NOT_AUTHORIZED_FOR_PRODUCT");
    changes(new LiftingV1(SITE, TestSite.CUSTOMER, TestSite.ULSD, true),
        new LiftingV1("OTHER", TestSite.CUSTOMER, TestSite.JET, true)); // another site's right: ignored
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.JET))))
        .containsExactly("CUSTOMER_NOT_AUTHORIZED_FOR_PRODUCT");

    var first = TestSite.TODAY.withDayOfMonth(1);
    changes(new AllocationV1("AL1", TestSite.CUSTOMER, TestSite.ULSD, first, first.plusMonths(1).minusDays(1),
        1_000_000, false));
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD))))
        .containsExactly("NO_ALLOCATION");

    changes(new VehicleV1(TestSite.TRUCK2, "ACME", false, TestSite.TODAY.plusMonths(3),
        List.of(new VehicleV1.Compartment(1, 3_000))));
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK2, intent(1, TestSite.CUSTOMER, TestSite.RUL))))
        .contains("VEHICLE_INACTIVE");

    FeedApplier.Applied last = changes(driver("D1", TestSite.GOOD_CARD, false));
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.RUL))))
        .containsExactly("CARD_INACTIVE");
    assertThat(last.rev()).isEqualTo(rev);
    assertThat(agent.feedRev()).isEqualTo(rev);
  }

  @Test
  void changes_at_or_below_the_stored_rev_are_not_applied_again() {
    changes(new CustomerV1(TestSite.CUSTOMER, "Renamed", true));
    long at = rev;
    // a retried answer that starts before the stored rev: only what is new counts
    var replay = agent.applyChanges(new ChangesV1(at + 1, false, false, List.of(
        new ChangeV1(at, new CustomerV1(TestSite.CUSTOMER, "Stale", false)),
        new ChangeV1(at + 1, new CustomerV1(TestSite.SMALL_RESERVE_CUSTOMER, "Bayou", true)))));
    assertThat(replay.changes()).isEqualTo(1);
    String name = agent.database().reader().withHandle(h -> agent.masterDataStore().load(h))
        .customers().get(TestSite.CUSTOMER).name();
    assertThat(name).isEqualTo("Renamed");
  }

  @Test
  void a_snapshot_replaces_the_master_data_and_what_it_omits_ends_inactive_but_stays() {
    long productsBefore = count("product");
    var first = TestSite.TODAY.withDayOfMonth(1);
    FeedApplier.Applied applied = snapshot(
        new SiteV1(SITE, "Test Terminal (cloud)", "UTC", true),
        new ProductV1(TestSite.ULSD, "ULSD", "FUEL_OILS", true),
        new TankV1("TK1", SITE, TestSite.ULSD, 1_000_000, 850.0, true),
        new TankV1("TK9", "OTHER", TestSite.ULSD, 1_000, 850.0, true),
        new BayV1("B1", SITE, "Bay 1", true, List.of(new BayV1.Arm("B1A1", "M11", Map.of(TestSite.ULSD, "TK1")))),
        new CustomerV1(TestSite.CUSTOMER, "Gulf Coast Fuels", true),
        new CarrierV1("ACME", "Acme Transport", true, TestSite.TODAY.plusYears(1)),
        driver("D1", TestSite.GOOD_CARD, true),
        new VehicleV1(TestSite.TRUCK, "ACME", true, TestSite.TODAY.plusMonths(3),
            List.of(new VehicleV1.Compartment(1, 3_000), new VehicleV1.Compartment(2, 3_000))),
        new LiftingV1(SITE, TestSite.CUSTOMER, TestSite.ULSD, true),
        new AllocationV1("AL1", TestSite.CUSTOMER, TestSite.ULSD, first, first.plusMonths(1).minusDays(1), 1_000_000,
            true),
        // the snapshot names the terminals still valid (this client's); the other seed terminals end inactive
        new TerminalV1(SITE, SeedTerminals.SIMULATOR_ID, "Simulated terminals", "OTHER",
            TerminalCredentials.sha256Hex(SeedTerminals.SIMULATOR_SECRET), true));
    assertThat(applied.snapshot()).isTrue();
    assertThat(new TerminalClient(agent.port(), SeedTerminals.secret("KIOSK1")).get("/v1/status").status())
        .isEqualTo(401);
    assertThat(agent.feedRev()).isEqualTo(rev);

    assertThat(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD))
        .get("approved").asBoolean()).isTrue();
    assertThat(codes(decide(TestSite.SECOND_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD))))
        .containsExactly("CARD_INACTIVE");
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.RUL))))
        .contains("PRODUCT_INACTIVE", "CUSTOMER_NOT_AUTHORIZED_FOR_PRODUCT");
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.SMALL_RESERVE_CUSTOMER,
        TestSite.ULSD)))).contains("CUSTOMER_INACTIVE");
    assertThat(codes(decide(TestSite.GOOD_CARD, TestSite.TRUCK2, intent(1, TestSite.CUSTOMER, TestSite.ULSD))))
        .contains("VEHICLE_INACTIVE");
    // nothing deleted: loads and BOLs may refer to any of it; the other site's tank never arrived
    assertThat(count("product")).isEqualTo(productsBefore);
    assertThat(count("tank")).isEqualTo(3);
    String siteName = agent.database().reader().withHandle(h -> h.createQuery("SELECT name FROM site")
        .mapTo(String.class).one());
    assertThat(siteName).isEqualTo("Test Terminal (cloud)");
    // an arm fed by a tank taken out of service no longer offers its product
    changes(new TankV1("TK1", SITE, TestSite.ULSD, 1_000_000, 850.0, false));
    String auth = decide(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD))
        .get("authorizationId").asText();
    assertThat(client.post("/v1/loads", start(auth, "B1", Map.of(1, 1_000L))).status()).isEqualTo(422);
  }

  @Test
  void a_card_handed_to_another_driver_moves_with_the_driver_record() {
    changes(driver("D9", TestSite.SECOND_CARD, true));
    var decision = decide(TestSite.SECOND_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD));
    assertThat(decision.get("approved").asBoolean()).as(decision.toString()).isTrue();
    assertThat(decision.get("driverId").asText()).isEqualTo("D9");
    assertThat(count("driver")).isEqualTo(5); // D2 stays, without the card
  }
}
