package io.tms.api.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.http.ApiException;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.UplinkAckV1;
import io.tms.protocol.v1.sync.UplinkBatchV1;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one uplink batch exactly once (DESIGN §3). In one PostgreSQL transaction: lock the
 * site×lane cursor row, skip what the cursor already holds, refuse a gap with the expected
 * {@code fromSeq}, recompute the hash chain from the cursor's hash, land the new events in the
 * typed tables, run the {@link IngestHook}, advance the cursor, commit. A chain that does not
 * verify is never applied: the lane is flagged broken (in its own transaction) and refuses every
 * batch until an operator clears the flag. Thread-safe: all state is in the database, so any number
 * of replicas may apply concurrently (the row lock serializes them per site×lane).
 */
public final class UplinkIngest {
  private static final Logger log = LoggerFactory.getLogger(UplinkIngest.class);

  /** Events decoded per task: small enough to overlap decoding with COPY, large enough to amortize a COPY. */
  private static final int CHUNK = 1024;

  /**
   * Decoding is CPU work, so it runs on platform threads, which the OS preempts: on virtual threads
   * it would hold the few carrier threads for whole chunks and make every other request of the
   * replica (heartbeats, the admin API) wait behind a reconnect storm.
   */
  private static final ExecutorService DECODERS = Executors.newFixedThreadPool(
      Math.max(2, Runtime.getRuntime().availableProcessors()),
      Thread.ofPlatform().daemon().name("ingest-decode-", 0).factory());

  private final DataSource db;
  private final ObjectMapper json;
  /** Readers of the business bodies, by event type, for decoding them while the batch is read. */
  private final Map<String, com.fasterxml.jackson.databind.ObjectReader> bodyReaders = new java.util.HashMap<>();
  private static final List<String> KNOWN_TYPES = List.of(io.tms.protocol.v1.EventTypes.AUTHORIZATION_DECIDED,
      io.tms.protocol.v1.EventTypes.LOAD_STARTED, io.tms.protocol.v1.EventTypes.LOAD_CANCELLED,
      io.tms.protocol.v1.EventTypes.BOL_ISSUED, io.tms.protocol.v1.EventTypes.INVENTORY_MOVED,
      io.tms.protocol.v1.EventTypes.GAUGE_READING_RECORDED, io.tms.protocol.v1.EventTypes.CARD_UNLOCKED,
      io.tms.protocol.v1.EventTypes.RESERVE_RELEASED, io.tms.protocol.v1.EventTypes.AUDIT_RECORDED);
  private volatile IngestHook hook;

