package io.tms.agent;

import io.tms.agent.store.IdempotencyStore;
import io.tms.agent.store.WriteQueue;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic chores of a site, driven by {@link #tick(Instant)} so tests call it directly: forgets
 * idempotency answers older than the retention (retries come within minutes; a day is ample).
 * Runs through the writer like any other change. Thread-safe (stateless apart from its settings).
 */
public final class Housekeeping {
  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

  private final WriteQueue writer;
  private final Duration idempotencyRetention;
  private final String siteCode;
  private final IdempotencyStore idempotency = new IdempotencyStore();

  public Housekeeping(WriteQueue writer, Duration idempotencyRetention, String siteCode) {
    this.writer = writer;
    this.idempotencyRetention = idempotencyRetention;
    this.siteCode = siteCode;
  }

  /** Does what is due at {@code now}; returns the number of idempotency answers forgotten. */
  public int tick(Instant now) {
    int purged = writer.write(ctx -> idempotency.purge(ctx.handle(), now.minus(idempotencyRetention)));
    if (purged > 0) {
      log.info("site={} housekeeping purged {} idempotency answers older than {}", siteCode, purged,
          idempotencyRetention);
    }
    return purged;
  }
}
