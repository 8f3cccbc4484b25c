package io.tms.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;

/**
 * Appends to the audit log inside the caller's transaction and verifies its chain.
 *
 * <p>Each row's {@code hash} is SHA-256 over the previous row's hash, a newline and the row's
 * canonical form: a JSON array of seq, time (ISO-8601, microseconds), actor, roles, remote
 * address, entity, key, action, site, before and after (canonical JSON text, keys sorted, as
 * stored). The seq and the running hash come from {@code audit_head} by {@code UPDATE … RETURNING},
 * whose row lock holds until commit: appends are serialized and commit in seq order, and a
 * rolled-back change leaves no row and no gap. Thread-safe (stateless).
 */
public final class AuditLog {
  public static final String GENESIS = "0".repeat(64);

  /** One row, as stored and as {@code GET /v1/audit} answers it. */
  public record Entry(long seq, Instant at, String actor, String roles, String remote, String entity, String key,
      String action, String site, String before, String after, String prevHash, String hash) {}

  /** The outcome of recomputing the chain: ok, or the first row that does not fit. */
  public record Verification(boolean ok, long rows, long headSeq, Long firstBrokenSeq, String reason) {}

  private final ObjectMapper canonical;
  private final Clock clock;

  public AuditLog(ObjectMapper json, Clock clock) {
    this.canonical = json.copy()
        .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
        .configure(SerializationFeature.INDENT_OUTPUT, false);
    this.clock = clock;
  }

  /**
   * Records one change. {@code before}/{@code after}: what the API answers for the thing before and
   * after (any JSON-able value; {@code null} for a create's before or a delete's after).
   */
  public long append(Handle h, Actor actor, String entity, String key, String action, String site, Object before,
      Object after) {
    Map<String, Object> head = h.createQuery("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .mapToMap().one();
    long seq = ((Number) head.get("seq")).longValue();
    String prev = (String) head.get("hash");
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Entry e = new Entry(seq, at, actor.id(), actor.roles(), actor.remote(), entity, key, action, site,
        json(before), json(after), prev, null);
    String hash = hash(e);
    h.createUpdate("""
            INSERT INTO audit_log (seq, at, actor, roles, remote, entity, entity_key, action, site_code, before, after,
                                   prev_hash, hash)
            VALUES (:seq, :at, :actor, :roles, :remote, :entity, :key, :action, :site, :before, :after, :prev, :hash)""")
        .bind("seq", seq).bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
        .bind("actor", e.actor()).bind("roles", e.roles()).bind("remote", e.remote())
        .bind("entity", entity).bind("key", key).bind("action", action).bind("site", site)
        .bind("before", e.before()).bind("after", e.after()).bind("prev", prev).bind("hash", hash)
        .execute();
    h.createUpdate("UPDATE audit_head SET hash = :hash WHERE id = 1").bind("hash", hash).execute();
    return seq;
  }

  /** Recomputes the whole chain in seq order, then checks the head points at its end. */
  public Verification verify(Handle h) {
    Map<String, Object> head = h.createQuery("SELECT seq, hash FROM audit_head WHERE id = 1").mapToMap().one();
    long headSeq = ((Number) head.get("seq")).longValue();
    String expectedPrev = GENESIS;
    long expectedSeq = 1;
    long rows = 0;
    try (Stream<Entry> s = h.createQuery("SELECT * FROM audit_log ORDER BY seq").setFetchSize(1000)
        .map((rs, ctx) -> entry(rs)).stream()) {
      Iterator<Entry> it = s.iterator();
      while (it.hasNext()) {
        Entry e = it.next();
        rows++;
        if (e.seq() != expectedSeq) {
          return new Verification(false, rows, headSeq, expectedSeq, "row " + expectedSeq + " is missing");
        }
        if (!e.prevHash().equals(expectedPrev)) {
          return new Verification(false, rows, headSeq, e.seq(), "prev_hash does not match the row before");
        }
        if (!hash(e).equals(e.hash())) {
          return new Verification(false, rows, headSeq, e.seq(), "content does not match its hash");
        }
        expectedPrev = e.hash();
        expectedSeq++;
      }
    }
    if (headSeq != expectedSeq - 1 || !head.get("hash").equals(expectedPrev)) {
      return new Verification(false, rows, headSeq, expectedSeq,
          "the log ends at " + (expectedSeq - 1) + " but its head says " + headSeq);
    }
    return new Verification(true, rows, headSeq, null, null);
  }

  /** SHA-256 hex of the previous hash, a newline and the canonical row. */
  String hash(Entry e) {
    Object[] row = {e.seq(), e.at().toString(), e.actor(), e.roles(), e.remote(), e.entity(), e.key(), e.action(),
        e.site(), e.before(), e.after()};
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(e.prevHash().getBytes(StandardCharsets.US_ASCII));
      d.update((byte) '\n');
      d.update(canonical.writeValueAsBytes(Arrays.asList(row)));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException | JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** Canonical JSON text of a value: maps and objects with sorted keys, no whitespace. */
  String json(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return canonical.writeValueAsString(canonical.convertValue(value, Object.class));
    } catch (JsonProcessingException | IllegalArgumentException ex) {
      throw new IllegalStateException("cannot write audit JSON", ex);
    }
  }

  static Entry entry(ResultSet rs) throws SQLException {
    return new Entry(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
        rs.getString("roles"), rs.getString("remote"), rs.getString("entity"), rs.getString("entity_key"),
        rs.getString("action"), rs.getString("site_code"), rs.getString("before"), rs.getString("after"),
        rs.getString("prev_hash"), rs.getString("hash"));
  }
}