  public UplinkIngest(DataSource db, ObjectMapper json, IngestHook hook) {
    this.db = db;
    this.json = json.copy().registerModule(WireInstants.module());
    for (String type : KNOWN_TYPES) {
      bodyReaders.put(type, this.json.readerFor(EventLanding.bodyType(type))
          .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
    }
    this.hook = hook;
  }

  /** Replaces the hook (the reserve ledger wires itself in here). */
  public void hook(IngestHook hook) {
    this.hook = hook == null ? IngestHook.NONE : hook;
  }

  private record Cursor(long seq, String hash, long dropped, String brokenReason) {}

  private record ChainBreak(long seq, String reason) {}

  public UplinkAckV1 apply(String site, UplinkBatchV1 batch) {
    return apply(site, UplinkBatchReader.Batch.of(batch));
  }

  /** As {@link #apply(String, UplinkBatchV1)}, for a batch read from its request bytes. */
  UplinkAckV1 apply(String site, UplinkBatchReader.Batch batch) {
    validate(site, batch);
    // Before the cursor lock, on other threads than the one holding it: decoding every event (the
    // decoders start now) and checking each event's link to its predecessor (this thread, meanwhile).
    // Under the lock, applyIn only picks what is new; a batch that overlaps the cursor (a replay,
    // rare) is decoded again from its first new event.
    List<Future<EventLanding>> decoding = decode(site, batch.events(), 0);
    InFlight me = inFlight.enter(site, batch.lane(), batch.fromSeq());
    try {
      boolean[] linked = links(batch);
      if (batch.lane() == Lane.TELEMETRY && batch.afterBusinessSeq() != null) {
        businessFirst(site, batch.afterBusinessSeq());
      }
      inFlight.awaitPredecessors(me); // the site's earlier batch, applying in this replica, goes first
      while (true) {
        try {
          return applyOnce(site, batch, linked, decoding);
        } catch (ApiException e) {
          // a site sends its next batch before the previous one is answered: when this one reached the
          // cursor first, it waits for the predecessor applying in this replica and tries again
          if (e.status() != 409 || !inFlight.awaitPredecessors(me)) {
            throw e;
          }
        }
      }
    } finally {
      inFlight.leave(me);
      decoding.forEach(f -> f.cancel(true));
    }
  }

  /**
   * Business first (DESIGN §3): a site sends its telemetry lane's first batch right behind its last
   * business batch, naming the last business seq it sent. It has been read and checked meanwhile;
   * it waits here for the site's business batches applying in this replica, and goes on only if
   * the business cursor is then that far. Otherwise (a business batch still in transit, or applying
   * in another replica) it is refused with a 429, and the site sends it again once business is
   * acknowledged. The cursor only moves forward, so a check before the apply holds for the apply.
   */
  private void businessFirst(String site, long afterBusinessSeq) {
    inFlight.awaitLane(site, Lane.BUSINESS);
    long held;
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT seq FROM edge_cursor WHERE site_code = ? AND lane = ?")) {
      ps.setString(1, site);
      ps.setString(2, Lane.BUSINESS.name());
      try (ResultSet rs = ps.executeQuery()) {
        held = rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the business cursor of site " + site, e);
    }
    if (held < afterBusinessSeq) {
      throw new ApiException(429, "BUSINESS_FIRST", "afterBusinessSeq", "telemetry waits for the site's business"
          + " lane: the cloud holds it up to " + held + ", this batch follows " + afterBusinessSeq,
          Map.of("businessCursor", held, "retryAfterSeconds", 1), Map.of("Retry-After", "1"));
    }
  }

  private UplinkAckV1 applyOnce(String site, UplinkBatchReader.Batch batch, boolean[] linked,
      List<Future<EventLanding>> decoding) {
    ChainBreak broken;
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        Object result = applyIn(c, site, batch, linked, decoding);
        if (result instanceof UplinkAckV1 ack) {
          c.commit();
          return ack;
        }
        c.rollback();
        broken = (ChainBreak) result;
        flagBroken(c, site, batch.lane(), broken);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("uplink apply failed for site " + site + " lane " + batch.lane(), e);
    }
    log.error("site={} lane={} hash chain broken at seq {}: {}; the lane refuses batches until an operator clears it",
        site, batch.lane(), broken.seq(), broken.reason());
    throw new ApiException(422, "CHAIN_BROKEN", "events", "hash chain broken at seq " + broken.seq() + ": "
        + broken.reason() + "; the lane is flagged and refuses batches until an operator clears it",
        Map.of("brokenSeq", broken.seq()), Map.of());
  }

  /** A batch being applied in this replica, for ordering a site's overlapping requests. */
  private record InFlight(String key, long fromSeq, java.util.concurrent.CountDownLatch done) {}

  /**
   * The batches each site×lane has in apply in this replica. A batch refused as a gap waits for
   * those of its lane that start before it (its predecessors, sent earlier by the same site) and
   * tries again, so a site may pipeline batches without its later one being refused for arriving
   * first. Nothing waits on a later batch, so there is no cycle; across replicas a gap is a 409.
   */
  private static final class InFlightBatches {
    private final Map<String, List<InFlight>> byLane = new java.util.HashMap<>();

    synchronized InFlight enter(String site, Lane lane, long fromSeq) {
      InFlight f = new InFlight(site + "/" + lane, fromSeq, new java.util.concurrent.CountDownLatch(1));
      byLane.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
      return f;
    }

    synchronized void leave(InFlight f) {
      List<InFlight> all = byLane.get(f.key());
      all.remove(f);
      if (all.isEmpty()) {
        byLane.remove(f.key());
      }
      f.done().countDown();
    }

    /** Waits until every batch of the lane that starts before {@code f} has left; false if there was none. */
    boolean awaitPredecessors(InFlight f) {
      List<InFlight> before = new ArrayList<>();
      synchronized (this) {
        for (InFlight other : byLane.getOrDefault(f.key(), List.of())) {
          if (other != f && other.fromSeq() < f.fromSeq()) {
            before.add(other);
          }
        }
      }
      return await(before);
    }

    /**
     * Waits until the batches of the site's {@code lane} applying in this replica now have left (not
     * those that come later, so a lane that keeps sending cannot hold the waiter for ever).
     */
    void awaitLane(String site, Lane lane) {
      List<InFlight> now;
      synchronized (this) {
        now = new ArrayList<>(byLane.getOrDefault(site + "/" + lane, List.of()));
      }
      await(now);
    }

