package io.tms.agent.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.OutboxTables;
import io.tms.agent.store.WriteQueue;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatV1;
import io.tms.protocol.v1.sync.UplinkAckV1;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the site's outbox to the cloud (DESIGN §3): one loop on a virtual thread reads unacked
 * events of a lane on a reader connection, sends them as zstd (or gzip) batches sized by bytes, and
 * records each acknowledged cursor through the writer. The business lane drains first; telemetry goes
 * only while business is empty. Up to {@link UplinkSettings#inFlight()} batches are in flight at once
 * (answers taken in order; the cloud applies them in seq order), and the next one is read and
 * compressed meanwhile, so a backlog drains at the cloud's pace. It wakes when
 * the writer commits an append, resumes after a restart from {@code outbox_head.acked_seq}, backs
 * off with jitter while the link is down, repositions on a 409, and stops a lane the cloud refused
 * as broken (422), probing it again after {@link UplinkSettings#brokenRetry()} so an operator's
 * clearing takes effect. Thread-safe: the loop is the only sender; the status methods only read.
 */
public final class UplinkClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UplinkClient.class);
  public static final String DROPPED_KEY = io.tms.agent.store.OutboxRetention.DROPPED_KEY;

  private final CloudLink link;
  private final Jdbi reader;
  private final WriteQueue writer;
  private final ObjectMapper json;
  private final Clock clock;
  private final UplinkSettings settings;
  private final String site;
  private final Semaphore wake = new Semaphore(0);
  private final Map<Lane, LaneProgress> lanes = new EnumMap<>(Lane.class);
  private final Backoff backoff;
  /** Compresses the batches {@link #prepare} writes; loop thread only. */
  private final BatchCompressor compressor = new BatchCompressor();
  /**
   * The backoff while the cloud is unreachable (no answer at all): capped at {@link #PROBE_MAX}, so
   * the site notices within about a second that its link is back. A connection attempt over a dead
   * link loads nobody; an overloaded cloud answers 429/5xx and gets the long {@link #backoff}.
   */
  private final Backoff probe;
  private static final Duration PROBE_MAX = Duration.ofSeconds(1);
  private volatile boolean running = true;
  private Thread thread;
  private final ToLongFunction<Lane> durableThrough;
  /**
   * The telemetry lane's first batch, read, compressed and sent as soon as the business lane's last
   * batch was on its way (the agent had nothing else to do): the cloud reads and checks it while it
   * applies business's last batches. It names the last business seq sent ({@code afterBusinessSeq}),
   * and the cloud applies it only once it holds business that far — after the site's business
   * batches applying in the replica, or, if business is not there yet (a batch still in transit, or
   * in another replica), not at all: a 429, and the batch is sent again after business's answers.
   * Its answer is taken by the telemetry lane's drain, as the first of its window. Loop thread only.
   */
  private volatile Sent telemetryAhead;
  /**
   * The cloud's answers list {@code afterBusinessSeq} in {@code Uplink-Features}: it holds a
   * telemetry batch sent ahead until business is applied. Without it (an older cloud) telemetry is
   * sent only after business's answers. Loop thread only.
   */
  private boolean cloudHoldsTelemetry;
  /**
   * The setting's coding; gzip while zstd's native library is loading, and for good if it does not
   * load here. Loop thread only.
   */
  private UplinkEncoding preferred;
  /**
   * Loads zstd's native library on its own thread from construction on: unpacking it and the first
   * call take 0.1-1 s on a cold, loaded JVM, which should delay neither the agent's ready nor its
   * first batches (they go as gzip meanwhile).
   */
  private final FutureTask<Boolean> zstdLoaded = new FutureTask<>(UplinkEncoding::zstdAvailable);
  /** Whether zstd is the setting and its load has not been looked at yet. Loop thread only. */
  private boolean zstdPending;
  /**
   * The coding batches are prepared in now: {@link #preferred}, or gzip after a 415 until a 200 lists
   * the preferred one in {@code Accept-Encoding}. Loop thread only.
   */
  private UplinkEncoding encoding;
  /**
   * The byte budget of the next batch read: {@link UplinkSettings#firstBatchBytes()} after start and
   * after a lost link, doubled batch by batch up to {@link UplinkSettings#batchBytes()}. Loop thread only.
   */
  private int nextBudget;
  /**
   * The largest batch (its JSON, inflated) the cloud takes, as its answers name it
   * ({@link UplinkAckV1#MAX_BATCH_HEADER}), or as a 413 without that header taught it (a proxy's limit in
   * front of the cloud): the JSON size of the refused batch. 0 while unknown. Loop thread only.
   */
  private int cloudMaxBatch;
  /**
   * The most events the next batch may hold: after a 413, half the refused batch's, so a batch
   * whose size one large event makes shrinks to that event alone (and is refused for good only
   * then); back to unlimited after the next 200. Loop thread only.
   */
  private int eventCap = Integer.MAX_VALUE;
  /** Whether the cloud has answered a batch since start. Loop thread only. */
  private boolean heardFromCloud;
  /**
   * The batch whose send found the link down (or the cloud busy, 429/5xx), sent again by the next
   * try: read and compressed once per outage, not once per try. Loop thread only.
   */
  private Prepared retry;

  /** What the loop knows of a lane; written by the loop only, read by the status page. */
  private static final class LaneProgress {
    volatile long acked = -1;
    volatile long eventsSent;
    volatile long batchesSent;
    volatile Instant lastAckAt;
    volatile Instant brokenUntil;
    volatile String brokenReason;
    volatile boolean sending;
  }

  /**
   * {@code durableThrough} gives the last seq of a lane that is on disk ({@code DurableOutbox#through}):
   * the uplink never reads past it.
   */
  public UplinkClient(CloudLink link, Jdbi reader, WriteQueue writer, ToLongFunction<Lane> durableThrough,
      ObjectMapper json, Clock clock, UplinkSettings settings) {
    this.link = link;
    this.durableThrough = durableThrough;
    this.reader = reader;
    this.writer = writer;
    this.json = json;
    this.clock = clock;
    this.settings = settings;
    this.site = link.siteCode();
    this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), new SplittableRandom());
    Duration probeMax = settings.backoffMax().compareTo(PROBE_MAX) < 0 ? settings.backoffMax() : PROBE_MAX;
    this.probe = new Backoff(settings.backoffInitial().compareTo(probeMax) < 0 ? settings.backoffInitial() : probeMax,
        probeMax, new SplittableRandom());
    for (Lane lane : Lane.values()) {
      lanes.put(lane, new LaneProgress());
    }
    this.nextBudget = firstBudget();
    this.zstdPending = settings.compression() == UplinkEncoding.ZSTD && !UplinkEncoding.zstdLoaded();
    this.preferred = zstdPending ? UplinkEncoding.GZIP : settings.compression();
    this.encoding = preferred;
    if (zstdPending) {
      Thread.ofVirtual().name("uplink-zstd-load-" + site).start(zstdLoaded);
    }
  }

  /** Budgets below this are not cut further (the setting's own minimum). */
  private static final int MIN_BUDGET = 1024;

  /**
   * The largest budget of a batch: the setting, or half of the largest batch the cloud takes when
   * that is less — a batch's JSON is a little larger than its budget counts and ends at the first
   * event past it, and half leaves room for both.
   */
  private int maxBudget() {
    return cloudMaxBatch > 0 ? Math.max(MIN_BUDGET, Math.min(settings.batchBytes(), cloudMaxBatch / 2))
        : settings.batchBytes();
  }

  /** The budget of the first batch after start or a failure. */
  private int firstBudget() {
    return Math.min(maxBudget(), settings.firstBatchBytes());
  }

  /** Takes the largest batch the cloud names on an answer; whether it named one. */
  private boolean learnMaxBatch(HttpResponse<byte[]> r) {
    String v = r.headers().firstValue(UplinkAckV1.MAX_BATCH_HEADER).orElse(null);
    if (v == null) {
      return false;
    }
    try {
      cloudMaxBatch = Math.max(0, Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      log.debug("site={} uplink: ignoring {}: {}", site, UplinkAckV1.MAX_BATCH_HEADER, v);
    }
    return true;
  }

  /** Starts the loop; wire {@link #wake()} to {@code DurableOutbox#onAdvance} first. */
  public UplinkClient start() {
    thread = Thread.ofVirtual().name("uplink-" + site).start(this::loop);
    return this;
  }

  /** New events are on disk: send them now. Cheap and non-blocking (called on the writer's sync thread). */
  public void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  private static final class LinkDown extends Exception {
    LinkDown(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private void loop() {
    try (compressor) {
      loopUntilClosed();
    }
  }

  private void loopUntilClosed() {
    while (running) {
      wake.drainPermits();
      try {
        loadAcked();
        boolean sent = false;
        if (ready(Lane.BUSINESS)) {
          sent = drain(Lane.BUSINESS);
        }
        if (ready(Lane.TELEMETRY) && !backlogged(Lane.BUSINESS)) {
          sent |= drain(Lane.TELEMETRY);
        }
        if (!sent) {
          wake.tryAcquire(idleWaitMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (LinkDown e) {
        link.failed(e.getMessage());
        nextBudget = firstBudget(); // after a failure (no answer, 429, 5xx) the next batch is small
        Duration wait = e.getCause() != null ? probe.failed() : backoff.failed();
        int failures = Math.max(backoff.failures(), probe.failures());
        if (failures == 1) {
          log.warn("site={} uplink: cloud unreachable ({}); retrying with backoff, the site keeps working", site,
              e.getMessage());
        } else {
          log.debug("site={} uplink: still unreachable after {} tries; next in {} ms", site, failures,
              wait.toMillis());
        }
        if (!sleep(wait)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.error("site={} uplink loop failed; retrying", site, e);
        if (!sleep(backoff.failed())) {
          return;
        }
      }
    }
  }

  /** Switches to zstd once its library has loaded (before that, and if it does not, batches go as gzip). */
  private void adoptZstdOnceLoaded() {
    if (!zstdPending || !zstdLoaded.isDone()) {
      return;
    }
    zstdPending = false;
    boolean loaded;
    try {
      loaded = zstdLoaded.get();
    } catch (InterruptedException | ExecutionException e) {
      loaded = false;
    }
    if (!loaded) {
      log.warn("site={} uplink: zstd's native library does not load here; batches go as gzip", site);
      return;
    }
    preferred = UplinkEncoding.ZSTD;
    encoding = UplinkEncoding.ZSTD;
  }

  private long idleWaitMillis() {
    long wait = 30_000;
    Instant now = clock.instant();
    for (LaneProgress p : lanes.values()) {
      if (p.brokenUntil != null) {
        wait = Math.max(1, Math.min(wait, Duration.between(now, p.brokenUntil).toMillis()));
      }
    }
    return wait;
  }

  /** Backs off for {@code d}, or less if another loop finds the link back first. */
  private boolean sleep(Duration d) {
    try {
      link.awaitContact(d);
      return running;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private boolean ready(Lane lane) {
    LaneProgress p = lanes.get(lane);
    if (p.brokenUntil == null) {
      return true;
    }
    if (clock.instant().isBefore(p.brokenUntil)) {
      return false;
    }
    log.info("site={} lane={} uplink probes the cloud again after a refusal", site, lane);
    p.brokenUntil = null;
    return true;
  }

  private void loadAcked() {
    if (lanes.get(Lane.BUSINESS).acked >= 0) {
      return;
    }
    reader.useHandle(h -> {
      for (Lane lane : Lane.values()) {
        lanes.get(lane).acked = h.createQuery("SELECT acked_seq FROM outbox_head WHERE lane = ?").bind(0, lane.name())
            .mapTo(Long.class).findOne().orElse(0L);
      }
    });
  }

  /** Whether the lane has events the cloud has not acknowledged. */
  private boolean backlogged(Lane lane) {
    long last = reader.withHandle(h -> h.createQuery("SELECT last_seq FROM outbox_head WHERE lane = ?")
        .bind(0, lane.name()).mapTo(Long.class).findOne().orElse(0L));
    return last > lanes.get(lane).acked;
  }

  /** A batch read and compressed, ready to send. */
  private record Prepared(Lane lane, long afterSeq, long fromSeq, long lastSeq, int events, byte[] body, long rawBytes,
      int jsonBytes,
      UplinkEncoding encoding, int budget) {}

  /** A batch sent and its answer to come. */
  private record Sent(Prepared batch, CompletableFuture<HttpResponse<byte[]>> response) {}

  /**
   * Sends the lane until it is empty (or, for telemetry, until business has events); true if it
   * sent. Up to {@link UplinkSettings#inFlight()} batches are on their way at once, answers taken in
   * order: the cloud decodes batch N+1 while it applies N and applies them in seq order (a batch
   * that reaches the cursor before its predecessor waits for it in the cloud; across replicas it may
   * get a 409, which repositions as below). Any answer other than 200 ends the window: the batches
   * behind it are awaited (an acknowledgement among them still counts) and the lane goes on from what
   * the cloud says it holds.
   */
  private boolean drain(Lane lane) throws LinkDown, InterruptedException {
    LaneProgress p = lanes.get(lane);
    ArrayDeque<Sent> window = new ArrayDeque<>();
    Sent ahead = lane == Lane.TELEMETRY ? sentAhead(p.acked) : null;
    Prepared next = null;
    if (ahead != null) {
      window.add(ahead); // on its way already: its answer comes first
    } else {
      next = reusable(lane, p.acked);
      if (next == null) {
        next = prepare(lane, p.acked);
      }
      if (next == null) {
        return false;
      }
    }
    p.sending = true;
    boolean lookedAhead = false;
    // after start or a failure, one batch probes the link: nothing more is read or sent until it is
    // answered (the first answer also says what the cloud takes: codings, features, largest batch)
    boolean probing = !heardFromCloud || probe.failures() > 0 || backoff.failures() > 0;
    try {
      long pendingAck = -1;
      long confirmed = p.acked; // the highest cursor a 200 of this drain named
      long sentThrough = ahead != null ? ahead.batch().lastSeq() : p.acked;
      if (ahead != null && !probing) {
        next = prepare(lane, sentThrough);
      }
      while (running) {
        while (next != null && window.size() < (probing ? 1 : settings.inFlight())) {
          window.add(new Sent(next, send(next)));
          sentThrough = next.lastSeq();
          // read and compress the next while these are on their way (a probe first waits for its answer)
          next = probing ? null : prepare(lane, sentThrough);
        }
        if (next == null && !window.isEmpty() && lane == Lane.BUSINESS && !lookedAhead && !probing
            && cloudHoldsTelemetry && telemetryAhead == null && lanes.get(Lane.TELEMETRY).brokenUntil == null) {
          lookedAhead = true;
          // the cloud applies it only once it holds business up to what is sent now (business first)
          Prepared t = prepare(Lane.TELEMETRY, lanes.get(Lane.TELEMETRY).acked, sentThrough); // null when none
          if (t != null) {
            telemetryAhead = new Sent(t, send(t));
          }
        }
        if (pendingAck >= 0) {
          recordAck(lane, pendingAck);
          pendingAck = -1;
        }
        Sent head = window.poll();
        if (head == null) {
          return true;
        }
        HttpResponse<byte[]> r;
        try {
          r = await(head.response());
        } catch (LinkDown e) {
          retry = head.batch();
          settle(lane, window);
          throw e;
        }
        int status = r.statusCode();
        heardFromCloud = true;
        boolean namesMaxBatch = learnMaxBatch(r);
        if (status == 200) {
          eventCap = Integer.MAX_VALUE;
          link.succeeded();
          backoff.succeeded();
          probe.succeeded();
          probing = false;
          if (encoding != preferred && preferred.acceptedBy(r.headers().firstValue("Accept-Encoding").orElse(null))) {
            log.info("site={} uplink: the cloud takes {} now; batches go as {}", site, preferred.header(),
                preferred.header());
            encoding = preferred;
          }
          cloudHoldsTelemetry = r.headers().firstValue("Uplink-Features").orElse("").contains("afterBusinessSeq");
          long cursor = json.readTree(r.body()).path("cursor").asLong(-1);
          if (cursor < head.batch().lastSeq()) {
            throw new IllegalStateException("cloud acknowledged " + lane + " up to " + cursor + " after a batch to "
                + head.batch().lastSeq());
          }
          p.eventsSent += head.batch().events();
          p.batchesSent++;
          p.lastAckAt = clock.instant();
          pendingAck = cursor;
          confirmed = Math.max(confirmed, cursor);
          if (lane == Lane.TELEMETRY && backlogged(Lane.BUSINESS)) {
            settle(lane, window);
            recordAck(lane, pendingAck);
            return true;
          }
          if (cursor > sentThrough) { // the cloud holds more than was sent (another sender): go on from there
            settle(lane, window);
            sentThrough = cursor;
            next = prepare(lane, cursor);
          } else if (next == null && window.isEmpty()) {
            next = prepare(lane, sentThrough); // appended since the last read
            if (next == null) {
              recordAck(lane, pendingAck);
              return true;
            }
          }
        } else if (status == 409 || status == 413 && head.batch().events() > 1
            || status == 415 && head.batch().encoding() != UplinkEncoding.GZIP) {
          // the window ends here, and the drain goes on from what the cloud holds: after a gap (409),
          // in smaller batches (413), or as gzip (415)
          link.succeeded();
          settle(lane, window, pendingAck);
          pendingAck = -1;
          if (status == 409) {
            resumeAfterGap(lane, r, confirmed);
            confirmed = -1; // a second 409 in a row is taken at its word
          } else if (status == 413) {
            shrinkAfterTooLarge(lane, head.batch(), namesMaxBatch);
          } else {
            // a cloud older than zstd: gzip from now on, until a 200 lists zstd in Accept-Encoding
            log.warn("site={} lane={} the cloud does not take {} batches (415); sending gzip", site, lane,
                head.batch().encoding().header());
            encoding = UplinkEncoding.GZIP;
          }
          sentThrough = p.acked;
          next = prepare(lane, p.acked);
          if (next == null) {
            return true;
          }
        } else if (status == 429 || status >= 500) {
          retry = head.batch(); // still the lane's next batch: the next try sends it again, unless it is too big
          settle(lane, window, pendingAck);
          throw new LinkDown("cloud answered " + status, null);
        } else if (link.certificateRefused(status, r.body())) {
          // not this batch's fault: the lane waits for a new certificate, not for an operator
          throw new LinkDown("the cloud refused the site's certificate (" + status + ")", null);
        } else {
          settle(lane, window, pendingAck);
          refused(lane, status, new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
          link.succeeded();
          return true;
        }
      }
      return true;
    } catch (IOException e) {
      throw new IllegalStateException("unreadable answer from the cloud", e);
    } finally {
      p.sending = false;
      for (Sent s : window) { // only when leaving by an exception or a stop: nothing waits for these
        s.response().cancel(true);
      }
    }
  }

  /**
   * The telemetry batch sent ahead while business drained, if it starts right after {@code acked}
   * (it does unless the lane moved meanwhile); otherwise its answer is awaited (a 200 still counts)
   * and null returned, and the lane goes on from what the cloud holds.
   */
  private Sent sentAhead(long acked) throws InterruptedException {
    Sent ahead = telemetryAhead;
    telemetryAhead = null;
    if (ahead == null || ahead.batch().afterSeq() == acked) {
      return ahead;
    }
    ArrayDeque<Sent> one = new ArrayDeque<>();
    one.add(ahead);
    settle(Lane.TELEMETRY, one);
    return null;
  }

  /**
   * A batch prepared earlier that is still the lane's next one: the one a probe found the link down
   * with (unless the budget was cut since). It is dropped if its first event is no longer the lane's
   * first unacknowledged one (the telemetry budget deleted it meanwhile): what the site dropped is
   * not sent, and the gap goes up with {@code droppedThroughSeq} as always.
   */
  private Prepared reusable(Lane lane, long acked) {
    Prepared again = retry;
    if (again != null && again.lane() == lane) {
      retry = null;
      if (again.afterSeq() == acked && again.encoding() == encoding && again.budget() <= nextBudget
          && stillFirst(again)) {
        nextBudget = (int) Math.min(maxBudget(), 2L * again.budget()); // as if it were read now
        return again;
      }
    }
    return null;
  }

  private boolean stillFirst(Prepared b) {
    long first = reader.withHandle(h -> h.createQuery(OutboxTables.of(b.lane()).firstSeqAfter)
        .bind(0, b.afterSeq()).mapTo(Long.class).findOne().orElse(-1L));
    return first == b.fromSeq();
  }

  /**
   * Waits for the answers of batches sent behind one that was not acknowledged: each may still have
   * been applied, and its acknowledgement counts (the cloud's cursor is the truth either way).
   */
  private void settle(Lane lane, ArrayDeque<Sent> window) throws InterruptedException {
    long best = -1;
    for (Sent s; (s = window.poll()) != null; ) {
      try {
        HttpResponse<byte[]> r = await(s.response());
        if (r.statusCode() == 200) {
          best = Math.max(best, json.readTree(r.body()).path("cursor").asLong(-1));
        }
      } catch (LinkDown | IOException e) {
        log.debug("site={} lane={} a batch behind a refused one got no answer: {}", site, lane, e.getMessage());
      }
    }
    if (best > 0) {
      recordAck(lane, best);
    }
  }

  /**
   * A 409: the cloud's cursor is not where this batch starts. Takes {@code expectedFromSeq} as the
   * lane's acknowledged point, unless it is older than a 200 of this drain already named
   * ({@code confirmed}: the 409 overtook its predecessor's answer).
   */
  private void resumeAfterGap(Lane lane, HttpResponse<byte[]> r, long confirmed) throws IOException {
    LaneProgress p = lanes.get(lane);
    long expected = json.readTree(r.body()).path("expectedFromSeq").asLong(-1);
    if (expected < 1) {
      throw new IllegalStateException("409 without expectedFromSeq: " + new String(r.body()));
    }
    if (expected - 1 < confirmed) {
      // answered before an earlier batch of this window committed: stale, go on from what was confirmed
      log.debug("site={} lane={} a batch overtook its predecessor; resending from {}", site, lane, confirmed);
      p.acked = Math.max(p.acked, confirmed);
    } else if (expected - 1 > p.acked) {
      log.info("site={} lane={} cloud holds up to {} (site had {} acknowledged): catching up", site, lane,
          expected - 1, p.acked);
      recordAck(lane, expected - 1);
    } else {
      log.warn("site={} lane={} cloud holds only up to {} (site had {} acknowledged): resending from there", site,
          lane, expected - 1, p.acked);
      p.acked = expected - 1;
    }
  }

  /**
   * A 413 of a batch of more than one event: the next batches get half its budget and at most half
   * its events; a 413 that did not name the cloud's largest batch (a proxy's limit) teaches the
   * refused batch's size as that largest.
   */
  private void shrinkAfterTooLarge(Lane lane, Prepared refused, boolean namedMaxBatch) {
    if (!namedMaxBatch) {
      cloudMaxBatch = cloudMaxBatch > 0 ? Math.min(cloudMaxBatch, refused.jsonBytes()) : refused.jsonBytes();
    }
    nextBudget = Math.max(MIN_BUDGET, Math.min(maxBudget(), refused.budget() / 2));
    eventCap = Math.max(1, refused.events() / 2);
    log.warn("site={} lane={} the cloud refused a batch of {} events, {} bytes, as too large (413); sending them"
        + " again in batches of at most {} bytes", site, lane, refused.events(), refused.jsonBytes(), maxBudget());
  }

  /**
   * As {@link #settle(Lane, ArrayDeque)} behind an answer that ends the window, then records the
   * acknowledgement of the drain still pending ({@code pendingAck}, -1: none).
   */
  private void settle(Lane lane, ArrayDeque<Sent> window, long pendingAck) throws InterruptedException {
    settle(lane, window);
    if (pendingAck >= 0) {
      recordAck(lane, pendingAck);
    }
  }

  private void refused(Lane lane, int status, String problem) {
    LaneProgress p = lanes.get(lane);
    p.brokenReason = status + " " + problem;
    p.brokenUntil = clock.instant().plus(settings.brokenRetry());
    log.error("site={} lane={} UPLINK STOPPED: the cloud refused a batch ({} {}); the lane waits for an operator and"
        + " probes again in {}", site, lane, status, problem, settings.brokenRetry());
  }

  private void recordAck(Lane lane, long seq) {
    writer.write(ctx -> ctx.sql().update(
        "UPDATE outbox_head SET acked_seq = ? WHERE lane = ? AND acked_seq < ?", seq, lane.name(), seq));
    LaneProgress p = lanes.get(lane);
    p.acked = Math.max(p.acked, seq);
    if (p.brokenReason != null && p.brokenUntil == null) {
      log.info("site={} lane={} uplink flows again", site, lane);
      p.brokenReason = null;
    }
  }

  private CompletableFuture<HttpResponse<byte[]>> send(Prepared b) {
    HttpRequest req = HttpRequest.newBuilder(link.uri("events"))
        .timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json")
        .header("Content-Encoding", b.encoding().header())
        .POST(HttpRequest.BodyPublishers.ofByteArray(b.body()))
        .build();
    return link.http().sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> f) throws LinkDown, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw new LinkDown(c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()), c);
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    }
  }

  /**
   * Reads the lane's events after {@code afterSeq} up to the byte budget ({@link #nextBudget}, then
   * doubled) and writes them as one compressed JSON {@code UplinkBatchV1}, straight from the result
   * set: each body's stored bytes go inlined ({@link UplinkBatchWriter}), never turned into a
   * string, and the batch is compressed whole ({@link BatchCompressor}). Null when there are none.
   */
  private Prepared prepare(Lane lane, long afterSeq) {
    return prepare(lane, afterSeq, null);
  }

  /** As above; {@code afterBusinessSeq} goes into the batch (see {@link UplinkBatchWriter#start}). */
  private Prepared prepare(Lane lane, long afterSeq, Long afterBusinessSeq) {
    adoptZstdOnceLoaded();
    try (Handle h = reader.open()) {
      Connection c = h.getConnection();
      try (PreparedStatement ps = c.prepareStatement(OutboxTables.of(lane).readRange)) {
        ps.setLong(1, afterSeq);
        ps.setLong(2, durableThrough.applyAsLong(lane)); // never send what a power cut could still take
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          long from = rs.getLong(1);
          if (from != afterSeq + 1 && lane != Lane.TELEMETRY) {
            throw new IllegalStateException("site " + site + " lane " + lane + " has no event " + (afterSeq + 1)
                + " (next is " + from + "): the outbox lost events the cloud has not acknowledged");
          }
          int budget = Math.min(nextBudget, maxBudget()); // the cloud may have named its largest batch since
          UplinkEncoding coding = encoding;
          long raw = 0;
          long last;
          int n = 0;
          UplinkBatchWriter w = new UplinkBatchWriter(compressor.jsonBuffer());
          w.start(site, lane.name(), from, rs.getString(5), from != afterSeq + 1 ? from - 1 : null, afterBusinessSeq);
          do {
            long seq = rs.getLong(1);
            byte[] body = rs.getBytes(4);
            w.event(seq, rs.getBytes(2), rs.getBytes(3), body, rs.getBytes(6));
            raw += body.length + 200;
            last = seq;
            n++;
          } while (raw < budget && n < eventCap && rs.next());
          w.end();
          byte[] compressed = compressor.compress(coding, w.array(), w.length());
          nextBudget = (int) Math.min(maxBudget(), 2L * budget);
          return new Prepared(lane, afterSeq, from, last, n, compressed, raw, w.length(), coding, budget);
        }
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot read the outbox of site " + site, e);
    }
  }

  /** Per lane: events not acknowledged, the age of the oldest of them, telemetry dropped for the budget. */
  public Map<Lane, HeartbeatV1.LaneBacklog> backlog() {
    Instant now = clock.instant();
    return reader.withHandle(h -> {
      Map<Lane, OutboxStore.LaneState> state = new OutboxStore(json).state(h);
      long dropped = h.createQuery("SELECT value FROM sync_state WHERE key = ?").bind(0, DROPPED_KEY)
          .mapTo(String.class).findOne().map(Long::parseLong).orElse(0L);
      Map<Lane, HeartbeatV1.LaneBacklog> out = new EnumMap<>(Lane.class);
      state.forEach((lane, s) -> {
        long age = 0;
        if (s.depth() > 0) {
          String oldest = s.oldestUnsentAt() != null ? s.oldestUnsentAt() : h.createQuery(
                  OutboxTables.of(lane).firstAtAfter)
              .bind(0, s.ackedSeq()).mapTo(String.class).findOne().orElse(null);
          age = oldest == null ? 0 : Math.max(0, Duration.between(Instant.parse(oldest), now).toSeconds());
        }
        out.put(lane, new HeartbeatV1.LaneBacklog(s.depth(), age, lane == Lane.TELEMETRY ? dropped : 0));
      });
      return out;
    });
  }

  /** For the status page: the backlog and how each lane is doing. */
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    backlog().forEach((lane, b) -> {
      LaneProgress p = lanes.get(lane);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("state", p.brokenReason != null ? "REFUSED" : p.sending ? "SENDING" : b.depth() > 0 ? "WAITING" : "IDLE");
      m.put("depth", b.depth());
      m.put("oldestAgeSeconds", b.oldestAgeSeconds());
      m.put("dropped", b.dropped());
      m.put("eventsSent", p.eventsSent);
      m.put("batchesSent", p.batchesSent);
      m.put("lastAckAt", p.lastAckAt == null ? null : p.lastAckAt.toString());
      m.put("refusal", p.brokenReason);
      out.put(lane.name(), m);
    });
    return out;
  }

  @Override
  public void close() {
    running = false;
    Sent ahead = telemetryAhead;
    if (ahead != null) {
      ahead.response().cancel(true);
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
