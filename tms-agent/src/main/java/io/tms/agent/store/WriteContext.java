package io.tms.agent.store;

import io.tms.protocol.v1.InstantText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * What a unit of work sees inside the writer's transaction: the handle (and plain JDBC over the same
 * connection), the transaction's clock reading, and places to put effects that may only happen once
 * the work is committed (metrics, cache refreshes, on the writer thread) or on disk (what others outside
 * the process may act on). Not thread-safe: it lives on the writer thread.
 */
public final class WriteContext {
  private final Handle handle;
  private final PreparedSql sql;
  private final Instant now;
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final List<Runnable> afterDurable = new ArrayList<>();
  private final List<Runnable> onRollback = new ArrayList<>();
  private final Map<Object, Consumer<PreparedSql>> beforeCommit;
  private final DurableOutbox durableOutbox;
  private final WriterMemory memory;
  private boolean handleTaken;
  private String nowText;

  WriteContext(Handle handle, PreparedSql sql, Instant now, Map<Object, Consumer<PreparedSql>> beforeCommit,
      DurableOutbox durableOutbox, WriterMemory memory) {
    this.handle = handle;
    this.sql = sql;
    this.now = now;
    this.beforeCommit = beforeCommit;
    this.durableOutbox = durableOutbox;
    this.memory = memory;
  }

  /** What the writer keeps in memory of the state only it changes (for the stores). */
  WriterMemory memory() {
    return memory;
  }

  /** The writer's record of how far each outbox lane is on disk (for the outbox). */
  DurableOutbox durableOutbox() {
    return durableOutbox;
  }

  /**
   * The Jdbi handle on the writer's connection. What is written through it bypasses the stores, so
   * taking it drops the writer's memory of reserves, cards, books and loads ({@link WriterMemory}):
   * now, and again if this unit rolls back. The load cycle uses {@link #sql()} only.
   */
  public Handle handle() {
    memory.forget();
    if (!handleTaken) {
      handleTaken = true;
      onRollback(memory::forget);
    }
    return handle;
  }

  /** Plain JDBC over the same connection and transaction as {@link #handle()}, for the hot path. */
  public PreparedSql sql() {
    return sql;
  }

  /** The time of this unit of work, from the agent's clock. */
  public Instant now() {
    return now;
  }

  /** {@link #now()} as stored ({@code Instant.toString()}), made once per unit. */
  public String nowText() {
    if (nowText == null) {
      nowText = InstantText.format(now);
    }
    return nowText;
  }

  /** Runs {@code effect} after the transaction commits; dropped if this unit of work rolls back. */
  public void afterCommit(Runnable effect) {
    afterCommit.add(effect);
  }

  List<Runnable> afterCommitEffects() {
    return afterCommit;
  }

  /**
   * Runs {@code effect} once the transaction is on disk — after the commit and the WAL's fsync that
   * covers it (see {@link WriteQueue}), on the queue's sync thread, just before the unit's caller
   * hears its answer. For what lets others act on the change outside this process (the uplink reads
   * the outbox only up to what is durable). Dropped if this unit rolls back. Must be cheap.
   */
  public void afterDurable(Runnable effect) {
    afterDurable.add(effect);
  }

  List<Runnable> afterDurableEffects() {
    return afterDurable;
  }

  /**
   * Runs {@code undo} if this run of the unit does not commit (it failed, its whole batch did, or
   * another unit of its batch failed and the batch runs again — see {@link WriteQueue}): for state
   * kept beside the database, such as a cache of what the transaction wrote. Undo effects run latest
   * first, of this unit and across the units of a failed batch.
   */
  public void onRollback(Runnable undo) {
    onRollback.add(undo);
  }

  /**
   * Runs {@code flush} once, inside the transaction, just before the writer commits the batch this
   * unit is part of; {@code owner} names it, so that many units asking for the same flush get one.
   * For state kept beside the database during a batch (the outbox heads, the site's counters) that
   * needs writing once per commit rather than once per unit. A flush that throws fails the batch.
   */
  public void beforeCommit(Object owner, Consumer<PreparedSql> flush) {
    beforeCommit.putIfAbsent(owner, flush);
  }

  /** The undo effects latest first, as an undo log: each restores what its unit found. */
  List<Runnable> rollbackEffects() {
    return onRollback.reversed();
  }
}
