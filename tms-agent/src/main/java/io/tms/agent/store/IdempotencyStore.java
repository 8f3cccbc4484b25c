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
   * kept once, in the {@code bol} table, not copied here; {@code authorizationId}, that it is that
   * authorization's decision, kept in {@code driver_authorization}.
   */
  public record Stored(int status, String responseJson, String bolNumber, String authorizationId) {
    public Stored(int status, String responseJson) {
      this(status, responseJson, null, null);
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
    return sql.first("SELECT i.operation, i.request_hash, i.status, "
            + "coalesce(b.body_json, a.decision_json, i.response_json), i.bol_number, i.authorization_id "
            + "FROM idempotency i LEFT JOIN bol b ON b.number = i.bol_number "
            + "LEFT JOIN driver_authorization a ON a.id = i.authorization_id WHERE i.key = ?",
        rs -> {
          if (!rs.getString(1).equals(operation) || !rs.getString(2).equals(requestHash)) {
            throw new DomainException(
                ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key", "this key was used for a different request");
          }
          return new Stored(rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6));
        },
        key);
  }

  public void remember(WriteContext ctx, String key, String operation, String requestHash, Stored answer) {
    ctx.memory().idempotencyKeys.add(key);
    boolean byReference = answer.bolNumber() != null || answer.authorizationId() != null;
    ctx.sql().update("INSERT INTO idempotency (key, operation, request_hash, status, response_json, bol_number, "
            + "authorization_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        key, operation, requestHash, answer.status(), byReference ? "" : answer.responseJson(),
        answer.bolNumber(), answer.authorizationId(), ctx.nowText());
  }

  /** Forgets answers older than {@code before}; retries come within minutes, not days. */
  public int purge(WriteContext ctx, Instant before) {
    // A prefix of the table in rowid order ({@link TimeOrderedPrefix}). (The table has no index on
    // created_at: `DELETE ... WHERE created_at < ?` read all of it on the writer, every 10 minutes —
    // 100-150 ms at the edge benchmark's 240,000 answers, with every terminal waiting.)
    PreparedSql sql = ctx.sql();
    String cutoff = before.toString();
    Optional<Long> firstKept = TimeOrderedPrefix.firstToKeep(sql, "idempotency", "rowid", "created_at", Long.MAX_VALUE,
        before, ctx.now());
    int purged = firstKept.isPresent()
        ? sql.update("DELETE FROM idempotency WHERE rowid < ? AND created_at < ?", firstKept.get(), cutoff)
        : sql.update("DELETE FROM idempotency WHERE created_at < ?", cutoff);
    if (purged > 0) {
      ctx.memory().idempotencyKeys.stale();
    }
    return purged;
  }
}
