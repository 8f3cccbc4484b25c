package io.tms.agent;

import static io.tms.agent.TerminalClient.complete;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.reading;
import static io.tms.agent.TerminalClient.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.agent.store.InventoryStore;
import io.tms.agent.store.LoadingStore;
import io.tms.agent.store.LoadingStore.StoredLoad;
import io.tms.domain.allocation.Reserve;
import io.tms.domain.authorization.CardState;
import io.tms.domain.loading.PlannedCompartment;
import io.tms.protocol.v1.sync.ChangeV1;
import io.tms.protocol.v1.sync.ChangesV1;
import io.tms.protocol.v1.sync.ReserveV1;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The writer keeps reserves, card states, tank books, loads in progress and waiting approvals in
 * memory (WriterMemory). These tests hold it to the database: a unit that rolls back leaves memory
 * as the database is, and a change made around the stores (the feed, the Jdbi handle) is seen by
 * the next unit.
 */
class WriterMemoryTest extends AgentTestBase {
  private final LoadingStore loads = new LoadingStore();
  private final InventoryStore inventory = new InventoryStore();

  static final class Boom extends RuntimeException {
    Boom() {
      super("unit failed after writing");
    }
  }

  /** AL3's reserve as stored: spendable, consumed, held. */
  long[] storedAl3() {
    return agent.database().reader().withHandle(h -> h.createQuery(
            "SELECT granted_gal - released_gal, consumed_gal, held_gal FROM reserve WHERE allocation_id = 'AL3'")
        .map((rs, c) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one());
  }

  Reserve memoryAl3() {
    return agent.database().writer().write(ctx -> loads.reserve(ctx, "AL3").orElseThrow());
  }

  @Test
  void a_rolled_back_unit_leaves_reserves_cards_books_and_loads_as_stored() {
    String auth0 = approved(TestSite.SECOND_CARD, TestSite.TRUCK2);
    Reserve before = memoryAl3(); // read into memory
    double bookBefore = agent.database().writer().write(ctx -> inventory.book(ctx, "TK1"));
    assertThatThrownBy(() -> agent.database().writer().write(ctx -> {
      loads.saveReserve(ctx, loads.reserve(ctx, "AL3").orElseThrow().hold(1_000));
      loads.saveCardState(ctx, TestSite.GOOD_CARD, new CardState(2, false));
      inventory.move(ctx, "TK1", -500, "LOAD", "X", ctx.now());
      loads.insertLoad(ctx, new StoredLoad("TEST1-LX", auth0, "B1", TestSite.TRUCK, "D1", "ACME", "LOADING",
          ctx.now(), null, null), List.of());
      assertThat(loads.bayBusy(ctx, "B1")).isTrue(); // as the unit sees it
      throw new Boom();
    })).isInstanceOf(Boom.class);

    assertThat(memoryAl3()).isEqualTo(before);
    assertThat(storedAl3()).containsExactly(before.granted(), before.consumed(), before.held());
    agent.database().writer().write(ctx -> {
      assertThat(loads.cardState(ctx, TestSite.GOOD_CARD)).isEqualTo(CardState.FRESH);
      assertThat(inventory.book(ctx, "TK1")).isEqualTo(bookBefore);
      assertThat(loads.bayBusy(ctx, "B1")).isFalse();
      return null;
    });
    // and the site works on from there: the bay is free, the reserve whole
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.SMALL_RESERVE_CUSTOMER, TestSite.ULSD,
        3_000));
    var started = client.post("/v1/loads", start(auth, "B1", Map.of(1, 3_000L)));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    assertThat(storedAl3()).containsExactly(before.granted(), before.consumed(), before.held() + 3_000);
  }

  @Test
  void a_failed_start_puts_back_its_approval_and_the_reserve_it_held() {
    // approved for AL1 (compartment 1) and 3,000 of AL3's 4,000 (compartment 2); then another truck's
    // load holds 3,000 of AL3, so this start fails on AL3 after holding AL1: it must leave neither
    // that hold nor the approval's use behind
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD),
        intent(2, TestSite.SMALL_RESERVE_CUSTOMER, TestSite.ULSD));
    String other = approved(TestSite.SECOND_CARD, TestSite.TRUCK2, intent(1, TestSite.SMALL_RESERVE_CUSTOMER,
        TestSite.ULSD));
    assertThat(client.post("/v1/loads", start(other, "B2", Map.of(1, 3_000L))).status()).isEqualTo(201);
    String before = fingerprint();
    var refused = client.post("/v1/loads", start(auth, "B1", Map.of(1, 3_000L, 2, 2_000L)));
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("RESERVE_INSUFFICIENT");
    assertThat(fingerprint()).isEqualTo(before);

    var started = client.post("/v1/loads", start(auth, "B1", Map.of(1, 3_000L, 2, 1_000L)));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    // what the reserves hold is exactly the presets of the two loads in progress: the failed start's hold is gone
    long held = agent.database().reader().withHandle(h -> h.createQuery("SELECT sum(held_gal) FROM reserve")
        .mapTo(Long.class).one());
    assertThat(held).isEqualTo(3_000 + 3_000 + 1_000);
    var again = client.post("/v1/loads", start(auth, "B1", Map.of(1, 100L)));
    assertThat(again.status()).as(again.body()).isEqualTo(409); // used once, not twice
    assertThat(again.body()).contains("already used");
  }

  @Test
  void a_reserve_granted_by_the_feed_is_what_the_next_authorization_sees() {
    // another truck's load holds 3,000 of AL3's 4,000 gal: 3,000 more is refused
    String other = approved(TestSite.SECOND_CARD, TestSite.TRUCK2, intent(1, TestSite.SMALL_RESERVE_CUSTOMER,
        TestSite.ULSD));
    assertThat(client.post("/v1/loads", start(other, "B2", Map.of(1, 3_000L))).status()).isEqualTo(201);
    Reserve before = memoryAl3();
    assertThat(before.available()).isEqualTo(1_000);
    var denied = client.post("/v1/authorizations", TerminalClient.authorize(TestSite.GOOD_CARD, TestSite.PIN,
        TestSite.TRUCK, intent(1, TestSite.SMALL_RESERVE_CUSTOMER, TestSite.ULSD, 3_000)));
    assertThat(denied.body()).contains("RESERVE_INSUFFICIENT");

    agent.applyChanges(new ChangesV1(1, false, false, List.of(
        new ChangeV1(1, new ReserveV1(TestSite.CODE, "AL3", before.granted() + 5_000, 0)))));

    assertThat(memoryAl3().available()).isEqualTo(6_000);
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK,
        intent(1, TestSite.SMALL_RESERVE_CUSTOMER, TestSite.ULSD, 3_000));
    assertThat(client.post("/v1/loads", start(auth, "B1", Map.of(1, 3_000L))).status()).isEqualTo(201);
    assertThat(storedAl3()).containsExactly(before.granted() + 5_000, 0, 6_000);
  }

  @Test
  void what_a_unit_writes_through_the_handle_is_read_afresh() {
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD));
    var started = client.post("/v1/loads", start(auth, "B1", Map.of(1, 2_000L)));
    String loadId = started.json().get("loadId").asText();
    memoryAl3();
    // an operator tool (or a test) changes the rows behind the stores
    agent.database().writer().write(ctx -> {
      ctx.handle().execute("UPDATE reserve SET held_gal = 7 WHERE allocation_id = 'AL3'");
      ctx.handle().execute("INSERT INTO card_state (card_number, failed_pin_attempts, locked, updated_at) "
          + "VALUES (?, 0, 1, 'x') ON CONFLICT (card_number) DO UPDATE SET locked = 1", TestSite.GOOD_CARD);
      ctx.handle().execute("UPDATE load SET status = 'CANCELLED' WHERE id = ?", loadId);
      return null;
    });
    assertThat(memoryAl3().held()).isEqualTo(7);
    var locked = client.post("/v1/authorizations", TerminalClient.authorize(TestSite.GOOD_CARD, TestSite.PIN,
        TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
    assertThat(locked.body()).contains("CARD_LOCKED");
    var completed = client.post("/v1/loads/" + loadId + "/complete", complete(reading(1, 1_000, 60)));
    assertThat(completed.status()).as(completed.body()).isEqualTo(409);
    assertThat(completed.body()).contains("CANCELLED");
  }

  @Test
  void a_handle_taken_by_a_unit_that_rolls_back_drops_what_it_read_since() {
    Reserve before = memoryAl3();
    assertThatThrownBy(() -> agent.database().writer().write(ctx -> {
      ctx.handle().execute("UPDATE reserve SET held_gal = held_gal + 11 WHERE allocation_id = 'AL3'");
      assertThat(loads.reserve(ctx, "AL3").orElseThrow().held()).isEqualTo(before.held() + 11); // read after it
      throw new Boom();
    })).isInstanceOf(Boom.class);
    assertThat(memoryAl3()).isEqualTo(before);
  }

  @Test
  void loads_in_progress_are_read_from_the_database_when_the_writer_starts() {
    String auth = approved(TestSite.GOOD_CARD, TestSite.TRUCK, intent(1, TestSite.CUSTOMER, TestSite.ULSD));
    String loadId = client.post("/v1/loads", start(auth, "B1", Map.of(1, 2_000L))).json().get("loadId").asText();
    agent.close();
    agent = Agent.start(AgentConfig.of(TestSite.CODE, dir).withHttp("127.0.0.1", 0), TestSite.CLOCK, TestSite.seed());
    client = new TerminalClient(agent.port());
    List<PlannedCompartment> plan = agent.database().writer().write(ctx -> {
      assertThat(loads.bayBusy(ctx, "B1")).isTrue();
      return loads.activeLoad(ctx, loadId).orElseThrow().plan();
    });
    assertThat(plan).extracting(PlannedCompartment::presetGallons).containsExactly(2_000L);
    assertThat(client.post("/v1/loads/" + loadId + "/complete", complete(reading(1, 1_990, 60))).status())
        .isEqualTo(201);
  }
}
