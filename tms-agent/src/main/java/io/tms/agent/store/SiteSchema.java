package io.tms.agent.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The site database's schema: Flyway migrates it ({@code db/agent}), but only when there is
 * something to migrate. A restart of a site that is already at {@link #LATEST} — almost every start
 * of an agent in service — reads one row of Flyway's history table and never loads Flyway, whose
 * ~420 classes the agent would otherwise carry for its whole life (with an AOT cache, every class
 * of the training run is loaded at start; docs/runbooks/agent-jvm.md). A new site, an upgrade, a
 * failed migration or a database newer than this build all go through Flyway as before, which
 * migrates, or refuses with its own error.
 */
final class SiteSchema {
  /** The highest migration in {@code db/agent} ({@code SiteSchemaTest} keeps the two equal). */
  static final int LATEST = 8;

  private SiteSchema() {}

  /** Brings the database at {@code source} to {@link #LATEST}; true if Flyway had to run. */
  static boolean migrate(DataSource source) {
    if (current(source)) {
      return false;
    }
    Flyway.configure()
        .dataSource(source)
        .locations("classpath:db/agent")
        .load()
        .migrate();
    return true;
  }

  /** Whether every migration up to {@link #LATEST}, and none after it, is applied, none failed. */
  static boolean current(DataSource source) {
    try (Connection c = source.getConnection(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery(
          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'flyway_schema_history'")) {
        if (!rs.next()) {
          return false;
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT SUM(CASE WHEN success THEN 0 ELSE 1 END), "
          + "MAX(CASE WHEN success THEN CAST(version AS INTEGER) END) "
          + "FROM flyway_schema_history WHERE version IS NOT NULL")) {
        return rs.next() && rs.getLong(1) == 0 && rs.getLong(2) == LATEST && !rs.wasNull();
      }
    } catch (SQLException e) {
      return false; // let Flyway look at it and say what is wrong
    }
  }
}
