package io.tms.api.feed;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the change log from growing without end. A row can go once two things hold: a newer row
 * of the same record exists (a snapshot only ever sends the latest one), and it is more than
 * {@link FeedSettings#maxLag()} revs below the head — a site that far behind takes a snapshot
 * (see {@link ChangeFeed}), so no site will ever ask for that row as a change. The latest row of
 * every record stays forever: it is what a new site's snapshot is made of.
 *
 * <p>Runs in the background on every replica; a transaction-scoped advisory lock lets one of them
 * work at a time. Deletes in slices so that no transaction holds many row locks. Tests call
 * {@link #prune()} instead of waiting for the schedule. Thread-safe.
 */
public final class FeedPruner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FeedPruner.class);
  /** pg_try_advisory_xact_lock key of this job ("tms" feed pruning). */
  static final long LOCK_KEY = 0x746d73_0010_0001L;
  private static final int SLICE = 5_000;

  private final Jdbi jdbi;
  private final long maxLag;
  private final Duration interval;
  private ScheduledExecutorService scheduler;

  public FeedPruner(Jdbi jdbi, FeedSettings settings, Duration interval) {
    this.jdbi = jdbi;
    this.maxLag = settings.maxLag();
    this.interval = interval;
  }

  /** Starts the schedule (nothing when the interval is 0). */
  public synchronized FeedPruner start() {
    if (!interval.isZero() && scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "feed-pruner");
        t.setDaemon(true);
        return t;
      });
      long ms = interval.toMillis();
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          long gone = prune();
          if (gone > 0) {
            log.info("change log: {} superseded rows pruned", gone);
          }
        } catch (RuntimeException e) {
          log.warn("change log pruning failed; the next run retries", e);
        }
      }, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * Deletes superseded rows more than {@code maxLag} revs below the head; returns how many, or -1
   * when another replica holds the job.
   */
  public long prune() {
    long total = 0;
    while (true) {
      long deleted = jdbi.inTransaction(h -> {
        boolean mine = h.createQuery("SELECT pg_try_advisory_xact_lock(:key)").bind("key", LOCK_KEY)
            .mapTo(Boolean.class).one();
        if (!mine) {
          return -1L;
        }
        long head = h.createQuery("SELECT rev FROM feed_head WHERE id = 1").mapTo(Long.class).one();
        return (long) h.createUpdate("""
                DELETE FROM change_log WHERE rev IN (
                  SELECT c.rev FROM change_log c
                  WHERE c.rev <= :cutoff
                    AND EXISTS (SELECT 1 FROM change_log n
                                WHERE n.entity = c.entity AND n.key = c.key
                                  AND n.site_code IS NOT DISTINCT FROM c.site_code AND n.rev > c.rev)
                  ORDER BY c.rev LIMIT :slice)""")
            .bind("cutoff", head - maxLag)
            .bind("slice", SLICE)
            .execute();
      });
      if (deleted < 0) {
        return total == 0 ? -1 : total;
      }
      total += deleted;
      if (deleted < SLICE) {
        return total;
      }
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
