package io.tms.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plain JDBC for the writer's hot path: SQL text and positional arguments, over one connection whose
 * prepared statements are compiled once and kept. The load cycle runs some forty small statements;
 * through Jdbi each one copied its statement configuration, looked up argument binders and row
 * mappers and wrapped the result — measured at about 40 % of the writer thread's Java time, more
 * than SQLite itself. Here a statement is a map lookup, a few {@code setX} calls and a step.
 *
 * <p>Arguments may be {@code String}, {@code Integer}, {@code Long}, {@code Double}, {@code Boolean}
 * (stored as 1/0, as Jdbi did) or {@code null}; anything else is a programming error. Failures are
 * rethrown as {@link SqlFailedException} naming the statement.
 *
 * <p>Only for the single writer connection: not thread-safe.
 */
public final class PreparedSql implements AutoCloseable {
  private static final int MAX_CACHED = 256;

  private final Connection connection;
  private final Map<String, PreparedStatement> cache = new HashMap<>();

  public PreparedSql(Connection connection) {
    this.connection = connection;
  }

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** Runs an INSERT, UPDATE, DELETE or other statement without a result; returns the rows changed. */
  public int update(String sql, Object... args) {
    return run(sql, args, PreparedStatement::executeUpdate);
  }

  /**
   * {@code insertInto} followed by {@code rows} groups of {@code (?, ?, …)} with {@code columns}
   * placeholders each: one statement for many rows (kept per row count, like any other text).
   */
  public static String multiRowInsert(String insertInto, int columns, int rows) {
    String group = "(" + "?, ".repeat(columns - 1) + "?)";
    StringBuilder sql = new StringBuilder(insertInto.length() + rows * (group.length() + 2)).append(insertInto);
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? " VALUES " : ", ").append(group);
    }
    return sql.toString();
  }

  /**
   * {@link #multiRowInsert} for 1 to {@code maxRows} rows, made once: index {@code rows} (index 0 is
   * null). A statement's text is its key in the cache, and a fresh text is a fresh string to hash.
   */
  public static String[] multiRowInserts(String insertInto, int columns, int maxRows) {
    String[] texts = new String[maxRows + 1];
    for (int rows = 1; rows <= maxRows; rows++) {
      texts[rows] = multiRowInsert(insertInto, columns, rows);
    }
    return texts;
  }

  /** The first row of the result, or empty when there is none. */
  public <T> Optional<T> first(String sql, RowReader<T> reader, Object... args) {
    return run(sql, args, ps -> {
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(reader.read(rs)) : Optional.empty();
      }
    });
  }

  /** Every row of the result, in order. */
  public <T> List<T> list(String sql, RowReader<T> reader, Object... args) {
    return run(sql, args, ps -> {
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(reader.read(rs));
        }
        return out;
      }
    });
  }

  /** Reads one row of a result, for its effect. */
  @FunctionalInterface
  public interface RowConsumer {
    void accept(ResultSet row) throws SQLException;
  }

  /** Hands every row of the result to {@code consumer}, in order, without collecting them. */
  public void forEach(String sql, RowConsumer consumer, Object... args) {
    run(sql, args, ps -> {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          consumer.accept(rs);
        }
        return null;
      }
    });
  }

  /** The first column of the first row as a long; fails when there is no row (e.g. {@code RETURNING}). */
  public long longValue(String sql, Object... args) {
    return run(sql, args, ps -> {
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no row returned");
        }
        return rs.getLong(1);
      }
    });
  }

  @FunctionalInterface
  private interface Execution<T> {
    T run(PreparedStatement ps) throws SQLException;
  }

  private <T> T run(String sql, Object[] args, Execution<T> execution) {
    try {
      PreparedStatement ps = statement(sql);
      try {
        bind(ps, sql, args);
        return execution.run(ps);
      } finally {
        if (!isCached(sql, ps)) {
          ps.close();
        }
      }
    } catch (SQLException e) {
      throw new SqlFailedException(sql, e);
    }
  }

  /** The statement for {@code sql}, compiled on first use; shared with Jdbi by {@link CachedStatements}. */
  PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = cache.get(sql);
    if (ps != null && !ps.isClosed()) {
      return ps;
    }
    ps = connection.prepareStatement(sql);
    if (cache.size() < MAX_CACHED) {
      cache.put(sql, ps);
    }
    return ps;
  }

  /** True when {@code ps} is one of the kept statements (and must not be closed after use). */
  boolean isCached(String sql, Statement ps) {
    return cache.get(sql) == ps;
  }

  private static void bind(PreparedStatement ps, String sql, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      int index = i + 1;
      switch (args[i]) {
        case null -> ps.setNull(index, Types.NULL);
        case String s -> ps.setString(index, s);
        case Long l -> ps.setLong(index, l);
        case Integer n -> ps.setInt(index, n);
        case Double d -> ps.setDouble(index, d);
        case Boolean b -> ps.setInt(index, b ? 1 : 0);
        default -> throw new IllegalArgumentException(
            "cannot bind a " + args[i].getClass().getName() + " as argument " + index + " of: " + sql);
      }
    }
  }

  @Override
  public void close() {
    for (PreparedStatement ps : cache.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // the connection is closing anyway
      }
    }
    cache.clear();
  }

  /** A statement of the writer failed; the message names it. */
  public static final class SqlFailedException extends RuntimeException {
    SqlFailedException(String sql, SQLException cause) {
      super(cause.getMessage() + " [" + sql + "]", cause);
    }
  }
}
