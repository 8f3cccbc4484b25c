package io.tms.api.reserve;

import io.tms.domain.allocation.ReservePlan;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reserve rounds in the background, once per interval across all replicas: a replica runs a
 * round only if it moves {@code reserve_round.started_at} forward past the interval (a short
 * transaction of its own, so the replicas that lose do not wait). Inside a round every allocation
 * gets its own transaction and is skipped if another transaction holds it ({@code SKIP LOCKED}: a
 * slow round overlapping the next, or an operator's "rebalance now"). Tests call {@link #tick()}
 * instead of waiting for the schedule. Thread-safe.
 */
public final class ReserveJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReserveJob.class);

  /** What one call did: {@code round} is 0 when another replica had the turn. */
  public record RoundResult(long round, int allocations, int skipped, long grantedGallons, long askedGallons) {
    public boolean ran() {
      return round > 0;
    }
  }

  private final Jdbi jdbi;
  private final ReserveRebalancer rebalancer;
  private final ReserveStore store;
  private final Duration interval;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  public ReserveJob(Jdbi jdbi, ReserveRebalancer rebalancer, ReserveStore store, Duration interval, Clock clock) {
    this.jdbi = jdbi;
    this.rebalancer = rebalancer;
    this.store = store;
    this.interval = interval;
    this.clock = clock;
  }

  /** Starts the schedule (nothing when the interval is 0). */
  public synchronized ReserveJob start() {
    if (!interval.isZero() && scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reserve-job");
        t.setDaemon(true);
        return t;
      });
      long ms = interval.toMillis();
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          tick();
        } catch (RuntimeException e) {
          log.warn("reserve round failed; the next one retries", e);
        }
      }, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Runs a round if it is this replica's turn. */
  public RoundResult tick() {
    Optional<Long> round = jdbi.withHandle(h -> h.createQuery("""
            UPDATE reserve_round SET round = round + 1, started_at = now()
             WHERE id = 1 AND started_at <= now() - make_interval(secs => :secs)
            RETURNING round""")
        .bind("secs", interval.toMillis() / 1000.0)
        .mapTo(Long.class).findOne());
    return round.map(this::runRound).orElse(new RoundResult(0, 0, 0, 0, 0));
  }

  /** Every allocation to review, each in its own transaction, skipping those another transaction holds. */
  public RoundResult runRound(long round) {
    List<String> ids = jdbi.withHandle(h -> store.allocationsToReview(h, LocalDate.now(clock.withZone(ZoneOffset.UTC))));
    int done = 0;
    int skipped = 0;
    long granted = 0;
    long asked = 0;
    for (String id : ids) {
      Optional<ReservePlan> plan;
      try {
        plan = jdbi.inTransaction(h -> rebalancer.rebalance(h, id, true));
      } catch (RuntimeException e) {
        // one allocation's failure (e.g. a deadlock with an admin write) must not stop the others
        log.warn("allocation={} reserve round failed; the next round retries it", id, e);
        skipped++;
        continue;
      }
      if (plan.isPresent()) {
        done++;
        granted += plan.get().granted();
        asked += plan.get().asked();
      } else {
        skipped++;
      }
    }
    if (granted > 0 || asked > 0) {
      log.info("reserve round {}: {} allocations, {} skipped, granted {} gal, asked back {} gal", round, done, skipped,
          granted, asked);
    }
    return new RoundResult(round, done, skipped, granted, asked);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
  }

  @Override
  public String toString() {
    return "ReserveJob[every " + interval + "]";
  }
}
