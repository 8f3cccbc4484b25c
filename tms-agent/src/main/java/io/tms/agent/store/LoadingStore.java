package io.tms.agent.store;

import io.tms.domain.allocation.Reserve;
import io.tms.domain.authorization.AuthorizationDecision;
import io.tms.domain.authorization.CardState;
import io.tms.domain.loading.PlannedCompartment;
import io.tms.protocol.v1.InstantText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Edge-born loading state: card lockouts, authorizations, loads and their compartments, reserves.
 * Plain SQL; every write runs inside the writer's transaction, through {@link PreparedSql}. The few
 * reads the terminal API also serves have a Jdbi twin over the same SQL text. Card states, reserves,
 * the loads in progress and recent approvals are kept by the writer in memory ({@link WriterMemory})
 * and written through: the load cycle reads them without SQL.
 */
public final class LoadingStore {

  /** A stored authorization; {@code decisionJson} is its {@code AuthorizationDecidedV1} body. */
  public record StoredAuthorization(
      String id, Instant decidedAt, Instant expiresAt, boolean approved, String vehicleId, String driverId,
      String carrierId, String decisionJson, String loadId) {}

  /** A stored load. */
  public record StoredLoad(
      String id, String authorizationId, String bayId, String vehicleId, String driverId, String carrierId,
      String status, Instant startedAt, Instant endedAt, String bolNumber) {}

  /** A load in progress and its compartments, as the writer keeps it (see {@link WriterMemory}). */
  public record ActiveLoad(StoredLoad load, List<PlannedCompartment> plan) {}

  /** An approval waiting for its load, as decided (the writer keeps recent ones in memory). */
  public record Approval(StoredAuthorization authorization, AuthorizationDecision decision) {}

  public CardState cardState(WriteContext ctx, String cardNumber) {
    Map<String, CardState> cards = ctx.memory().cards;
    CardState state = cards.get(cardNumber);
    if (state == null) {
      state = ctx.sql().first("SELECT failed_pin_attempts, locked FROM card_state WHERE card_number = ?",
              rs -> new CardState(rs.getInt(1), rs.getBoolean(2)), cardNumber)
          .orElse(CardState.FRESH);
      ctx.memory().put(ctx, cards, cardNumber, state);
    }
    return state;
  }

  public void saveCardState(WriteContext ctx, String cardNumber, CardState state) {
    ctx.sql().update("INSERT INTO card_state (card_number, failed_pin_attempts, locked, updated_at) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (card_number) DO UPDATE SET failed_pin_attempts = excluded.failed_pin_attempts, "
            + "locked = excluded.locked, updated_at = excluded.updated_at",
        cardNumber, state.failedPinAttempts(), state.locked(), ctx.nowText());
    ctx.memory().put(ctx, ctx.memory().cards, cardNumber, state);
  }

