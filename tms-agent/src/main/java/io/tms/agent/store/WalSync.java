package io.tms.agent.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes the writer's commits durable: {@code fdatasync} of the site database's write-ahead log.
 *
 * <p>The writer commits with {@code synchronous=NORMAL}, so SQLite writes the commit's WAL frames
 * (into the page cache) and returns without waiting for the disk; {@link WriteQueue} answers nobody
 * until this has flushed the WAL. An fsync flushes a file's dirty pages whatever descriptor wrote
 * them, so one on a descriptor of our own covers SQLite's writes made before it started. SQLite
 * keeps the WAL file (the same inode) while a connection is open — the writer's is open for the
 * agent's life — and takes no POSIX locks on it, so holding a second descriptor open is safe (closing
 * a descriptor would drop the process's locks only on the file it belongs to). In NORMAL mode SQLite
 * still syncs the WAL before each checkpoint and the database after it.
 *
 * <p>Used by the writer's sync thread only.
 */
final class WalSync implements WriteQueue.Durability {
  private final Path wal;
  private FileChannel channel;

  WalSync(Path databaseFile) {
    this.wal = databaseFile.resolveSibling(databaseFile.getFileName() + "-wal");
  }

  /**
   * Flushes the database file and the WAL as they are, before the writer takes any work: what an
   * earlier process committed and a crash left in the page cache becomes durable before the uplink
   * may send it.
   */
  static void flushAtOpen(Path databaseFile) {
    for (Path f : new Path[] {databaseFile, databaseFile.resolveSibling(databaseFile.getFileName() + "-wal")}) {
      if (!Files.exists(f)) {
        continue;
      }
      try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
        c.force(true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot flush " + f, e);
      }
    }
  }

  /** Returns once everything written to the WAL before the call is on disk. */
  @Override
  public void sync() throws IOException {
    if (channel == null) {
      try {
        channel = FileChannel.open(wal, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        throw new IOException("the site database's WAL " + wal + " does not exist after a commit", e);
      }
    }
    channel.force(false);
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing was buffered: a close error changes nothing on disk
      }
    }
  }
}
