package io.tms.agent.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.InstantText;
import io.tms.protocol.v1.Lane;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The outbox (DESIGN §3): every event the site emits, with a per-lane {@code seq} and hash chain,
 * appended in the same transaction as the business change it records, to the lane's own table
 * ({@link OutboxTables}). {@code outbox_head} keeps the last seq and hash of each lane (written once
 * per commit, not per event) and the seq the cloud acknowledged.
 */
public final class OutboxStore {
  private final ObjectMapper json;
  // The last seq and hash of each lane as of the writer's open transaction, so that an append need
  // not read outbox_head first. Writer thread only; forgotten whenever a unit that appended rolls
  // back. One OutboxStore per site database: a second one appending would make this stale (and its
  // appends fail on the (lane, seq) key, loudly).
  private final Map<Lane, Head> heads = new EnumMap<>(Lane.class);
  // Lanes appended to since the last commit: their outbox_head row is written once, just before the
  // writer commits (WriteContext.beforeCommit), instead of after every event.
  private final Set<Lane> dirty = EnumSet.noneOf(Lane.class);

  public OutboxStore(ObjectMapper json) {
    this.json = json;
  }

  /** An event as stored. */
  public record Event(Lane lane, long seq, String type, String occurredAt, String body, String prevHash, String hash) {}

  /** Appends an event; returns its seq. Must run inside the writer's transaction. */
  public long append(WriteContext ctx, Lane lane, String type, Instant occurredAt, Object body) {
    String bodyJson;
    try {
      bodyJson = json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + type, e);
    }
    return appendJson(ctx, lane, type, occurredAt, bodyJson);
  }

  /** As {@link #append}, for a body already serialized with the agent's mapper. */
  public long appendJson(WriteContext ctx, Lane lane, String type, Instant occurredAt, String bodyJson) {
    PreparedSql sql = ctx.sql();
    Head head = heads.get(lane);
    if (head == null) {
      head = head(sql, lane);
    }
    ctx.onRollback(heads::clear);
    long seq = head.lastSeq() + 1;
    String prev = head.lastHash();
    String at = occurredAt == ctx.now() ? ctx.nowText() : InstantText.format(occurredAt);
    String hash = EventHash.next(prev, lane, seq, type, at, bodyJson);
    sql.update(OutboxTables.of(lane).insert, seq, type, at, prev, hash, bodyJson);
    heads.put(lane, new Head(seq, hash));
    dirty.add(lane);
    ctx.beforeCommit(this, this::writeHeads);
    DurableOutbox durable = ctx.durableOutbox();
    ctx.afterDurable(() -> durable.advance(lane, seq));
    return seq;
  }

  /**
   * Loads the last seq of each lane as stored into the writer's {@link DurableOutbox}, as what is on
   * disk so far: to be called once, in the agent's first write, before anything is appended (the
   * database was flushed when it was opened, {@code SiteDatabase}).
   */
  public void loadDurable(WriteContext ctx) {
    for (Lane lane : Lane.values()) {
      ctx.durableOutbox().load(lane, head(ctx.sql(), lane).lastSeq());
    }
  }

  /**
   * The lane's last seq and hash as of the open transaction: the last event in the outbox, or the
   * recorded head when retention has pruned every event up to it.
   */
  private static Head head(PreparedSql sql, Lane lane) {
    Head recorded = sql.first("SELECT last_seq, last_hash FROM outbox_head WHERE lane = ?",
            rs -> new Head(rs.getLong(1), rs.getString(2)), lane.name())
        .orElse(new Head(0, EventHash.GENESIS));
    Head last = sql.first(OutboxTables.of(lane).last, rs -> new Head(rs.getLong(1), rs.getString(2)))
        .orElse(recorded);
    return last.lastSeq() >= recorded.lastSeq() ? last : recorded;
  }

  /** Writes the head of each lane appended to, once per commit (not once per event). */
  private void writeHeads(PreparedSql sql) {
    for (Lane lane : dirty) {
      Head head = heads.get(lane);
      if (head == null) { // a unit that appended rolled back: the outbox itself says where the lane is
        head = head(sql, lane);
      }
      if (head.lastSeq() == 0) { // every append to a new lane rolled back
        continue;
      }
      sql.update("INSERT INTO outbox_head (lane, last_seq, last_hash) VALUES (?, ?, ?) "
              + "ON CONFLICT (lane) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash",
          lane.name(), head.lastSeq(), head.lastHash());
    }
    dirty.clear();
  }

  private record Head(long lastSeq, String lastHash) {}

  /** Events of a lane after {@code afterSeq}, in order. */
  public List<Event> read(Handle h, Lane lane, long afterSeq, int limit) {
    return h.createQuery(OutboxTables.of(lane).readAfter)
        .bind(0, afterSeq).bind(1, limit)
        .map((rs, ctx) -> new Event(lane, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6)))
        .list();
  }

  /** Per lane: the last seq written and the last seq the cloud acknowledged. */
  public record LaneState(long lastSeq, long ackedSeq, String oldestUnsentAt) {
    public long depth() {
      return lastSeq - ackedSeq;
    }
  }

  // each lane's oldest unacknowledged event from its own table (CASE evaluates only the lane's)
  private static final String STATE = "SELECT lane, last_seq, acked_seq, CASE lane"
      + " WHEN 'BUSINESS' THEN (SELECT occurred_at FROM " + OutboxTables.BUSINESS.table
      + " WHERE seq = outbox_head.acked_seq + 1)"
      + " WHEN 'TELEMETRY' THEN (SELECT occurred_at FROM " + OutboxTables.TELEMETRY.table
      + " WHERE seq = outbox_head.acked_seq + 1)"
      + " END AS oldest FROM outbox_head";

  public Map<Lane, LaneState> state(Handle h) {
    Map<Lane, LaneState> out = new EnumMap<>(Lane.class);
    for (Lane lane : Lane.values()) {
      out.put(lane, new LaneState(0, 0, null));
    }
    h.createQuery(STATE)
        .map((rs, ctx) -> out.put(Lane.valueOf(rs.getString("lane")),
            new LaneState(rs.getLong("last_seq"), rs.getLong("acked_seq"), rs.getString("oldest"))))
        .list();
    return out;
  }

  /** The result of walking a lane's chain. */
  public record ChainCheck(Lane lane, long events, boolean ok, String problem) {}

  /**
   * Recomputes every hash of the lane from the genesis and checks seqs are 1..n without a gap. Reads
   * the whole lane: meant for tests, start-up self checks and operators, not the hot path.
   */
  public ChainCheck verify(Handle h, Lane lane) {
    long expectedSeq = 1;
    String prev = EventHash.GENESIS;
    final int page = 5_000;
    long after = 0;
    while (true) {
      List<Event> events = read(h, lane, after, page);
      for (Event e : events) {
        if (e.seq() != expectedSeq) {
          return new ChainCheck(lane, expectedSeq - 1, false, "seq " + expectedSeq + " missing (found " + e.seq() + ")");
        }
        if (!e.prevHash().equals(prev)) {
          return new ChainCheck(lane, expectedSeq - 1, false, "seq " + e.seq() + " does not chain to its predecessor");
        }
        String hash = EventHash.next(prev, lane, e.seq(), e.type(), e.occurredAt(), e.body());
        if (!hash.equals(e.hash())) {
          return new ChainCheck(lane, expectedSeq - 1, false, "seq " + e.seq() + " hash mismatch");
        }
        prev = hash;
        expectedSeq++;
        after = e.seq();
      }
      if (events.size() < page) {
        break;
      }
    }
    return new ChainCheck(lane, expectedSeq - 1, true, null);
  }
}