  /** The reserve as this site may spend it: what the cloud granted less what the site gave back. */
  public Optional<Reserve> reserve(WriteContext ctx, String allocationId) {
    Map<String, Optional<Reserve>> reserves = ctx.memory().reserves;
    Optional<Reserve> reserve = reserves.get(allocationId);
    if (reserve == null) {
      reserve = ctx.sql().first("SELECT allocation_id, granted_gal - released_gal, consumed_gal, held_gal FROM reserve "
              + "WHERE allocation_id = ?",
          rs -> new Reserve(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)), allocationId);
      ctx.memory().put(ctx, reserves, allocationId, reserve);
    }
    return reserve;
  }

  /** Writes what the site consumed and holds of a reserve read by {@link #reserve(WriteContext, String)}. */
  public void saveReserve(WriteContext ctx, Reserve r) {
    ctx.sql().update("UPDATE reserve SET consumed_gal = ?, held_gal = ? WHERE allocation_id = ?",
        r.consumed(), r.held(), r.allocationId());
    ctx.memory().put(ctx, ctx.memory().reserves, r.allocationId(), Optional.of(r));
  }

  public void insertAuthorization(PreparedSql sql, StoredAuthorization a, String cardNumber) {
    sql.update("INSERT INTO driver_authorization (id, decided_at, expires_at, approved, card_number, driver_id, "
            + "carrier_id, vehicle_id, decision_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        a.id(), InstantText.format(a.decidedAt()), InstantText.format(a.expiresAt()), a.approved(), cardNumber, a.driverId(),
        a.carrierId(), a.vehicleId(), a.decisionJson());
  }

  /** Keeps an approval just inserted in memory, so that its load's start need not read it back. */
  public void rememberApproval(WriteContext ctx, StoredAuthorization a, AuthorizationDecision decision) {
    ctx.memory().put(ctx, ctx.memory().approvals, a.id(), new Approval(a, decision));
  }

  /**
   * The approval as decided if the writer still holds it (an approval without a load, taken out here
   * as its load starts), else empty: then read the row.
   */
  public Optional<Approval> takeApproval(WriteContext ctx, String id) {
    return Optional.ofNullable(ctx.memory().remove(ctx, ctx.memory().approvals, id));
  }

  private static final String AUTHORIZATION_COLUMNS =
      "id, decided_at, expires_at, approved, vehicle_id, driver_id, carrier_id, decision_json, load_id";
  private static final String AUTHORIZATION_BY_ID =
      "SELECT " + AUTHORIZATION_COLUMNS + " FROM driver_authorization WHERE id = ?";

  public Optional<StoredAuthorization> authorization(Handle h, String id) {
    return h.createQuery(AUTHORIZATION_BY_ID).bind(0, id).map((rs, ctx) -> mapAuthorization(rs)).findOne();
  }

  public Optional<StoredAuthorization> authorization(PreparedSql sql, String id) {
    return sql.first(AUTHORIZATION_BY_ID, LoadingStore::mapAuthorization, id);
  }

  /** As {@link #authorization(PreparedSql, String)} with {@code decisionJson} null: the narrow read. */
  public Optional<StoredAuthorization> authorizationWithoutDecision(PreparedSql sql, String id) {
    return sql.first("SELECT id, decided_at, expires_at, approved, vehicle_id, driver_id, carrier_id, NULL, load_id "
        + "FROM driver_authorization WHERE id = ?", LoadingStore::mapAuthorization, id);
  }

  /** The stored decision ({@code AuthorizationDecidedV1} JSON) of an authorization that exists. */
  public String decisionJson(PreparedSql sql, String id) {
    return sql.first("SELECT decision_json FROM driver_authorization WHERE id = ?", rs -> rs.getString(1), id)
        .orElseThrow(() -> new IllegalStateException("authorization " + id + " vanished"));
  }

  /** Approved authorizations still waiting for a bay, oldest first: the queue. */
  public List<StoredAuthorization> waiting(Handle h, Instant now) {
    return h.createQuery("SELECT " + AUTHORIZATION_COLUMNS + " FROM driver_authorization "
            + "WHERE approved = 1 AND load_id IS NULL AND expires_at > ? ORDER BY decided_at, id")
        .bind(0, InstantText.format(now))
        .map((rs, ctx) -> mapAuthorization(rs))
        .list();
  }

  public void insertLoad(WriteContext ctx, StoredLoad l, List<PlannedCompartment> plan) {
    PreparedSql sql = ctx.sql();
    Map<String, ActiveLoad> active = activeLoads(ctx);
    sql.update("INSERT INTO load (id, authorization_id, bay_id, vehicle_id, driver_id, carrier_id, status, started_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, 'LOADING', ?)",
        l.id(), l.authorizationId(), l.bayId(), l.vehicleId(), l.driverId(), l.carrierId(), InstantText.format(l.startedAt()));
    // all compartments in one statement
    Object[] args = new Object[plan.size() * 9];
    int i = 0;
    for (PlannedCompartment pc : plan) {
      args[i++] = l.id();
      args[i++] = pc.compartment();
      args[i++] = pc.customerId();
      args[i++] = pc.productCode();
      args[i++] = pc.allocationId();
      args[i++] = pc.armId();
      args[i++] = pc.meterId();
      args[i++] = pc.tankId();
      args[i++] = pc.presetGallons();
    }
    int rows = plan.size();
    if (rows > 0) {
      sql.update(rows < COMPARTMENTS.length ? COMPARTMENTS[rows]
          : PreparedSql.multiRowInsert(COMPARTMENTS_INSERT, 9, rows), args);
    }
    sql.update("UPDATE driver_authorization SET load_id = ? WHERE id = ?", l.id(), l.authorizationId());
    ctx.memory().put(ctx, active, l.id(), new ActiveLoad(l, List.copyOf(plan)));
  }

  /** The load with this id if it is in progress (status LOADING), from the writer's memory. */
  public Optional<ActiveLoad> activeLoad(WriteContext ctx, String id) {
    return Optional.ofNullable(activeLoads(ctx).get(id));
  }

  /** Every load in progress: few (one per bay at most), read once, then kept by the writer. */
  private Map<String, ActiveLoad> activeLoads(WriteContext ctx) {
    WriterMemory memory = ctx.memory();
    if (memory.activeLoads == null) {
      Map<String, List<PlannedCompartment>> plans = new HashMap<>();
      ctx.sql().list("SELECT c.load_id, c.compartment, c.customer_id, c.product_code, c.allocation_id, c.arm_id, "
              + "c.meter_id, c.tank_id, c.preset_gal FROM load l CROSS JOIN load_compartment c ON c.load_id = l.id "
              + "WHERE l.status = 'LOADING' ORDER BY c.load_id, c.compartment",
          rs -> plans.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new PlannedCompartment(
              rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
              rs.getString(8), rs.getLong(9))));
      Map<String, ActiveLoad> active = new HashMap<>();
      for (StoredLoad l : ctx.sql().list("SELECT " + LOAD_COLUMNS + " FROM load WHERE status = 'LOADING'",
          LoadingStore::mapLoad)) {
        active.put(l.id(), new ActiveLoad(l, List.copyOf(plans.getOrDefault(l.id(), List.of()))));
      }
      memory.activeLoads = active;
      ctx.onRollback(() -> memory.activeLoads = null);
    }
    return memory.activeLoads;
  }

  private static final String COMPARTMENTS_INSERT = "INSERT INTO load_compartment (load_id, compartment, customer_id, "
      + "product_code, allocation_id, arm_id, meter_id, tank_id, preset_gal)";
  private static final String[] COMPARTMENTS = PreparedSql.multiRowInserts(COMPARTMENTS_INSERT, 9, 12);

  private static final String LOAD_COLUMNS =
      "id, authorization_id, bay_id, vehicle_id, driver_id, carrier_id, status, started_at, ended_at, bol_number";
  private static final String LOAD_BY_ID = "SELECT " + LOAD_COLUMNS + " FROM load WHERE id = ?";

  public Optional<StoredLoad> load(Handle h, String id) {
    return h.createQuery(LOAD_BY_ID).bind(0, id).map((rs, ctx) -> mapLoad(rs)).findOne();
  }

  public Optional<StoredLoad> load(PreparedSql sql, String id) {
    return sql.first(LOAD_BY_ID, LoadingStore::mapLoad, id);
  }

  public List<StoredLoad> activeLoads(Handle h) {
    return h.createQuery("SELECT " + LOAD_COLUMNS + " FROM load WHERE status = 'LOADING'")
        .map((rs, ctx) -> mapLoad(rs))
        .list();
  }

  public boolean bayBusy(WriteContext ctx, String bayId) {
    for (ActiveLoad a : activeLoads(ctx).values()) {
      if (a.load().bayId().equals(bayId)) {
        return true;
      }
    }
    return false;
  }

  /** Gross gallons preset on the tank's loads in progress (started, not completed or cancelled). */
  public long presetInProgress(WriteContext ctx, String tankId) {
    long sum = 0;
    for (ActiveLoad a : activeLoads(ctx).values()) {
      for (PlannedCompartment c : a.plan()) {
        if (c.tankId().equals(tankId)) {
          sum += c.presetGallons();
        }
      }
    }
    return sum;
  }

  private static final String COMPARTMENTS_OF_LOAD = "SELECT compartment, customer_id, product_code, allocation_id, "
      + "arm_id, meter_id, tank_id, preset_gal FROM load_compartment WHERE load_id = ? ORDER BY compartment";

  public List<PlannedCompartment> compartments(Handle h, String loadId) {
    return h.createQuery(COMPARTMENTS_OF_LOAD).bind(0, loadId).map((rs, ctx) -> mapCompartment(rs)).list();
  }

  public List<PlannedCompartment> compartments(PreparedSql sql, String loadId) {
    return sql.list(COMPARTMENTS_OF_LOAD, LoadingStore::mapCompartment, loadId);
  }

  public void endLoad(WriteContext ctx, String loadId, String status, String bolNumber) {
    Map<String, ActiveLoad> active = activeLoads(ctx);
    ctx.sql().update("UPDATE load SET status = ?, ended_at = ?, bol_number = ? WHERE id = ? AND status = 'LOADING'",
        status, ctx.nowText(), bolNumber, loadId);
    ctx.memory().remove(ctx, active, loadId);
  }

  private static StoredAuthorization mapAuthorization(ResultSet rs) throws SQLException {
    return new StoredAuthorization(
        rs.getString(1), StoredTime.parse(rs.getString(2)), StoredTime.parse(rs.getString(3)), rs.getBoolean(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
  }

  private static PlannedCompartment mapCompartment(ResultSet rs) throws SQLException {
    return new PlannedCompartment(
        rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), rs.getLong(8));
  }

  private static StoredLoad mapLoad(ResultSet rs) throws SQLException {
    String ended = rs.getString(9);
    return new StoredLoad(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), StoredTime.parse(rs.getString(8)), ended == null ? null : StoredTime.parse(ended),
        rs.getString(10));
  }
}
