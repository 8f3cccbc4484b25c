package io.tms.agent;

import io.tms.agent.store.IdempotencyStore;
import io.tms.agent.store.OutboxRetention;
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
  private final OutboxRetention outbox;

  public Housekeeping(WriteQueue writer, Duration idempotencyRetention, String siteCode) {
    this(writer, idempotencyRetention, siteCode, null);
  }

  /** {@code outbox} (may be null) also prunes acknowledged events and keeps telemetry in its budget. */
  public Housekeeping(WriteQueue writer, Duration idempotencyRetention, String siteCode, OutboxRetention outbox) {
    this.writer = writer;
    this.idempotencyRetention = idempotencyRetention;
    this.siteCode = siteCode;
    this.outbox = outbox;
  }

  /** Does what is due at {@code now}; returns the number of idempotency answers forgotten. */
  public int tick(Instant now) {
    int purged = writer.write(ctx -> idempotency.purge(ctx, now.minus(idempotencyRetention)));
    if (purged > 0) {
      log.info("site={} housekeeping purged {} idempotency answers older than {}", siteCode, purged,
          idempotencyRetention);
    }
    if (outbox != null) {
      OutboxRetention.Result r = writer.write(ctx -> outbox.apply(ctx, now));
      if (r.pruned() > 0) {
        log.info("site={} housekeeping pruned {} acknowledged outbox events", siteCode, r.pruned());
      }
      if (r.dropped() > 0) {
        log.warn("site={} telemetry over its byte budget: dropped the {} oldest unsent telemetry events (counted)",
            siteCode, r.dropped());
      }
    }
    return purged;
  }
}
