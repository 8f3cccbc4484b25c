package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.ReserveReleasedV1;
import io.tms.protocol.v1.sync.ChangeV1;
import io.tms.protocol.v1.sync.ChangesV1;
import io.tms.protocol.v1.sync.ReserveV1;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §4 at the site: the cloud asks for reserve back; the site gives back only what is neither
 * held by a load in progress nor consumed, with exactly one {@code reserve.released.v1} event per
 * release, and applying the same totals again releases nothing more.
 */
class ReserveReleaseTest extends AgentTestBase {
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
  long rev;

  void feed(ReserveV1... records) {
    List<ChangeV1> changes = java.util.Arrays.stream(records).map(r -> new ChangeV1(++rev, r)).toList();
    agent.applyChanges(new ChangesV1(rev, false, false, changes));
  }

  /** granted, released, requested, consumed, held of AL3. */
  long[] al3() {
    return agent.database().reader().withHandle(h -> h.createQuery("SELECT granted_gal, released_gal, "
            + "release_requested_gal, consumed_gal, held_gal FROM reserve WHERE allocation_id = 'AL3'")
        .map((rs, c) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)})
        .one());
  }

  List<ReserveReleasedV1> releases() {
    return agent.database().reader().withHandle(h -> h.createQuery(
            "SELECT body FROM outbox WHERE lane = 'BUSINESS' AND type = ? ORDER BY seq")
        .bind(0, EventTypes.RESERVE_RELEASED).mapTo(String.class).list())
        .stream().map(ReserveReleaseTest::parse).toList();
  }

  static ReserveReleasedV1 parse(String body) {
    try {
      return JSON.readValue(body, ReserveReleasedV1.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void a_release_request_gives_back_only_what_is_spare_once_and_the_rest_when_the_hold_ends() {
    // a load in progress holds 3,000 of the 4,000 gal reserve of AL3
    var auth = client.post("/v1/authorizations", authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK,
        intent(1, TestSite.SMALL_RESERVE_CUSTOMER, TestSite.ULSD, 3_000)));
    String authId = auth.json().get("authorizationId").asText();
    var load = client.post("/v1/loads", start(authId, "B1", Map.of(1, 3_000L)));
    assertThat(load.status()).as(load.body()).isEqualTo(201);
    assertThat(al3()).containsExactly(4_000, 0, 0, 0, 3_000);

    // the cloud asks for all 4,000 back: only the unheld 1,000 goes
    feed(new ReserveV1(TestSite.CODE, "AL3", 4_000, 4_000));
    assertThat(al3()).containsExactly(4_000, 1_000, 4_000, 0, 3_000);
    assertThat(releases()).hasSize(1);
    ReserveReleasedV1 first = releases().getFirst();
    assertThat(first.siteCode()).isEqualTo(TestSite.CODE);
    assertThat(first.allocationId()).isEqualTo("AL3");
    assertThat(first.releasedGallons()).isEqualTo(1_000);
    assertThat(first.releasedTotalGallons()).isEqualTo(1_000);

    // the same totals again (a re-sent change, a snapshot): nothing more, no second event
    feed(new ReserveV1(TestSite.CODE, "AL3", 4_000, 4_000));
    feed(new ReserveV1("OTHER", "AL3", 9_000, 9_000)); // another site's reserve: not ours
    assertThat(al3()).containsExactly(4_000, 1_000, 4_000, 0, 3_000);
    assertThat(releases()).hasSize(1);

    // the load completes with 2,500 gal: the hold ends, 500 were not used and go back on the next answer
    String loadId = load.json().get("loadId").asText();
    var done = client.post("/v1/loads/" + loadId + "/complete",
        TerminalClient.complete(TerminalClient.reading(1, 2_500.0, 60.0)));
    assertThat(done.status()).as(done.body()).isEqualTo(201);
    assertThat(al3()).containsExactly(4_000, 1_000, 4_000, 2_500, 0);
    agent.applyChanges(new ChangesV1(rev, false, false, List.of()));
    assertThat(al3()).containsExactly(4_000, 1_500, 4_000, 2_500, 0);
    assertThat(releases()).extracting(ReserveReleasedV1::releasedGallons).containsExactly(1_000L, 500L);
    assertThat(releases()).extracting(ReserveReleasedV1::releasedTotalGallons).containsExactly(1_000L, 1_500L);
    agent.applyChanges(new ChangesV1(rev, false, false, List.of()));
    assertThat(releases()).hasSize(2);
  }

  @Test
  void loads_spend_the_grant_less_what_was_released() {
    // the cloud grants 6,000 more and asks 5,000 back: the site may spend 10,000 - 5,000
    feed(new ReserveV1(TestSite.CODE, "AL3", 10_000, 5_000));
    assertThat(al3()).containsExactly(10_000, 5_000, 5_000, 0, 0);
    var ok = client.post("/v1/authorizations", authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK,
        intent(1, TestSite.SMALL_RESERVE_CUSTOMER, TestSite.ULSD, 3_000),
        intent(2, TestSite.SMALL_RESERVE_CUSTOMER, TestSite.ULSD, 2_000)));
    assertThat(ok.json().get("approved").asBoolean()).as(ok.body()).isTrue();
    var over = client.post("/v1/authorizations", authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK,
        intent(1, TestSite.SMALL_RESERVE_CUSTOMER, TestSite.ULSD, 3_000),
        intent(2, TestSite.SMALL_RESERVE_CUSTOMER, TestSite.ULSD, 2_001)));
    assertThat(over.json().get("denyCodes").toString()).contains("RESERVE_INSUFFICIENT");
    // a grant below what the site already used or gave back cannot break the books
    feed(new ReserveV1(TestSite.CODE, "AL3", 1_000, 5_000));
    assertThat(al3()).containsExactly(5_000, 5_000, 5_000, 0, 0);
  }

  @Test
  void a_bigger_grant_and_a_release_request_in_one_record_are_answered_at_once() {
    feed(new ReserveV1(TestSite.CODE, "AL2", 300_000, 50_000)); // AL2 had 200,000 granted by the seed
    long[] al2 = agent.database().reader().withHandle(h -> h.createQuery("SELECT granted_gal, released_gal FROM "
        + "reserve WHERE allocation_id = 'AL2'").map((rs, c) -> new long[] {rs.getLong(1), rs.getLong(2)}).one());
    assertThat(al2).containsExactly(300_000, 50_000);
    assertThat(releases()).singleElement().extracting(ReserveReleasedV1::releasedGallons).isEqualTo(50_000L);
  }
}
