package io.tms.api.feed;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this replica's waiting long polls when any replica commits a change: one dedicated
 * connection (not from the pool, which would lose the LISTEN on return) LISTENs on
 * {@link ChangeLog#CHANNEL}, and one thread waits for notifications on it. PostgreSQL delivers a
 * notification only when the writing transaction commits, so a woken poll finds the change.
 *
 * <p>A waiter takes a {@link #ticket()} <em>before</em> it reads the feed and then awaits that
 * ticket: a notification that arrives between its read and its wait has already completed the
 * ticket, so it is never missed. When the listening connection drops, every waiter is woken (to
 * re-read) and the thread reconnects; while it is down, waits are cut to short polls.
 *
 * <p>Thread-safe.
 */
public final class FeedNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FeedNotifier.class);
  /** How long a wait may last while the listener is not connected: the feed degrades to polling. */
  static final long POLL_WHILE_DOWN_MILLIS = 500;
  private static final int IDLE_CHECK_MILLIS = 10_000;

  /** Opens a new connection to the cloud database. */
  @FunctionalInterface
  public interface Connector {
    Connection open() throws SQLException;
  }

  private final Connector connector;
  private final Thread thread;
  private final AtomicReference<CompletableFuture<Void>> next = new AtomicReference<>(new CompletableFuture<>());
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong heardRev = new AtomicLong();
  private final AtomicLong connects = new AtomicLong();
  private volatile boolean listening;
  private volatile boolean running = true;

  public FeedNotifier(Connector connector) {
    this.connector = connector;
    this.thread = Thread.ofPlatform().daemon().name("feed-listener").unstarted(this::run);
    this.thread.start();
  }

  /** The wake-up the next notification completes; take it before reading the feed. */
  public CompletableFuture<Void> ticket() {
    return next.get();
  }

  /**
   * Waits until {@code ticket} is completed or {@code millis} pass (less while the listener is
   * down). Returns whether it was woken.
   */
  public boolean await(CompletableFuture<Void> ticket, long millis) throws InterruptedException {
    long wait = listening ? millis : Math.min(millis, POLL_WHILE_DOWN_MILLIS);
    if (wait <= 0) {
      return ticket.isDone();
    }
    waiting.incrementAndGet();
    try {
      ticket.get(wait, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Long polls waiting right now (a gauge). */
  public int waiting() {
    return waiting.get();
  }

  /** Whether the replica is shutting down: woken waiters should answer without the database. */
  public boolean closed() {
    return !running;
  }

  /** Whether the LISTEN connection is up. */
  public boolean listening() {
    return listening;
  }

  /** How many times the listener has connected (1 after start; more after reconnects). */
  public long connects() {
    return connects.get();
  }

  /** The highest rev a notification announced. */
  public long heardRev() {
    return heardRev.get();
  }

  private void wakeAll() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }

  private void run() {
    long pause = 100;
    while (running) {
      try (Connection c = connector.open()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + ChangeLog.CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        listening = true;
        connects.incrementAndGet();
        pause = 100;
        // changes committed while nobody listened: let every waiter read again
        wakeAll();
        long idleSince = System.nanoTime();
        while (running) {
          PGNotification[] notes = pg.getNotifications(1_000);
          if (notes != null && notes.length > 0) {
            for (PGNotification n : notes) {
              heard(n.getParameter());
            }
            wakeAll();
            idleSince = System.nanoTime();
          } else if (System.nanoTime() - idleSince > TimeUnit.MILLISECONDS.toNanos(IDLE_CHECK_MILLIS)) {
            // a connection that died without a reset would otherwise wait quietly for ever
            try (Statement st = c.createStatement()) {
              st.execute("SELECT 1");
            }
            idleSince = System.nanoTime();
          }
        }
      } catch (SQLException | RuntimeException e) {
        boolean wasListening = listening;
        listening = false;
        wakeAll();
        if (!running) {
          break;
        }
        if (wasListening) {
          log.warn("feed listener lost its connection, reconnecting: {}", e.toString());
        } else {
          log.warn("feed listener cannot connect (retry in {} ms): {}", pause, e.toString());
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          break;
        }
        pause = Math.min(pause * 2, 5_000);
      } finally {
        listening = false;
      }
    }
  }

  private void heard(String payload) {
    try {
      heardRev.accumulateAndGet(Long.parseLong(payload), Math::max);
    } catch (NumberFormatException e) {
      // a foreign NOTIFY on our channel: still a reason to re-read
    }
  }

  /** Stops listening; the thread notices within a second (its wait for notifications is bounded). */
  @Override
  public void close() {
    running = false;
    thread.interrupt(); // cuts a reconnect pause short; a wait for notifications ends within a second
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    wakeAll();
  }
}
