package io.tms.agent.security;

import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.WriteContext;
import io.tms.protocol.v1.AuditRecordedV1;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.Lane;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The site's audit log of manual actions and overrides (DESIGN §5): each entry is appended to
 * {@code edge_audit} (append-only: triggers refuse UPDATE and DELETE) with a hash chaining it to the
 * one before, and goes up the business lane as {@code audit.recorded.v1} in the same transaction, so
 * the cloud holds the same chain. Appends run on the writer thread; reads on any thread.
 */
public final class EdgeAuditLog {
  private final OutboxStore outbox;

  public EdgeAuditLog(OutboxStore outbox) {
    this.outbox = outbox;
  }

  /** What a verification found: {@code firstBad} is the seq of the first entry that breaks the chain, or 0. */
  public record Verification(long entries, long firstBad, String lastHash) {
    public boolean intact() {
      return firstBad == 0;
    }
  }

  /**
   * Appends an entry inside the caller's unit of work. {@code detail} is a JSON object (never a PIN
   * or a secret).
   */
  public AuditRecordedV1 record(
      WriteContext ctx, Terminal terminal, String operator, String action, String subject, String detail) {
    Handle h = ctx.handle();
    var last = h.createQuery("SELECT seq, hash FROM edge_audit ORDER BY seq DESC LIMIT 1")
        .map((rs, c) -> new Object[] {rs.getLong(1), rs.getString(2)}).findOne();
    long seq = last.map(r -> (Long) r[0]).orElse(0L) + 1;
    String prev = last.map(r -> (String) r[1]).orElse(AuditRecordedV1.GENESIS);
    Instant at = ctx.now().truncatedTo(ChronoUnit.MILLIS);
    String hash = AuditRecordedV1.chain(prev, seq, at.toString(), terminal.id(), operator, action, subject, detail);
    h.createUpdate("INSERT INTO edge_audit (seq, at, terminal_id, operator, action, subject, detail, prev_hash, hash) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, seq).bind(1, at.toString()).bind(2, terminal.id()).bind(3, operator).bind(4, action)
        .bind(5, subject).bind(6, detail).bind(7, prev).bind(8, hash).execute();
    AuditRecordedV1 entry = new AuditRecordedV1(seq, at, terminal.id(), operator, action, subject, detail, prev, hash);
    outbox.append(ctx, Lane.BUSINESS, EventTypes.AUDIT_RECORDED, ctx.now(), entry);
    return entry;
  }

  /** Entries after {@code afterSeq}, oldest first. */
  public List<AuditRecordedV1> list(Handle h, long afterSeq, int limit) {
    return h.createQuery("SELECT seq, at, terminal_id, operator, action, subject, detail, prev_hash, hash "
            + "FROM edge_audit WHERE seq > ? ORDER BY seq LIMIT ?")
        .bind(0, afterSeq).bind(1, limit)
        .map((rs, c) -> new AuditRecordedV1(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)))
        .list();
  }

  /** Recomputes the whole chain: every entry must hash to what it says and link to the one before. */
  public Verification verify(Handle h) {
    long count = 0;
    String prev = AuditRecordedV1.GENESIS;
    long after = 0;
    while (true) {
      List<AuditRecordedV1> page = list(h, after, 1000);
      if (page.isEmpty()) {
        return new Verification(count, 0, prev);
      }
      for (AuditRecordedV1 e : page) {
        if (e.auditSeq() != after + 1 || !e.prevHash().equals(prev) || !e.verifies()) {
          return new Verification(count, after + 1, prev);
        }
        count++;
        prev = e.hash();
        after = e.auditSeq();
      }
    }
  }
}
