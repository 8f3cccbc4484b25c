package io.tms.agent.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the site's SQLite file: migrates it if needed ({@link SiteSchema}), then hands out the single {@link WriteQueue} and a
 * {@link Jdbi} over read-only connections. WAL lets readers run beside the writer; no answer leaves
 * before its commit's WAL frames are flushed to disk (the writer's sync thread, {@link WalSync}), so a
 * BOL a driver was given survives a power cut.
 */
public final class SiteDatabase implements AutoCloseable {
  /** SQLite's page size here (its default). */
  static final int PAGE_BYTES = 4096;
  private static final Logger log = LoggerFactory.getLogger(SiteDatabase.class);
  public static final String FILE_NAME = "site.db";

  private final Path file;
  private final HikariDataSource readers;
  private final Jdbi readJdbi;
  private final WriteQueue writer;
  private final WalCheckpointer checkpointer;

  private SiteDatabase(Path file, HikariDataSource readers, WalCheckpointer checkpointer, WriteQueue writer) {
    this.file = file;
    this.readers = readers;
    this.readJdbi = Jdbi.create(readers);
    this.checkpointer = checkpointer;
    this.writer = writer;
  }

  /** The WAL's checkpointer (tests). */
  WalCheckpointer checkpointer() {
    return checkpointer;
  }

  public static SiteDatabase open(Path dataDir, String siteCode, Clock clock, int maxWriteBatch) {
    return open(dataDir, siteCode, clock, maxWriteBatch, WalSync::new, WalCheckpointer.RESTART_FRAMES,
        WalCheckpointer.INTERVAL);
  }

  /** As {@link #open(Path, String, Clock, int)}, with what flushes the writer's commits (tests). */
  static SiteDatabase open(Path dataDir, String siteCode, Clock clock, int maxWriteBatch,
      java.util.function.Function<Path, WriteQueue.Durability> durability, int checkpointRestartFrames,
      java.time.Duration checkpointInterval) {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create data directory " + dataDir, e);
    }
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
    String url = "jdbc:sqlite:" + file;
    WalSync.flushAtOpen(file); // before any connection of ours: see WalSync

    SQLiteDataSource writerSource = new SQLiteDataSource(writerConfig());
    writerSource.setUrl(url);
    SiteSchema.migrate(writerSource);

    Connection writerConnection;
    try {
      writerConnection = writerSource.getConnection();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open " + file, e);
    }
    WalCheckpointer checkpointer;
    try {
      try (var st = writerConnection.createStatement()) {
        st.execute("PRAGMA wal_autocheckpoint = 0"); // WalCheckpointer does it beside the writer
        // A restarted WAL keeps its file up to twice its bound (what a writer that is never idle lets
        // it reach), so the WAL's frames overwrite blocks in place instead of growing the file again.
        st.execute("PRAGMA journal_size_limit = " + 2L * checkpointRestartFrames * PAGE_BYTES);
      }
      checkpointer = new WalCheckpointer(writerSource.getConnection(), siteCode, checkpointRestartFrames,
          checkpointInterval);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open " + file, e);
    }
    PreparedSql writerSql = new PreparedSql(writerConnection);
    Jdbi writeJdbi = Jdbi.create(writerConnection);
    CachedStatements statements = new CachedStatements(writerSql);
    writeJdbi.setStatementBuilderFactory(conn -> statements);
    Handle writeHandle = writeJdbi.open();

    SQLiteConfig readConfig = new SQLiteConfig();
    readConfig.setJournalMode(SQLiteConfig.JournalMode.WAL);
    readConfig.setReadOnly(true);
    readConfig.setBusyTimeout(5_000);
    SQLiteDataSource readSource = new SQLiteDataSource(readConfig);
    readSource.setUrl(url);
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(readSource);
    pool.setPoolName("site-readers-" + siteCode);
    pool.setMaximumPoolSize(4);
    pool.setMinimumIdle(1);
    pool.setReadOnly(true);
    HikariDataSource readers = new HikariDataSource(pool);

    log.info("site={} database={} journal=WAL, every answer after its commit's fsync", siteCode, file);
    return new SiteDatabase(file, readers, checkpointer, new WriteQueue(writeHandle, writerSql, clock,
        maxWriteBatch, siteCode, durability.apply(file), checkpointer));
  }

  private static SQLiteConfig writerConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL: a commit writes its WAL frames without waiting for the disk; the writer's sync thread
    // flushes the WAL before anyone hears of the commit (WriteQueue, WalSync), which is FULL's
    // guarantee without the writer idling in fsync. Checkpoints still sync in NORMAL.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(5_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // Each unit of work runs in a SAVEPOINT, for which SQLite keeps the prior content of every page
    // the unit changes in a sub-journal. On the default temp store that spills to a file in /var/tmp
    // past 64 KiB: measured at ~130 KiB of file writes per load cycle, with a temp file created and
    // unlinked per batch. In memory it is the same bytes without the syscalls. Durability is
    // unaffected: the sub-journal only serves ROLLBACK TO inside an open transaction.
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // sqlite-jdbc otherwise follows every INSERT with a regex over the SQL and a freshly compiled
    // "SELECT last_insert_rowid()", in case someone asks for generated keys. Nobody here does.
    config.setGetGeneratedKeys(false);
    return config;
  }

  public Path file() {
    return file;
  }

  public WriteQueue writer() {
    return writer;
  }

  public Jdbi reader() {
    return readJdbi;
  }

  @Override
  public void close() {
    writer.close();
    checkpointer.close();
    readers.close();
  }
}
