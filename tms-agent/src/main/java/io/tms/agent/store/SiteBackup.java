package io.tms.agent.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.Lane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;

/**
 * Online backup and restore of a site's SQLite file, safe while the agent runs.
 *
 * <p>A backup is {@code VACUUM INTO} on a separate read-only connection: one read transaction, so
 * the copy is a consistent snapshot of the last commit, and in WAL mode it never blocks the writer
 * (loads go on). Unlike the page-by-page backup API it never restarts when the site writes during
 * the copy, and the copy comes out compacted. It is written to a temporary file, checked
 * ({@code PRAGMA integrity_check} and the outbox hash chain), fsynced and only then renamed to its
 * name, so a backup file that exists is complete.
 *
 * <p>A restore refuses a data directory that already holds a site database (a restore never
 * overwrites a site by accident), checks the backup the same way, and puts it in place atomically.
 * Stateless and thread-safe.
 */
public final class SiteBackup {
  private SiteBackup() {}

  /** What a backup or a restore checked: per lane the number of events and that the chain verifies. */
  public record Checked(Path file, long bytes, String site, long bols, List<OutboxStore.ChainCheck> lanes) {
    public boolean ok() {
      return lanes.stream().allMatch(OutboxStore.ChainCheck::ok);
    }
  }

  /** Copies the site database in {@code dataDir} to {@code target} while the site may be running. */
  public static Checked backup(Path dataDir, Path target) {
    Path source = dataDir.resolve(SiteDatabase.FILE_NAME).toAbsolutePath();
    if (!Files.isRegularFile(source)) {
      throw new IllegalArgumentException("data: no " + SiteDatabase.FILE_NAME + " in " + dataDir);
    }
    if (Files.exists(target)) {
      throw new IllegalArgumentException("to: " + target + " already exists");
    }
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve(target.getFileName() + ".partial");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(tmp);
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(10_000);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source, config.toProperties());
           Statement s = c.createStatement()) {
        s.executeUpdate("VACUUM INTO '" + tmp.toString().replace("'", "''") + "'");
      }
      Checked checked = check(tmp);
      if (!checked.ok()) {
        throw new IllegalStateException("backup of " + source + " does not verify: " + checked.lanes());
      }
      fsync(tmp);
      move(tmp, target);
      fsync(dir);
      return new Checked(target, checked.bytes(), checked.site(), checked.bols(), checked.lanes());
    } catch (SQLException e) {
      throw new IllegalStateException("backup of " + source + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("backup to " + target + " failed", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: a leftover .partial is never taken for a backup
      }
    }
  }

  /**
   * Puts {@code backup} in place as the site database of {@code dataDir}, which must not hold one
   * yet. The agent must not be running on {@code dataDir}.
   */
  public static Checked restore(Path backup, Path dataDir) {
    if (!Files.isRegularFile(backup)) {
      throw new IllegalArgumentException("from: no backup file " + backup);
    }
    Path target = dataDir.resolve(SiteDatabase.FILE_NAME);
    for (String suffix : List.of("", "-wal", "-shm")) {
      if (Files.exists(dataDir.resolve(SiteDatabase.FILE_NAME + suffix))) {
        throw new IllegalArgumentException(
            "data: " + dataDir + " already holds a site database; restore into an empty directory");
      }
    }
    Checked checked = check(backup);
    if (!checked.ok()) {
      throw new IllegalArgumentException("from: " + backup + " does not verify: " + checked.lanes());
    }
    Path tmp = dataDir.resolve(SiteDatabase.FILE_NAME + ".restoring");
    try {
      Files.createDirectories(dataDir);
      Files.copy(backup, tmp, StandardCopyOption.REPLACE_EXISTING);
      fsync(tmp);
      move(tmp, target);
      fsync(dataDir.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("restore into " + dataDir + " failed", e);
    }
    return new Checked(target, checked.bytes(), checked.site(), checked.bols(), checked.lanes());
  }

  /** Integrity check and outbox hash chain of a (closed) site database file. */
  public static Checked check(Path file) {
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = DriverManager.getConnection(url, config.toProperties())) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        if (!"ok".equals(rs.getString(1))) {
          throw new IllegalArgumentException(file + " is damaged: " + rs.getString(1));
        }
      }
      Jdbi jdbi = Jdbi.create(c);
      OutboxStore outbox = new OutboxStore(new ObjectMapper()); // reads only: the mapper is not used
      return jdbi.withHandle(h -> {
        List<OutboxStore.ChainCheck> lanes = new ArrayList<>();
        for (Lane lane : Lane.values()) {
          lanes.add(verifyKept(h, outbox, lane));
        }
        String site = h.createQuery("SELECT code FROM site").mapTo(String.class).findFirst().orElse(null);
        long bols = h.createQuery("SELECT count(*) FROM bol").mapTo(Long.class).one();
        return new Checked(file, Files.size(file), site, bols, List.copyOf(lanes));
      });
    } catch (SQLException e) {
      throw new IllegalArgumentException(file + " is not a site database: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Walks the events the site still keeps: from seq 1 (genesis) or, once acknowledged events were
   * pruned, from the oldest kept one, whose predecessor must be acknowledged (telemetry: or dropped
   * over its byte budget, see {@link OutboxRetention}). Seqs must run without
   * a gap up to the lane's last seq and every hash must chain.
   */
  static OutboxStore.ChainCheck verifyKept(Handle h, OutboxStore outbox, Lane lane) {
    long acked = h.createQuery("SELECT coalesce(max(acked_seq), 0) FROM outbox_head WHERE lane = :lane")
        .bind("lane", lane.name()).mapTo(Long.class).one();
    long last = h.createQuery("SELECT coalesce(max(last_seq), 0) FROM outbox_head WHERE lane = :lane")
        .bind("lane", lane.name()).mapTo(Long.class).one();
    String prev = null;
    long expected = -1;
    long events = 0;
    final int page = 5_000;
    long after = 0;
    while (true) {
      List<OutboxStore.Event> batch = outbox.read(h, lane, after, page);
      for (OutboxStore.Event e : batch) {
        if (prev == null) {
          boolean gapAllowed = lane == Lane.TELEMETRY || e.seq() - 1 <= acked; // telemetry over budget is dropped
          if (e.seq() == 1 ? !e.prevHash().equals(EventHash.GENESIS) : !gapAllowed) {
            return new OutboxStore.ChainCheck(lane, 0, false,
                "first kept seq " + e.seq() + " does not follow an acknowledged event (acked " + acked + ")");
          }
          prev = e.prevHash();
          expected = e.seq();
        }
        if (e.seq() != expected) {
          return new OutboxStore.ChainCheck(lane, events, false, "seq " + expected + " missing (found " + e.seq() + ")");
        }
        if (!e.prevHash().equals(prev)) {
          return new OutboxStore.ChainCheck(lane, events, false, "seq " + e.seq() + " does not chain to its predecessor");
        }
        String hash = EventHash.next(prev, lane, e.seq(), e.type(), e.occurredAt(), e.body());
        if (!hash.equals(e.hash())) {
          return new OutboxStore.ChainCheck(lane, events, false, "seq " + e.seq() + " hash mismatch");
        }
        prev = hash;
        expected++;
        events++;
        after = e.seq();
      }
      if (batch.size() < page) {
        break;
      }
    }
    if (prev != null && expected - 1 != last) {
      return new OutboxStore.ChainCheck(lane, events, false, "events end at seq " + (expected - 1) + ", head says " + last);
    }
    return new OutboxStore.ChainCheck(lane, events, true, null);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void fsync(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        ch.force(true);
      }
    } else {
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
  }
}
