package io.tms.agent.store;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Remembers the first answer to a request that carried an {@code Idempotency-Key}, in the same
 * transaction as the work it answered, so a retry gets that answer and never a second BOL.
 */
public final class IdempotencyStore {

  /** A stored answer. */
  public record Stored(int status, String responseJson) {}

  /**
   * The answer already given for {@code key}, or empty. Refuses a key reused for a different
   * operation or request body.
   */
  public Optional<Stored> find(Handle h, String key, String operation, String requestHash) {
    return h.createQuery("SELECT operation, request_hash, status, response_json FROM idempotency WHERE key = ?")
        .bind(0, key)
        .map((rs, ctx) -> {
          if (!rs.getString("operation").equals(operation) || !rs.getString("request_hash").equals(requestHash)) {
            throw new DomainException(
                ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key", "this key was used for a different request");
          }
          return new Stored(rs.getInt("status"), rs.getString("response_json"));
        })
        .findOne();
  }

  public void remember(Handle h, String key, String operation, String requestHash, Stored answer, Instant at) {
    h.createUpdate("INSERT INTO idempotency (key, operation, request_hash, status, response_json, created_at) "
            + "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(0, key).bind(1, operation).bind(2, requestHash).bind(3, answer.status())
        .bind(4, answer.responseJson()).bind(5, at.toString())
        .execute();
  }

  /** Forgets answers older than {@code before}; retries come within minutes, not days. */
  public int purge(Handle h, Instant before) {
    return h.createUpdate("DELETE FROM idempotency WHERE created_at < ?").bind(0, before.toString()).execute();
  }
}
