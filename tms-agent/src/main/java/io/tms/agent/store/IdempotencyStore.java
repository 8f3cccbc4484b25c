package io.tms.agent.store;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers the first answer to a request that carried an {@code Idempotency-Key}, in the same
 * transaction as the work it answered, so a retry gets that answer and never a second BOL. A key
 * the writer knows to be new ({@link IdempotencyKeys}) is not looked up.
 */
public final class IdempotencyStore {

  /**
   * A stored answer. {@code bolNumber}, when set, says the answer is that BOL's document, which is
   * kept once, in the {@code bol} table, not copied here.
   */
  public record Stored(int status, String responseJson, String bolNumber) {
    public Stored(int status, String responseJson) {
      this(status, responseJson, null);
    }
  }

  /**
   * The answer already given for {@code key}, or empty. Refuses a key reused for a different
   * operation or request body.
   */
  public Optional<Stored> find(WriteContext ctx, String key, String operation, String requestHash) {
    PreparedSql sql = ctx.sql();
    if (!ctx.memory().idempotencyKeys.mayContain(sql, key)) {
      return Optional.empty(); // a new key: nearly every request, and no read for it
    }
    return sql.first("SELECT i.operation, i.request_hash, i.status, coalesce(b.body_json, i.response_json), "
            + "i.bol_number FROM idempotency i LEFT JOIN bol b ON b.number = i.bol_number WHERE i.key = ?",
        rs -> {
          if (!rs.getString(1).equals(operation) || !rs.getString(2).equals(requestHash)) {
            throw new DomainException(
                ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key", "this key was used for a different request");
          }
          return new Stored(rs.getInt(3), rs.getString(4), rs.getString(5));
        },
        key);
  }

  public void remember(WriteContext ctx, String key, String operation, String requestHash, Stored answer) {
    ctx.memory().idempotencyKeys.add(key);
    ctx.sql().update("INSERT INTO idempotency (key, operation, request_hash, status, response_json, bol_number, "
            + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        key, operation, requestHash, answer.status(), answer.bolNumber() == null ? answer.responseJson() : "",
        answer.bolNumber(), ctx.nowText());
  }

  /** Forgets answers older than {@code before}; retries come within minutes, not days. */
  public int purge(WriteContext ctx, Instant before) {
    int purged = ctx.sql().update("DELETE FROM idempotency WHERE created_at < ?", before.toString());
    if (purged > 0) {
      ctx.memory().idempotencyKeys.stale();
    }
    return purged;
  }
}
