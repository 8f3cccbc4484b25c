package io.tms.api.fleet;

import io.tms.api.http.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Admission control for uplink applies during a reconnect storm (DESIGN §3 "Reconnect"): at most K
 * sites drain at once, the others queue in arrival order. Heartbeats, the feed and the admin API
 * never pass here, so they stay fast however many sites drain.
 *
 * <p>The gate admits <em>sites</em>, not single requests: a site that got a slot keeps it while it
 * sends batch after batch (up to {@link #PER_SITE} requests at once, so that the site's next batch
 * is read and decoded while one applies; the ingest applies them in seq order), and gives it up when it has been idle for
 * {@code idleRelease}, when its heartbeat reports an empty backlog, when what passed the gate since
 * its last heartbeat covers the backlog that heartbeat reported (a site that still has more just
 * queues again), or — when others wait — after {@code maxHold}. A site keeps its place in the queue between retries (and while its heartbeats
 * report a backlog), so a site refused with 429 is not overtaken by sites that arrived later: a free
 * slot goes to the earliest queued site that is asking right now. Places and ETAs come from the
 * backlogs reported in heartbeats, less what passed the gate since, and the apply rate measured on
 * the permits.
 *
 * <p>Use: {@code try (var permit = gate.enter(site, batch.events().size())) { apply(batch); }}.
 * {@link #enter} waits up to {@code maxWait} for the site's turn, then throws a 429
 * {@link ApiException} with {@code Retry-After} and {@code place}/{@code etaSeconds}.
 *
 * <p>Thread-safe: one lock, one condition; the state is a few entries per draining site. Each cloud
 * replica has its own gate (K per replica).
 */
public final class DrainGate {
  /** Where a site stands: {@code place} 0 = may drain now; {@code etaSeconds} until caught up. */
  public record Position(int place, long etaSeconds) {}

  /** What the gate holds, for the admin API. */
  public record Snapshot(
      int slots, List<String> draining, List<String> queued, int waitingRequests, double eventsPerSecond,
      long admitted, long refused) {}

  private static final double EWMA = 0.2;
  /** Requests of one site inside the gate at once: one applying, one being read and decoded behind it. */
  public static final int PER_SITE = 2;

  private final int slots;
  private final long maxWaitNanos;
  private final long idleReleaseNanos;
  private final long maxHoldNanos;
  private final long forgetNanos;
  private final int maxWaiting;
  private final LongSupplier ticker;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Slot> active = new HashMap<>();
  private final LinkedHashMap<String, Queued> queue = new LinkedHashMap<>();
  private final Map<String, Backlog> backlogs = new HashMap<>();
  private int waitingRequests;
  private double nanosPerEvent;
  private long admitted;
  private long refused;

  public DrainGate(FleetConfig config) {
    this(config, System::nanoTime);
  }

  /** {@code ticker} (nanoseconds) drives idle release, hold and forgetting; tests move it by hand. */
  public DrainGate(FleetConfig config, LongSupplier ticker) {
    this.slots = config.drainConcurrency();
    this.maxWaitNanos = config.drainMaxWait().toNanos();
    this.idleReleaseNanos = config.drainIdleRelease().toNanos();
    this.maxHoldNanos = config.drainMaxHold().toNanos();
    this.forgetNanos = Math.max(config.offlineAfter().toNanos(), 2 * idleReleaseNanos);
    this.maxWaiting = config.drainMaxWaiting();
    this.ticker = ticker;
    this.nanosPerEvent = slots * 1e9 / config.drainInitialRate();
  }

  /**
   * Waits for the site's turn to apply a batch of {@code batchEvents} events; the permit must be
   * closed when the apply is done (or failed). Throws a 429 {@link ApiException} when the turn does
   * not come within {@code maxWait}.
   */
  public Permit enter(String site, int batchEvents) {
    long deadline = System.nanoTime() + maxWaitNanos;
    lock.lock();
    try {
      long now = ticker.getAsLong();
      expire(now);
      Slot slot = active.get(site);
      if (slot != null && slot.inUse == 0 && now - slot.grantedAt > maxHoldNanos && othersWaiting(site)) {
        active.remove(site); // held long enough while others wait: back to the end of the queue
        queue.put(site, new Queued(now));
        changed.signalAll();
        slot = null;
      }
      if (slot != null) {
        while (slot.inUse >= PER_SITE && active.get(site) == slot) { // a few requests at a time per site
          if (!await(deadline)) {
            throw refusal(site);
          }
        }
        if (active.get(site) == slot) {
          return grant(site, slot, batchEvents);
        }
      }
      Queued q = queue.computeIfAbsent(site, s -> new Queued(ticker.getAsLong()));
      q.lastSeen = now;
      if (waitingRequests >= maxWaiting && !canTake(q)) {
        throw refusal(site);
      }
      q.waiting++;
      waitingRequests++;
      try {
        while (true) {
          expire(ticker.getAsLong());
          Slot mine = active.get(site);
          if (mine != null && mine.inUse < PER_SITE) { // another request of this site got the slot, room beside it
            return grant(site, mine, batchEvents);
          }
          if (mine == null && canTake(q)) {
            queue.remove(site);
            Slot s = new Slot(ticker.getAsLong());
            active.put(site, s);
            return grant(site, s, batchEvents);
          }
          if (!await(deadline)) {
            throw refusal(site);
          }
        }
      } finally {
        q.waiting--;
        waitingRequests--;
        q.lastSeen = ticker.getAsLong();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * A heartbeat reported {@code events} not yet acknowledged: the site takes a place in the queue
   * (kept while it keeps reporting one), or leaves the gate when it has nothing left.
   */
  public void reportBacklog(String site, long events) {
    lock.lock();
    try {
      long now = ticker.getAsLong();
      backlogs.put(site, new Backlog(events));
      Slot slot = active.get(site);
      if (events > 0) {
        if (slot == null) {
          queue.computeIfAbsent(site, s -> new Queued(now)).lastSeen = now;
        }
      } else {
        Queued q = queue.get(site);
        if (q != null && q.waiting == 0) {
          queue.remove(site);
        }
        if (slot != null && slot.inUse == 0) {
          active.remove(site);
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The site's place and catch-up estimate, for the heartbeat ack and the fleet view. */
  public Position position(String site) {
    lock.lock();
    try {
      expire(ticker.getAsLong());
      double perSecond = eventsPerSecond();
      if (active.containsKey(site)) {
        return new Position(0, eta(remaining(site), perSecond / slots));
      }
      long own = remaining(site);
      if (own == 0 && !queue.containsKey(site)) {
        return new Position(0, 0);
      }
      int free = Math.max(0, slots - active.size());
      int index = 0;
      long ahead = 0;
      for (String s : active.keySet()) {
        ahead += remaining(s);
      }
      for (String s : queue.keySet()) {
        if (s.equals(site)) {
          break;
        }
        ahead += remaining(s);
        index++;
      }
      int place = index < free ? 0 : index - free + 1;
      return new Position(place, eta(place == 0 ? own : ahead + own, place == 0 ? perSecond / slots : perSecond));
    } finally {
      lock.unlock();
    }
  }

  public Snapshot snapshot() {
    lock.lock();
    try {
      expire(ticker.getAsLong());
      return new Snapshot(slots, List.copyOf(active.keySet()), new ArrayList<>(queue.keySet()), waitingRequests,
          eventsPerSecond(), admitted, refused);
    } finally {
      lock.unlock();
    }
  }

  /** Sites applying now (holding permits not yet closed). */
  public int busy() {
    lock.lock();
    try {
      return (int) active.values().stream().filter(s -> s.inUse > 0).count();
    } finally {
      lock.unlock();
    }
  }

  /** The apply rate of the whole gate, measured (events per second with K applies at once). */
  public double eventsPerSecond() {
    lock.lock();
    try {
      return slots * 1e9 / nanosPerEvent;
    } finally {
      lock.unlock();
    }
  }

  /** Held while one apply runs; closing it (once) frees the site's slot for its next batch. */
  public final class Permit implements AutoCloseable {
    private final String site;
    private final Slot slot;
    private int events;
    private final long started = System.nanoTime();
    private boolean closed;

    private Permit(String site, Slot slot, int events) {
      this.site = site;
      this.slot = slot;
      this.events = events;
    }

    public String site() {
      return site;
    }

    /**
     * How many events the apply held, when they were not known at {@link #enter} (the gate is
     * entered before the body is read, so waiting sites hold no buffers); feeds the rate estimate.
     */
    public void events(int count) {
      lock.lock();
      try {
        events = count;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      long elapsed = System.nanoTime() - started;
      lock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        slot.inUse--;
        slot.lastUsed = ticker.getAsLong();
        // with two requests of a site overlapping, each counts only the time since the other ended
        long ended = System.nanoTime();
        long own = Math.min(elapsed, ended - slot.lastClosedAt);
        slot.lastClosedAt = ended;
        if (events > 0) {
          nanosPerEvent = (1 - EWMA) * nanosPerEvent + EWMA * ((double) Math.max(1, own) / events);
          Backlog b = backlogs.get(site);
          if (b != null) {
            b.applied += events;
            if (b.applied >= b.reported && slot.inUse == 0 && active.get(site) == slot) {
              active.remove(site); // caught up with what it reported: the next site need not wait for idle release
            }
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private Permit grant(String site, Slot slot, int events) {
    slot.inUse++;
    slot.lastUsed = ticker.getAsLong();
    admitted++;
    return new Permit(site, slot, events);
  }

  /** A free slot goes to the earliest queued site asking now; {@code q} may take one if few enough ask before it. */
  private boolean canTake(Queued q) {
    int free = slots - active.size();
    if (free <= 0) {
      return false;
    }
    int askingAhead = 0;
    for (Queued other : queue.values()) {
      if (other == q) {
        break;
      }
      if (other.waiting > 0) {
        askingAhead++;
      }
    }
    return askingAhead < free;
  }

  private boolean othersWaiting(String site) {
    for (var e : queue.entrySet()) {
      if (!e.getKey().equals(site) && e.getValue().waiting > 0) {
        return true;
      }
    }
    return false;
  }

  private void expire(long now) {
    boolean any = active.values().removeIf(s -> s.inUse == 0 && now - s.lastUsed > idleReleaseNanos);
    any |= queue.values().removeIf(q -> q.waiting == 0 && now - q.lastSeen > forgetNanos);
    if (any) {
      changed.signalAll();
    }
  }

  /** Waits for a change (or a moment, to notice idle slots); false once the deadline passed. */
  private boolean await(long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    try {
      changed.awaitNanos(Math.min(left, Math.max(TimeUnit.MILLISECONDS.toNanos(10), idleReleaseNanos / 4)));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "UNAVAILABLE", null, "the cloud is stopping; retry later");
    }
  }

  private ApiException refusal(String site) {
    refused++;
    Position p = position(site); // the lock is reentrant
    long maxRetry = Math.max(1, Math.min(30, forgetNanos / 2_000_000_000L)); // come back before the place is forgotten
    long retry = p.place() == 0 ? 1 : Math.max(1, Math.min(maxRetry, p.etaSeconds() / 2));
    return new ApiException(429, "DRAIN_QUEUED", null,
        "site " + site + " is number " + p.place() + " in the drain queue; retry in " + retry + " s",
        Map.of("place", p.place(), "etaSeconds", p.etaSeconds(), "retryAfterSeconds", retry),
        Map.of("Retry-After", Long.toString(retry)));
  }

  private long remaining(String site) {
    Backlog b = backlogs.get(site);
    return b == null ? 0 : Math.max(0, b.reported - b.applied);
  }

  private static long eta(long events, double perSecond) {
    return events == 0 ? 0 : Math.max(1, (long) Math.ceil(events / perSecond));
  }

  private static final class Slot {
    final long grantedAt;
    long lastUsed;
    long lastClosedAt = Long.MIN_VALUE / 2;
    int inUse;

    Slot(long now) {
      this.grantedAt = now;
      this.lastUsed = now;
    }
  }

  private static final class Queued {
    int waiting;
    long lastSeen;

    Queued(long now) {
      this.lastSeen = now;
    }
  }

  private static final class Backlog {
    final long reported;
    long applied;

    Backlog(long reported) {
      this.reported = reported;
    }
  }
}
