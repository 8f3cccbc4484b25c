package io.tms.agent.store;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps the writer's prepared statements for reuse. SQLite compiles a statement on every
 * {@code prepare}, and a load cycle runs some forty small statements: compiling them once instead of
 * every time takes a fifth of the writer's work away. Only for the single writer connection: not
 * thread-safe.
 */
final class CachedStatements implements StatementBuilder {
  private static final int MAX = 256;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  @Override
  public Statement create(Connection conn, StatementContext ctx) throws SQLException {
    return conn.createStatement();
  }

  @Override
  public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps != null && !ps.isClosed()) {
      ps.clearParameters();
      ps.clearBatch();
      return ps;
    }
    ps = conn.prepareStatement(sql);
    if (prepared.size() < MAX) {
      prepared.put(sql, ps);
    }
    return ps;
  }

  @Override
  public CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
    return conn.prepareCall(sql);
  }

  @Override
  public void close(Connection conn, String sql, Statement stmt) throws SQLException {
    if (stmt != null && prepared.get(sql) != stmt) {
      stmt.close();
    }
  }

  @Override
  public void close(Connection conn) {
    for (PreparedStatement ps : prepared.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // the connection is closing anyway
      }
    }
    prepared.clear();
  }
}
