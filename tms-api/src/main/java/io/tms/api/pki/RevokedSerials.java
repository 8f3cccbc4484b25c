package io.tms.api.pki;

import io.tms.api.feed.FeedNotifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's copy of the revoked serials, checked on every edge request. A dedicated connection
 * LISTENs on {@link SiteCertificates#CHANNEL}; a revocation committed by any replica notifies it and
 * the set is re-read, so a revoked site is refused everywhere within a notification's delay. While
 * the listener is down the set is re-read every second (and once on reconnect): revocation never
 * waits for a restart. Thread-safe (the set is replaced, never changed).
 */
final class RevokedSerials implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RevokedSerials.class);

  private final Supplier<Set<String>> reader;
  private final FeedNotifier.Connector connector;
  private final Thread thread;
  private volatile Set<String> revoked;
  private volatile boolean running = true;

  RevokedSerials(Supplier<Set<String>> reader, FeedNotifier.Connector connector) {
    this.reader = reader;
    this.connector = connector;
    this.revoked = reader.get();
    this.thread = Thread.ofPlatform().daemon().name("pki-revocation-listener").start(this::run);
  }

  /** Re-reads now (the replica that revoked does not wait for its own notification). */
  void refresh() {
    revoked = reader.get();
  }

  boolean contains(String serial) {
    return revoked.contains(serial);
  }

  private void run() {
    while (running) {
      try (Connection c = connector.open()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + SiteCertificates.CHANNEL);
        }
        revoked = reader.get(); // revocations committed while nobody listened
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notes = pg.getNotifications(1_000);
          if (notes != null && notes.length > 0) {
            revoked = reader.get();
            log.info("revocation heard for site(s) {}; {} serial(s) revoked", notes[0].getParameter(), revoked.size());
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          break;
        }
        log.warn("revocation listener lost its connection, re-reading and reconnecting: {}", e.toString());
        try {
          Thread.sleep(1_000);
          revoked = reader.get();
        } catch (InterruptedException ie) {
          break;
        } catch (RuntimeException again) {
          log.warn("revoked serials cannot be re-read: {}", again.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
