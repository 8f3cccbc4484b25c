package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's own checkpoint, the one that lets the WAL restart, stops every terminal while it runs:
 * a writer with requests waiting leaves it for an idle moment, unless the WAL has grown to twice its
 * bound. Driven step by step on two connections to a real SQLite file (no background pass: its
 * interval is an hour; {@code checkpointNow} stands for it).
 */
class WalCheckpointerRestartTest {
  private static final int BOUND = 64;

  private Connection writer;
  private WalCheckpointer checkpointer;

  @BeforeEach
  void start(@TempDir Path dir) throws SQLException {
    Path file = dir.resolve("site.db");
    writer = open(file);
    checkpointer = new WalCheckpointer(open(file), "R1", BOUND, Duration.ofHours(1));
    try (Statement st = writer.createStatement()) {
      st.execute("CREATE TABLE page (body BLOB)");
    }
  }

  @AfterEach
  void stop() throws SQLException {
    checkpointer.close();
    writer.close();
  }

  @Test
  void aBusyWriterLeavesTheRestartForAnIdleMoment() throws Exception {
    commitPages(writer, 100); // one transaction: ~100 frames, past the bound, under twice it
    checkpointer.checkpointNow();
    assertThat(checkpointer.walFrames()).isBetween(BOUND, 2 * BOUND - 1);
    long passes = checkpointer.checkpoints();

    checkpointer.restartIfLong(writer, false);
    assertThat(checkpointer.checkpoints()).as("requests waiting: no checkpoint on the writer").isEqualTo(passes);

    checkpointer.restartIfLong(writer, true);
    assertThat(checkpointer.checkpoints()).as("idle: the writer checkpoints the rest").isEqualTo(passes + 1);

    commitPages(writer, 1); // begins the WAL anew
    checkpointer.checkpointNow();
    assertThat(checkpointer.walFrames()).as("only the last commit's frames").isLessThan(BOUND);
    assertThat(count(writer)).isEqualTo(101);
  }

  @Test
  void atTwiceItsBoundTheWalRestartsEvenWithRequestsWaiting() throws Exception {
    commitPages(writer, 2 * BOUND + 10);
    checkpointer.checkpointNow();
    assertThat(checkpointer.walFrames()).isGreaterThanOrEqualTo(2 * BOUND);
    long passes = checkpointer.checkpoints();

    checkpointer.restartIfLong(writer, false);
    assertThat(checkpointer.checkpoints()).isEqualTo(passes + 1);
    commitPages(writer, 1);
    checkpointer.checkpointNow();
    assertThat(checkpointer.walFrames()).isLessThan(BOUND);
  }

  @Test
  void aShortWalIsNeverCheckpointedOnTheWriter() throws Exception {
    commitPages(writer, 10);
    checkpointer.checkpointNow();
    long passes = checkpointer.checkpoints();
    checkpointer.restartIfLong(writer, true);
    assertThat(checkpointer.checkpoints()).isEqualTo(passes);
  }

  private static Connection open(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode = WAL");
      st.execute("PRAGMA wal_autocheckpoint = 0");
      st.execute("PRAGMA synchronous = NORMAL");
    }
    return c;
  }

  /** {@code rows} rows of 3,000 bytes in one transaction: a 4 KiB page each. */
  private static void commitPages(Connection c, int rows) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO page (body) VALUES (?)")) {
      for (int i = 0; i < rows; i++) {
        ps.setBytes(1, new byte[3000]);
        ps.executeUpdate();
      }
    }
    c.commit();
    c.setAutoCommit(true);
  }

  private static long count(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM page")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
