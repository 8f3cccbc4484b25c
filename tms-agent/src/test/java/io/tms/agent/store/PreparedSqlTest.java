package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparedSqlTest {
  @TempDir Path dir;
  private Connection connection;
  private PreparedSql sql;

  @BeforeEach
  void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
    sql = new PreparedSql(connection);
    sql.update("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, amount REAL, flag INTEGER, note TEXT)");
  }

  @AfterEach
  void close() throws SQLException {
    sql.close();
    connection.close();
  }

  @Test
  void aMultiRowInsertWritesEveryRowInOneStatement() {
    String insert = PreparedSql.multiRowInsert("INSERT INTO t (id, name)", 2, 3);
    assertThat(insert).isEqualTo("INSERT INTO t (id, name) VALUES (?, ?), (?, ?), (?, ?)");
    assertThat(sql.update(insert, 1, "one", 2, "two", 3, "three")).isEqualTo(3);
    assertThat(sql.list("SELECT id || name FROM t ORDER BY id", rs -> rs.getString(1)))
        .containsExactly("1one", "2two", "3three");
  }

  @Test
  void bindsEachSupportedTypeAndReadsItBack() {
    int changed = sql.update("INSERT INTO t (id, name, amount, flag, note) VALUES (?, ?, ?, ?, ?)",
        7L, "seven", 7.5, true, null);
    sql.update("INSERT INTO t (id, name, amount, flag, note) VALUES (?, ?, ?, ?, ?)", 8, "eight", 8.25, false, "n");

    assertThat(changed).isEqualTo(1);
    assertThat(sql.first("SELECT name, amount, flag, note FROM t WHERE id = ?",
            rs -> rs.getString(1) + "|" + rs.getDouble(2) + "|" + rs.getInt(3) + "|" + rs.getString(4), 7))
        .contains("seven|7.5|1|null");
    assertThat(sql.list("SELECT id FROM t ORDER BY id", rs -> rs.getLong(1))).containsExactly(7L, 8L);
    assertThat(sql.longValue("SELECT COUNT(*) FROM t WHERE flag = ?", false)).isEqualTo(1);
  }

  @Test
  void firstIsEmptyWithoutARow() {
    assertThat(sql.first("SELECT name FROM t WHERE id = ?", rs -> rs.getString(1), 1)).isEmpty();
    assertThat(sql.list("SELECT name FROM t", rs -> rs.getString(1))).isEmpty();
  }

  @Test
  void reusesOneCompiledStatementPerSqlText() throws SQLException {
    String insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    sql.update(insert, 1, "a");
    var first = sql.statement(insert);
    sql.update(insert, 2, "b");

    assertThat(sql.statement(insert)).isSameAs(first);
    assertThat(sql.isCached(insert, first)).isTrue();
    assertThat(sql.list("SELECT name FROM t ORDER BY id", rs -> rs.getString(1))).containsExactly("a", "b");
  }

  @Test
  void aFailedStatementNamesItsSqlAndLeavesTheStatementUsable() {
    String insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    sql.update(insert, 1, "a");

    assertThatThrownBy(() -> sql.update(insert, 1, "again"))
        .isInstanceOf(PreparedSql.SqlFailedException.class)
        .hasMessageContaining("UNIQUE")
        .hasMessageContaining(insert);
    sql.update(insert, 2, "b");
    assertThat(sql.longValue("SELECT COUNT(*) FROM t")).isEqualTo(2);
  }

  @Test
  void refusesArgumentsItWouldHaveToGuessHowToStore() {
    assertThatThrownBy(() -> sql.update("INSERT INTO t (id, note) VALUES (?, ?)", 1, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.time.Instant")
        .hasMessageContaining("argument 2");
  }

  @Test
  void longValueFailsWhenNoRowComesBack() {
    assertThatThrownBy(() -> sql.longValue("SELECT id FROM t WHERE id = ?", 1))
        .isInstanceOf(PreparedSql.SqlFailedException.class)
        .hasMessageContaining("no row returned");
  }

  @Test
  void aReadLeftUnfinishedDoesNotBlockTheCommit() {
    sql.update("INSERT INTO t (id, name) VALUES (?, ?)", 1, "a");
    sql.update("INSERT INTO t (id, name) VALUES (?, ?)", 2, "b");
    sql.update("BEGIN IMMEDIATE");
    // reads only the first of two rows: the statement must be reset, or COMMIT would fail
    assertThat(sql.first("SELECT name FROM t ORDER BY id", rs -> rs.getString(1))).contains("a");
    sql.update("DELETE FROM t WHERE id = ?", 2);
    sql.update("COMMIT");

    assertThat(sql.list("SELECT name FROM t", rs -> rs.getString(1))).isEqualTo(List.of("a"));
  }
}
