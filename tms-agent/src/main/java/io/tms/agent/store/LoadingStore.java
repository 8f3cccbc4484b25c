package io.tms.agent.store;

import io.tms.domain.allocation.Reserve;
import io.tms.domain.authorization.CardState;
import io.tms.domain.loading.PlannedCompartment;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Edge-born loading state: card lockouts, authorizations, loads and their compartments, reserves.
 * Plain SQL; every write runs inside the writer's transaction.
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

  public CardState cardState(Handle h, String cardNumber) {
    return h.createQuery("SELECT failed_pin_attempts, locked FROM card_state WHERE card_number = ?")
        .bind(0, cardNumber)
        .map((rs, ctx) -> new CardState(rs.getInt(1), rs.getBoolean(2)))
        .findOne()
        .orElse(CardState.FRESH);
  }

  public void saveCardState(Handle h, String cardNumber, CardState state, Instant at) {
    h.createUpdate("INSERT INTO card_state (card_number, failed_pin_attempts, locked, updated_at) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (card_number) DO UPDATE SET failed_pin_attempts = excluded.failed_pin_attempts, "
            + "locked = excluded.locked, updated_at = excluded.updated_at")
        .bind(0, cardNumber).bind(1, state.failedPinAttempts()).bind(2, state.locked()).bind(3, at.toString())
        .execute();
  }

  public Optional<Reserve> reserve(Handle h, String allocationId) {
    return h.createQuery("SELECT allocation_id, granted_gal, consumed_gal, held_gal FROM reserve WHERE allocation_id = ?")
        .bind(0, allocationId)
        .map((rs, ctx) -> new Reserve(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
        .findOne();
  }

  public void saveReserve(Handle h, Reserve r) {
    h.createUpdate("UPDATE reserve SET consumed_gal = ?, held_gal = ? WHERE allocation_id = ?")
        .bind(0, r.consumed()).bind(1, r.held()).bind(2, r.allocationId())
        .execute();
  }

  public void insertAuthorization(Handle h, StoredAuthorization a, String cardNumber) {
    h.createUpdate("INSERT INTO driver_authorization (id, decided_at, expires_at, approved, card_number, driver_id, "
            + "carrier_id, vehicle_id, decision_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, a.id()).bind(1, a.decidedAt().toString()).bind(2, a.expiresAt().toString()).bind(3, a.approved())
        .bind(4, cardNumber).bind(5, a.driverId()).bind(6, a.carrierId()).bind(7, a.vehicleId())
        .bind(8, a.decisionJson())
        .execute();
  }

  public Optional<StoredAuthorization> authorization(Handle h, String id) {
    return h.createQuery("SELECT id, decided_at, expires_at, approved, vehicle_id, driver_id, carrier_id, decision_json, "
            + "load_id FROM driver_authorization WHERE id = ?")
        .bind(0, id)
        .map((rs, ctx) -> new StoredAuthorization(
            rs.getString("id"), Instant.parse(rs.getString("decided_at")), Instant.parse(rs.getString("expires_at")),
            rs.getBoolean("approved"), rs.getString("vehicle_id"), rs.getString("driver_id"),
            rs.getString("carrier_id"), rs.getString("decision_json"), rs.getString("load_id")))
        .findOne();
  }

  /** Approved authorizations still waiting for a bay, oldest first: the queue. */
  public List<StoredAuthorization> waiting(Handle h, Instant now) {
    return h.createQuery("SELECT id, decided_at, expires_at, approved, vehicle_id, driver_id, carrier_id, decision_json, "
            + "load_id FROM driver_authorization WHERE approved = 1 AND load_id IS NULL AND expires_at > ? "
            + "ORDER BY decided_at, id")
        .bind(0, now.toString())
        .map((rs, ctx) -> new StoredAuthorization(
            rs.getString("id"), Instant.parse(rs.getString("decided_at")), Instant.parse(rs.getString("expires_at")),
            rs.getBoolean("approved"), rs.getString("vehicle_id"), rs.getString("driver_id"),
            rs.getString("carrier_id"), rs.getString("decision_json"), rs.getString("load_id")))
        .list();
  }

  public void insertLoad(Handle h, StoredLoad l, List<PlannedCompartment> plan) {
    h.createUpdate("INSERT INTO load (id, authorization_id, bay_id, vehicle_id, driver_id, carrier_id, status, started_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, 'LOADING', ?)")
        .bind(0, l.id()).bind(1, l.authorizationId()).bind(2, l.bayId()).bind(3, l.vehicleId())
        .bind(4, l.driverId()).bind(5, l.carrierId()).bind(6, l.startedAt().toString())
        .execute();
    var batch = h.prepareBatch("INSERT INTO load_compartment (load_id, compartment, customer_id, product_code, "
        + "allocation_id, arm_id, meter_id, tank_id, preset_gal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (PlannedCompartment pc : plan) {
      batch.bind(0, l.id()).bind(1, pc.compartment()).bind(2, pc.customerId()).bind(3, pc.productCode())
          .bind(4, pc.allocationId()).bind(5, pc.armId()).bind(6, pc.meterId()).bind(7, pc.tankId())
          .bind(8, pc.presetGallons()).add();
    }
    batch.execute();
    h.createUpdate("UPDATE driver_authorization SET load_id = ? WHERE id = ?")
        .bind(0, l.id()).bind(1, l.authorizationId()).execute();
  }

  public Optional<StoredLoad> load(Handle h, String id) {
    return h.createQuery("SELECT id, authorization_id, bay_id, vehicle_id, driver_id, carrier_id, status, started_at, "
            + "ended_at, bol_number FROM load WHERE id = ?")
        .bind(0, id)
        .map((rs, ctx) -> mapLoad(rs))
        .findOne();
  }

  public List<StoredLoad> activeLoads(Handle h) {
    return h.createQuery("SELECT id, authorization_id, bay_id, vehicle_id, driver_id, carrier_id, status, started_at, "
            + "ended_at, bol_number FROM load WHERE status = 'LOADING'")
        .map((rs, ctx) -> mapLoad(rs))
        .list();
  }

  public boolean bayBusy(Handle h, String bayId) {
    return h.createQuery("SELECT 1 FROM load WHERE bay_id = ? AND status = 'LOADING'")
        .bind(0, bayId).mapTo(Integer.class).findOne().isPresent();
  }

  public List<PlannedCompartment> compartments(Handle h, String loadId) {
    return h.createQuery("SELECT compartment, customer_id, product_code, allocation_id, arm_id, meter_id, tank_id, "
            + "preset_gal FROM load_compartment WHERE load_id = ? ORDER BY compartment")
        .bind(0, loadId)
        .map((rs, ctx) -> new PlannedCompartment(
            rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getString(7), rs.getLong(8)))
        .list();
  }

  public void endLoad(Handle h, String loadId, String status, Instant at, String bolNumber) {
    h.createUpdate("UPDATE load SET status = ?, ended_at = ?, bol_number = ? WHERE id = ? AND status = 'LOADING'")
        .bind(0, status).bind(1, at.toString()).bind(2, bolNumber).bind(3, loadId)
        .execute();
  }

  private static StoredLoad mapLoad(java.sql.ResultSet rs) throws java.sql.SQLException {
    String ended = rs.getString("ended_at");
    return new StoredLoad(
        rs.getString("id"), rs.getString("authorization_id"), rs.getString("bay_id"), rs.getString("vehicle_id"),
        rs.getString("driver_id"), rs.getString("carrier_id"), rs.getString("status"),
        Instant.parse(rs.getString("started_at")), ended == null ? null : Instant.parse(ended),
        rs.getString("bol_number"));
  }
}
