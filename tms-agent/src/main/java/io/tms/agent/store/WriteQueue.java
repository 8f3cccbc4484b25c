package io.tms.agent.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's single writer, with group commit. Callers hand it units of work and block until their
 * work is durable. The writer thread takes every unit waiting (up to {@code maxBatch}), runs them
 * in one transaction — a unit that throws is rolled back alone ({@link #runBatch}) — and commits
 * once: one fsync for the whole group instead of one per request. State that stores keep beside the
 * database between commits (outbox heads, counters) is written once per batch, just before the
 * commit ({@link WriteContext#beforeCommit}).
 *
 * <p>The fsync is pipelined: SQLite commits with {@code synchronous=NORMAL} (the WAL frames are
 * written, not yet flushed) and the writer goes on with the next batch at once, while a second
 * thread, {@code site-sync}, flushes the WAL ({@link WalSync}) and only then answers the batch's
 * callers and runs its {@link WriteContext#afterDurable} effects. One flush covers every batch
 * committed before it started, so durability is not weakened — nobody hears "done" before their
 * commit is on disk — but the writer no longer idles for the disk between batches. A later batch
 * can only be on disk with the earlier ones (the WAL is replayed in order up to its first torn
 * frame), and answers go out in commit order. What is committed but not yet flushed is visible to
 * the site's own readers for the length of one fsync; the uplink reads the outbox only up to what is
 * durable ({@link DurableOutbox}).
 *
 * <p>Serializing all writes also makes races simple: two terminals racing for the last of a reserve
 * or the same bay are decided in order, exactly one wins. Thread-safe; {@link #write} may be called
 * from any thread, the work itself runs on the writer thread only.
 */
public final class WriteQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);

  private final Handle handle;
  private final PreparedSql sql;
  private final Clock clock;
  private final int maxBatch;
  private final BlockingQueue<Task<?>> queue;
  private final Thread thread;
  private final Durability wal;
  private final WalCheckpointer checkpointer;
  private final BlockingQueue<Committed> committed = new LinkedBlockingQueue<>();
  private final Thread syncThread;
  private final DurableOutbox durableOutbox = new DurableOutbox();
  private final WriterMemory memory = new WriterMemory();
  private volatile boolean running = true;
  private volatile Timings timings = Timings.NONE;

  // Visible for metrics: how many commits and units so far.
  private volatile long commits;
  private volatile long units;

  /**
   * {@code handle} and {@code sql} are over the same connection, in auto-commit mode: the queue
   * opens and ends the transactions itself.
   */
  WriteQueue(Handle handle, PreparedSql sql, Clock clock, int maxBatch, String siteCode, Durability wal,
      WalCheckpointer checkpointer) {
    this.handle = handle;
    this.sql = sql;
    this.clock = clock;
    this.maxBatch = maxBatch;
    this.wal = wal;
    this.checkpointer = checkpointer;
    this.queue = new ArrayBlockingQueue<>(Math.max(1024, maxBatch * 8));
    this.thread = Thread.ofPlatform().name("site-writer-" + siteCode).daemon(false).unstarted(this::loop);
    this.syncThread = Thread.ofPlatform().name("site-sync-" + siteCode).daemon(false).unstarted(this::syncLoop);
    this.syncThread.start();
    this.thread.start();
  }

  /**
   * Runs {@code work} in the site's write transaction and returns its result once committed.
   * Exceptions thrown by the work are rethrown here (unchecked ones as they are).
   */
  public <T> T write(Function<WriteContext, T> work) {
    Task<T> task = new Task<>(work);
    try {
      if (!running) {
        throw new IllegalStateException("site writer is closed");
      }
      queue.put(task);
      return task.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the site writer", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Where the time of each unit and flush goes is reported to {@code timings} from now on. */
  public void timings(Timings timings) {
    this.timings = timings;
  }

  /** How far each outbox lane appended through this writer is on disk (what the uplink may read). */
  public DurableOutbox durableOutbox() {
    return durableOutbox;
  }

  public long commits() {
    return commits;
  }

  public long units() {
    return units;
  }

  public int queued() {
    return queue.size();
  }

  private void loop() {
    List<Task<?>> batch = new ArrayList<>(maxBatch);
    while (running || !queue.isEmpty()) {
      try {
        Task<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        long started = System.nanoTime();
        for (Task<?> t : batch) {
          t.startedAt = started;
        }
        runBatch(batch);
        checkpointer.committed();
        checkpointer.restartIfLong(handle.getConnection(), queue.isEmpty());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        log.error("site writer failed a batch of {}", batch.size(), e);
        for (Task<?> t : batch) {
          t.result.completeExceptionally(e);
        }
      } finally {
        batch.clear();
      }
    }
    for (Task<?> t; (t = queue.poll()) != null; ) {
      t.result.completeExceptionally(new IllegalStateException("site writer is closed"));
    }
    committed.add(Committed.END);
  }

  /**
   * The sync thread: flushes the WAL once for every batch committed since the last flush began,
   * then answers those batches in commit order. If the flush fails, their callers get the error
   * (the work is committed but not known to be on disk; a retry with the same idempotency key gets
   * the stored answer), and the next flush tries again.
   */
  private void syncLoop() {
    List<Committed> pending = new ArrayList<>();
    boolean end = false;
    while (!end) {
      try {
        pending.add(committed.take());
        committed.drainTo(pending);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (pending.getLast() == Committed.END) {
        pending.removeLast();
        end = true;
      }
      IOException failure = null;
      if (!pending.isEmpty()) {
        try {
          long flushing = System.nanoTime();
          wal.sync();
          timings.flush(System.nanoTime() - flushing);
        } catch (IOException e) {
          log.error("site writer could not flush the WAL; {} batches answered with the error", pending.size(), e);
          failure = e;
        }
      }
      Timings t = timings;
      for (Committed c : pending) {
        c.answer(failure, t);
      }
      pending.clear();
    }
    wal.close();
  }

  /**
   * Runs a batch in one transaction. Units rarely fail, so the batch first runs without a SAVEPOINT
   * per unit (two statements fewer per unit); if a unit does throw, the whole transaction is rolled
   * back, every unit's undo effects run, and the batch runs again with a SAVEPOINT per unit, so the
   * failing unit is rolled back alone. Units are plain functions of the database and of state whose
   * changes they register as undo effects, so running one twice before a commit is safe; a single
   * unit's batch needs no second run at all.
   */
  private void runBatch(List<Task<?>> batch) {
    if (!runOptimistically(batch)) {
      runWithSavepoints(batch);
    }
  }

  /** Returns false if a unit of a batch of several failed: nothing committed, every undo ran. */
  private boolean runOptimistically(List<Task<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    List<WriteContext> contexts = new ArrayList<>(batch.size());
    Map<Object, Consumer<PreparedSql>> beforeCommit = new LinkedHashMap<>();
    sql.update("BEGIN IMMEDIATE");
    try {
      for (Task<?> task : batch) {
        WriteContext ctx = new WriteContext(handle, sql, clock.instant(), beforeCommit, durableOutbox, memory);
        contexts.add(ctx);
        try {
          results.add(task.work.apply(ctx));
        } catch (RuntimeException | Error e) {
          sql.update("ROLLBACK");
          undo(contexts);
          if (batch.size() > 1) {
            return false;
          }
          complete(task, new Failure(e));
          return true;
        }
      }
      commit(beforeCommit);
    } catch (RuntimeException | Error e) {
      rollbackQuietly(e);
      undo(contexts);
      throw e;
    }
    finish(batch, contexts, results);
    return true;
  }

  private void runWithSavepoints(List<Task<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    List<WriteContext> contexts = new ArrayList<>(batch.size());
    // Plain statements, compiled once: through the JDBC transaction API sqlite-jdbc compiles each
    // BEGIN/SAVEPOINT/RELEASE anew and opens a second, empty transaction after every commit.
    WriteContext current = null;
    Map<Object, Consumer<PreparedSql>> beforeCommit = new LinkedHashMap<>();
    sql.update("BEGIN IMMEDIATE");
    try {
      for (Task<?> task : batch) {
        WriteContext ctx = new WriteContext(handle, sql, clock.instant(), beforeCommit, durableOutbox, memory);
        current = ctx;
        sql.update("SAVEPOINT unit");
        Object result;
        try {
          result = task.work.apply(ctx);
        } catch (RuntimeException | Error e) {
          sql.update("ROLLBACK TO unit");
          sql.update("RELEASE unit");
          current = null;
          runAll(ctx.rollbackEffects(), "rollback");
          results.add(new Failure(e));
          contexts.add(null);
          continue;
        }
        sql.update("RELEASE unit");
        results.add(result);
        contexts.add(ctx);
        current = null;
      }
      commit(beforeCommit);
    } catch (RuntimeException | Error e) {
      rollbackQuietly(e);
      if (current != null) {
        runAll(current.rollbackEffects(), "rollback");
      }
      undo(contexts);
      throw e;
    }
    finish(batch, contexts, results);
  }

  private void commit(Map<Object, Consumer<PreparedSql>> beforeCommit) {
    for (Consumer<PreparedSql> flush : beforeCommit.values()) {
      flush.accept(sql);
    }
    sql.update("COMMIT");
  }

  private void rollbackQuietly(Throwable cause) {
    try {
      sql.update("ROLLBACK");
    } catch (RuntimeException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  /** Undoes the units latest first, as an undo log: each unit's undo restores what it found. */
  private static void undo(List<WriteContext> contexts) {
    for (WriteContext ctx : contexts.reversed()) {
      if (ctx != null) {
        runAll(ctx.rollbackEffects(), "rollback");
      }
    }
  }

  /** After the commit: the after-commit effects here, the answers once the sync thread has flushed. */
  private void finish(List<Task<?>> batch, List<WriteContext> contexts, List<Object> results) {
    commits++;
    units += batch.size();
    long committedAt = System.nanoTime();
    for (Task<?> t : batch) {
      t.committedAt = committedAt;
    }
    timings.batch(batch.size(), committedAt - batch.getFirst().startedAt);
    List<Runnable> afterDurable = new ArrayList<>();
    for (WriteContext ctx : contexts) {
      if (ctx != null) {
        runAll(ctx.afterCommitEffects(), "after-commit");
        afterDurable.addAll(ctx.afterDurableEffects());
      }
    }
    committed.add(new Committed(List.copyOf(batch), results, afterDurable));
  }

  private static void runAll(List<Runnable> effects, String kind) {
    for (Runnable effect : effects) {
      try {
        effect.run();
      } catch (RuntimeException e) {
        log.warn("{} effect failed", kind, e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> task, Object result) {
    if (result instanceof Failure f) {
      task.result.completeExceptionally(f.error);
    } else {
      task.result.complete((T) result);
    }
  }

  /** Stops taking work, finishes (and answers) what is queued, and closes the handle. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
      syncThread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handle.close();
    sql.close();
  }

  private record Failure(Throwable error) {}

  /**
   * Where the writer's time goes, for the agent's metrics: per unit, its wait in the queue, its
   * batch's run to the commit and the wait for the flush that made it durable; per batch, its size
   * and run time; per flush, its time. Called on the writer's threads: must be quick and not throw.
   */
  public interface Timings {
    Timings NONE = new Timings() {
      @Override
      public void unit(long queuedNanos, long committingNanos, long flushingNanos) {}

      @Override
      public void batch(int units, long runNanos) {}

      @Override
      public void flush(long nanos) {}
    };

    /** A unit answered after its flush: nanoseconds queued, from its batch's start to the commit, then to the answer. */
    void unit(long queuedNanos, long committingNanos, long flushingNanos);

    /** A batch committed: its units and its nanoseconds from start to commit. */
    void batch(int units, long runNanos);

    /** One flush (fsync of the WAL) took {@code nanos}. */
    void flush(long nanos);
  }

  /** What makes committed work durable: {@link WalSync} (tests put a gate in front of it). */
  interface Durability extends AutoCloseable {
    /** Returns once everything committed before the call is on disk. */
    void sync() throws IOException;

    @Override
    void close();
  }

  /** A committed batch waiting for the flush that makes it durable. */
  private record Committed(List<Task<?>> tasks, List<Object> results, List<Runnable> afterDurable) {
    static final Committed END = new Committed(List.of(), List.of(), List.of());

    void answer(IOException flushFailure, Timings timings) {
      if (flushFailure == null) {
        runAll(afterDurable, "after-durable");
      }
      long now = System.nanoTime();
      for (Task<?> t : tasks) {
        timings.unit(t.startedAt - t.queuedAt, t.committedAt - t.startedAt, now - t.committedAt);
      }
      for (int i = 0; i < tasks.size(); i++) {
        Object result = results.get(i);
        if (flushFailure != null && !(result instanceof Failure)) {
          result = new Failure(new UncheckedIOException("committed, but the WAL could not be flushed", flushFailure));
        }
        complete(tasks.get(i), result);
      }
    }
  }

  private static final class Task<T> {
    final Function<WriteContext, T> work;
    final CompletableFuture<T> result = new CompletableFuture<>();
    final long queuedAt = System.nanoTime();
    // set by the writer thread; read by the sync thread after the hand-over through its queue
    long startedAt;
    long committedAt;

    Task(Function<WriteContext, T> work) {
      this.work = work;
    }
  }
}