    private static boolean await(List<InFlight> before) {
      if (before.isEmpty()) {
        return false;
      }
      try {
        for (InFlight other : before) {
          if (!other.done().await(PREDECESSOR_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
            return false;
          }
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Longest wait for a predecessor batch (an apply takes well under a second; this is a safety net). */
  private static final long PREDECESSOR_WAIT_SECONDS = 60;

  private final InFlightBatches inFlight = new InFlightBatches();

  /** Reads a request body, decoding inlined business bodies on the way with this ingest's mapper. */
  UplinkBatchReader.Batch read(byte[] raw) {
    return UplinkBatchReader.read(raw, bodyReaders::get);
  }

  /** The ack, or a ChainBreak (the caller rolls back and flags). */
  /**
   * Whether each event's hash is SHA-256 of the event and the hash its predecessor claims (the
   * batch's {@code prevHash} for the first). Where every event from the first new one on is linked,
   * and that one's predecessor is the cursor, the chain recomputed from the cursor's hash gives
   * exactly the claimed hashes: the same verdict as recomputing it in order, but computable before
   * the cursor is known.
   */
  private static boolean[] links(UplinkBatchReader.Batch batch) {
    List<UplinkBatchReader.Event> events = batch.events();
    boolean[] linked = new boolean[events.size()];
    String prev = batch.prevHash();
    for (int i = 0; i < linked.length; i++) {
      UplinkBatchReader.Event e = events.get(i);
      linked[i] = EventHash.matches(e.hash(), prev, batch.lane(), e.seq(), e.type(), e.occurredAt(), e.src(), e.off(),
          e.len());
      prev = e.hash();
    }
    return linked;
  }

  private Object applyIn(Connection c, String site, UplinkBatchReader.Batch batch, boolean[] linked,
      List<Future<EventLanding>> decoding) throws SQLException {
    Lane lane = batch.lane();
    try (PreparedStatement ps = c.prepareStatement("SELECT active FROM site WHERE code = ?")) {
      ps.setString(1, site);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ApiException(404, "NOT_FOUND", "site", "no site " + site);
        }
        if (!rs.getBoolean(1)) {
          throw new ApiException(403, "SITE_INACTIVE", "site", "site " + site + " is not active");
        }
      }
    }
    Cursor cursor = lockCursor(c, site, lane);
    if (cursor.brokenReason() != null) {
      throw new ApiException(422, "LANE_BROKEN", "lane", "lane " + lane + " of site " + site
          + " is flagged (" + cursor.brokenReason() + ") and refuses batches until an operator clears it",
          Map.of("cursor", cursor.seq()), Map.of());
    }
    List<UplinkBatchReader.Event> events = batch.events();
    long last = batch.fromSeq() + events.size() - 1;
    long dropped = 0;
    String prev = cursor.hash();
    if (batch.fromSeq() > cursor.seq() + 1) {
      Long droppedThrough = batch.droppedThroughSeq();
      if (lane == Lane.TELEMETRY && droppedThrough != null && droppedThrough == batch.fromSeq() - 1) {
        dropped = droppedThrough - cursor.seq();
        prev = batch.prevHash();
      } else {
        throw new ApiException(409, "GAP", "fromSeq", "batch starts at " + batch.fromSeq() + " but the cloud holds "
            + lane + " up to " + cursor.seq(), Map.of("expectedFromSeq", cursor.seq() + 1), Map.of());
      }
    } else if (batch.fromSeq() == cursor.seq() + 1 && !batch.prevHash().equals(cursor.hash())) {
      return new ChainBreak(batch.fromSeq(), "prevHash differs from the hash of seq " + cursor.seq());
    }
    Object walked = walk(events, cursor, linked, prev);
    if (walked instanceof ChainBreak broken) {
      return broken;
    }
    Walk walk = (Walk) walked;
    int skipped = walk.skipped();
    int firstNew = walk.firstNew();
    prev = walk.prev();
    int applied = events.size() - skipped;
    if (applied == 0) {
      return new UplinkAckV1(lane, cursor.seq(), 0, skipped);
    }
    if (firstNew == 0) {
      land(c, site, decoding);
    } else {
      decoding.forEach(f -> f.cancel(true));
      List<Future<EventLanding>> again = decode(site, events, firstNew);
      try {
        land(c, site, again);
      } finally {
        again.forEach(f -> f.cancel(true));
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE edge_cursor SET seq = ?, hash = ?, dropped = dropped + ?,"
        + " batches = batches + 1, applied_at = now() WHERE site_code = ? AND lane = ?")) {
      ps.setLong(1, last);
      ps.setString(2, prev);
      ps.setLong(3, dropped);
      ps.setString(4, site);
      ps.setString(5, lane.name());
      ps.executeUpdate();
    }
    if (dropped > 0) {
      log.info("site={} lane={} the site dropped {} events on purpose (telemetry budget) before seq {}", site, lane,
          dropped, batch.fromSeq());
    }
    return new UplinkAckV1(lane, last, applied, skipped);
  }

  /** What {@link #walk} found: events at or below the cursor, the first new one, the last hash. */
  private record Walk(int skipped, int firstNew, String prev) {}

  /**
   * The batch's events against the cursor: those it holds already (the one at the cursor must be
   * the event applied), then the new ones, each linked to its predecessor; a {@link ChainBreak} or
   * a {@link Walk}. Its own method, apart from the JDBC of {@link #applyIn}: a loop of thousands of
   * events is compiled on the stack (OSR) with whatever surrounds it, and with the statements
   * inlined that was a 75 KB compilation, thrown away and redone as their profiles moved.
   */
  private static Object walk(List<UplinkBatchReader.Event> events, Cursor cursor, boolean[] linked, String prev) {
    int skipped = 0;
    int firstNew = -1;
    for (int i = 0; i < events.size(); i++) {
      UplinkBatchReader.Event e = events.get(i);
      if (e.seq() <= cursor.seq()) {
        skipped++;
        if (e.seq() == cursor.seq() && !e.hash().equals(cursor.hash())) {
          return new ChainBreak(e.seq(), "a replayed event differs from the one applied");
        }
        continue;
      }
      if (firstNew < 0) {
        firstNew = i;
      }
      // its predecessor's hash is prev here: the cursor's (checked by the caller, or the event at the
      // cursor, checked above), or the prevHash past a dropped range
      if (!linked[i]) {
        return new ChainBreak(e.seq(), "hash does not match the event and its predecessor");
      }
      prev = e.hash();
    }
    return new Walk(skipped, firstNew, prev);
  }

  /** Starts decoding the events from index {@code from} on, in chunks, on the decoder threads (all cores). */
  private List<Future<EventLanding>> decode(String site, List<UplinkBatchReader.Event> events, int from) {
    List<Future<EventLanding>> chunks = new ArrayList<>();
    for (int start = from; start < events.size(); start += CHUNK) {
      int lo = start;
      int hi = Math.min(events.size(), start + CHUNK);
      chunks.add(DECODERS.submit(() -> {
        EventLanding landing = new EventLanding(json, site);
        long telemetryBytes = 0;
        for (int i = lo; i < hi; i++) {
          UplinkBatchReader.Event e = events.get(i);
          telemetryBytes += io.tms.protocol.v1.EventTypes.TELEMETRY_SAMPLES.equals(e.type()) ? e.len() : 0;
        }
        landing.reserveTelemetry(telemetryBytes);
        for (int i = lo; i < hi; i++) {
          landing.add(events.get(i), i);
        }
        return landing;
      }));
    }
    return chunks;
  }

  /**
   * Waits for the decoded chunks (a chunk whose events did not decode throws its 400 here) and lands
   * them with one COPY per table (not one per chunk and table: each is a statement and two round
   * trips). The business bodies were decoded while the batch was read, so little decoding is left
   * to overlap with PostgreSQL's work.
   */
  private void land(Connection c, String site, List<Future<EventLanding>> chunks) throws SQLException {
    List<IngestHook.BolLine> lines = new ArrayList<>();
    List<IngestHook.Release> releases = new ArrayList<>();
    List<EventLanding> landings = new ArrayList<>(chunks.size());
    for (Future<EventLanding> chunk : chunks) {
      EventLanding landing = decoded(chunk);
      landings.add(landing);
      lines.addAll(landing.bolLines());
      releases.addAll(landing.releases());
    }
    EventLanding.write(c, landings);
    if (!lines.isEmpty() || !releases.isEmpty()) {
      hook.applied(c, site, List.copyOf(lines), List.copyOf(releases));
    }
  }

  private static EventLanding decoded(Future<EventLanding> chunk) {
    try {
      return chunk.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding a batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static Cursor lockCursor(Connection c, String site, Lane lane) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO edge_cursor (site_code, lane, hash) VALUES (?, ?, ?)"
        + " ON CONFLICT (site_code, lane) DO NOTHING")) {
      ps.setString(1, site);
      ps.setString(2, lane.name());
      ps.setString(3, EventHash.GENESIS);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash, dropped, broken_reason FROM edge_cursor"
        + " WHERE site_code = ? AND lane = ? FOR UPDATE")) {
      ps.setString(1, site);
      ps.setString(2, lane.name());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Cursor(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4));
      }
    }
  }

  private static void flagBroken(Connection c, String site, Lane lane, ChainBreak b) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO edge_cursor (site_code, lane, hash, broken_at,"
        + " broken_seq, broken_reason) VALUES (?, ?, ?, now(), ?, ?) ON CONFLICT (site_code, lane) DO UPDATE"
        + " SET broken_at = now(), broken_seq = excluded.broken_seq, broken_reason = excluded.broken_reason")) {
      ps.setString(1, site);
      ps.setString(2, lane.name());
      ps.setString(3, EventHash.GENESIS);
      ps.setLong(4, b.seq());
      ps.setString(5, b.reason());
      ps.executeUpdate();
    }
    c.commit();
  }

  /** An operator's decision that the lane may go on from its cursor; returns whether it was flagged. */
  public boolean clearBroken(org.jdbi.v3.core.Handle h, String site, Lane lane) {
    boolean cleared = h.createUpdate("UPDATE edge_cursor SET broken_at = NULL, broken_seq = NULL,"
            + " broken_reason = NULL WHERE site_code = :site AND lane = :lane AND broken_at IS NOT NULL")
        .bind("site", site).bind("lane", lane.name()).execute() > 0;
    if (cleared) {
      log.warn("site={} lane={} chain-broken flag cleared by an operator", site, lane);
    }
    return cleared;
  }

  /** Structural checks; a batch that fails them is bad input (400) and changes nothing. */
  private static void validate(String site, UplinkBatchReader.Batch b) {
    if (b.siteCode() == null || !b.siteCode().equals(site)) {
      throw new ApiException(400, "INVALID_INPUT", "siteCode", "siteCode must be " + site + " (was " + b.siteCode() + ")");
    }
    if (b.lane() == null) {
      throw new ApiException(400, "INVALID_INPUT", "lane", "lane is required (BUSINESS or TELEMETRY)");
    }
    if (b.fromSeq() < 1) {
      throw new ApiException(400, "INVALID_INPUT", "fromSeq", "fromSeq must be >= 1 (was " + b.fromSeq() + ")");
    }
    if (b.prevHash() == null || !b.prevHash().matches("[0-9a-f]{64}")) {
      throw new ApiException(400, "INVALID_INPUT", "prevHash", "prevHash must be 64 hex digits");
    }
    if (b.events() == null || b.events().isEmpty()) {
      throw new ApiException(400, "INVALID_INPUT", "events", "events must hold at least one event");
    }
    if (b.droppedThroughSeq() != null) {
      if (b.lane() != Lane.TELEMETRY) {
        throw new ApiException(400, "INVALID_INPUT", "droppedThroughSeq", "only the TELEMETRY lane may drop events");
      }
      if (b.droppedThroughSeq() != b.fromSeq() - 1) {
        throw new ApiException(400, "INVALID_INPUT", "droppedThroughSeq", "droppedThroughSeq must be fromSeq - 1");
      }
    }
    if (b.afterBusinessSeq() != null) {
      if (b.lane() != Lane.TELEMETRY) {
        throw new ApiException(400, "INVALID_INPUT", "afterBusinessSeq", "only a TELEMETRY batch may follow business");
      }
      if (b.afterBusinessSeq() < 1) {
        throw new ApiException(400, "INVALID_INPUT", "afterBusinessSeq", "afterBusinessSeq must be >= 1");
      }
    }
    for (int i = 0; i < b.events().size(); i++) {
      UplinkBatchReader.Event e = b.events().get(i);
      if (e == null) {
        String f = "events[" + i + "]"; // named only when refused: this loop runs for every event
        throw new ApiException(400, "INVALID_INPUT", f, f + " is null");
      }
      if (e.seq() != b.fromSeq() + i) {
        String f = "events[" + i + "]";
        throw new ApiException(400, "INVALID_INPUT", f + ".seq", f + ".seq must be " + (b.fromSeq() + i)
            + " (events are consecutive from fromSeq), was " + e.seq());
      }
      if (e.type() == null || e.occurredAt() == null || !e.hasBody() || e.hash() == null) {
        String f = "events[" + i + "]";
        throw new ApiException(400, "INVALID_INPUT", f, f + " needs type, occurredAt, body and hash");
      }
    }
  }
}
