package io.tms.agent.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints the site database's WAL beside the writer instead of inside its commits.
 *
 * <p>SQLite's automatic checkpoint runs in the commit that takes the WAL past 1,000 pages: that
 * commit copies ~4 MiB of pages into the database file and waits for two fsyncs, on the single
 * writer thread, while every terminal queues behind it. Here the writer's connection has the
 * automatic checkpoint off, and a thread of its own ({@code site-checkpoint}, own connection) runs a
 * PASSIVE checkpoint every {@code interval} after commits — copying and syncing while the writer goes
 * on (a checkpoint never blocks a writer; in WAL mode both may run at once).
 *
 * <p>A WAL restarts from its beginning only when a write transaction begins with every frame already
 * copied, which a checkpoint beside a busy writer never achieves: the writer appends while it copies.
 * So once the WAL has grown past {@code restartFrames}, the writer itself, between two transactions,
 * checkpoints what is left (holding the lock so the two do not contend); its next transaction then
 * restarts the WAL. Readers that still read an older snapshot can hold that back; the writer then
 * tries again after the next background pass.
 *
 * <p>That checkpoint stops every terminal for as long as it takes: it copies the frames the last
 * background pass left and syncs the database file. Two things keep it short. The background pass
 * that finds the WAL long catches up first — passes back to back until less than
 * {@link #CATCH_UP_FRAMES} are left, each copying only what the writer appended during the one before
 * — so the writer's own checkpoint has a few pages to copy and sync, not the 100 ms of writes since
 * the last pass (on the edge benchmark at 500 load cycles/s: 4–16 ms stalls, two or three a second,
 * before; 2–8 ms after, the database file's sync). And the writer takes it when its queue is empty,
 * so no request already waiting is held up by it, unless the WAL has grown to twice its bound with
 * the writer never idle.
 */
final class WalCheckpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

  /**
   * 128 MiB of WAL (4 KiB pages). Each restart stops the writer for its checkpoint, whose syncs take
   * 6–18 ms on the benchmark machine's busy disk: the bound sets how often terminals meet one. At
   * 1,000 load cycles/s a 16 MiB bound restarted about four times a second, 128 MiB about once, and
   * those restarts are still most of the writer's tail (a 5 s window: 60 of the 71 units that took
   * the writer over 5 ms waited through one; {@code tms bench edge}, docs/benchmarks.md).
   */
  static final int RESTART_FRAMES = 32768;
  static final Duration INTERVAL = Duration.ofMillis(100);
  /** What a catching-up background pass may leave for the writer's own checkpoint. */
  static final int CATCH_UP_FRAMES = 64;
  private static final int MAX_CATCH_UP_PASSES = 8;

  private final Connection own;
  private final int restartFrames;
  private final long intervalNanos;
  private final ReentrantLock checkpointing = new ReentrantLock();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean committedSince;
  // Frames in the WAL as the last checkpoint found them (its length since its last restart), and
  // how many of them it had copied into the database file.
  private volatile int walFrames;
  private volatile int copiedFrames;
  // The WAL is long and a background pass has caught up with the writer: its turn to restart it.
  private volatile boolean restartDue;
  private volatile long checkpoints;

  /** {@code own} is a read-write connection to the database, for this checkpointer only. */
  WalCheckpointer(Connection own, String siteCode, int restartFrames, Duration interval) {
    this.own = own;
    this.restartFrames = restartFrames;
    this.intervalNanos = interval.toNanos();
    this.thread = Thread.ofPlatform().name("site-checkpoint-" + siteCode).daemon(true).start(this::loop);
  }

  /** The writer committed (writer thread; cheap). */
  void committed() {
    committedSince = true;
  }

  /**
   * On the writer thread, between transactions: if the WAL has grown past {@code restartFrames} and a
   * background pass has caught up with it, checkpoints the rest on the writer's connection, so that
   * the next transaction restarts it. {@code idle}: nothing is waiting for the writer; a busy writer
   * waits for an idle moment until the WAL is twice its bound.
   */
  void restartIfLong(Connection writer, boolean idle) {
    if (!restartDue || (!idle && walFrames < 2 * restartFrames)) {
      return;
    }
    checkpointing.lock(); // at most the background pass under way
    try {
      checkpoint(writer);
      walFrames = 0; // the next background pass says how long the WAL is again
      restartDue = false;
    } finally {
      checkpointing.unlock();
    }
  }

  /**
   * Runs a background pass now (tests: no waiting for the interval). If it finds the WAL past its
   * bound, it catches up with the writer and then leaves the restart to it.
   */
  void checkpointNow() {
    checkpointing.lock();
    try {
      checkpoint(own);
      if (walFrames >= restartFrames) {
        for (int i = 0; i < MAX_CATCH_UP_PASSES && walFrames - copiedFrames > CATCH_UP_FRAMES; i++) {
          checkpoint(own);
        }
        restartDue = walFrames >= restartFrames;
      }
    } finally {
      checkpointing.unlock();
    }
  }

  /** Frames in the WAL as the last checkpoint found them (tests). */
  int walFrames() {
    return walFrames;
  }

  /** How many checkpoints ran so far (background and writer). */
  long checkpoints() {
    return checkpoints;
  }

  private void loop() {
    while (running) {
      LockSupport.parkNanos(intervalNanos);
      if (!committedSince || !running) {
        continue;
      }
      committedSince = false;
      checkpointNow();
    }
  }

  private void checkpoint(Connection c) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      if (rs.next()) {
        walFrames = rs.getInt(2);
        copiedFrames = rs.getInt(3);
      }
      checkpoints++;
    } catch (SQLException e) {
      log.warn("WAL checkpoint failed; the next pass tries again", e);
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      own.close();
    } catch (SQLException e) {
      log.warn("closing the checkpointer's connection failed", e);
    }
  }
}
