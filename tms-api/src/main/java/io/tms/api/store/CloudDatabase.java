package io.tms.api.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tms.api.CloudConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's PostgreSQL: the embedded server or any server by URL, a connection pool, and the
 * Flyway migrations in {@code db/cloud}. Many replicas share one database; Flyway's own lock makes
 * concurrent start-ups migrate once.
 */
public final class CloudDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CloudDatabase.class);

  private final EmbeddedDatabase embedded;
  private final HikariDataSource pool;
  private final Jdbi jdbi;

  private CloudDatabase(EmbeddedDatabase embedded, HikariDataSource pool) {
    this.embedded = embedded;
    this.pool = pool;
    this.jdbi = Jdbi.create(pool).installPlugin(new PostgresPlugin());
  }

  public static CloudDatabase open(CloudConfig config) {
    EmbeddedDatabase embedded = null;
    String url = config.dbUrl();
    String user = config.dbUser();
    String password = config.dbPassword();
    if (config.embeddedDatabase()) {
      embedded = EmbeddedDatabase.start(config.dataDir(), 0);
      url = embedded.jdbcUrl();
      user = "postgres";
      password = null;
    }
    try {
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl(url);
      hc.setUsername(user);
      hc.setPassword(password);
      hc.setMaximumPoolSize(config.dbPoolSize());
      hc.setMinimumIdle(2);
      hc.setPoolName("tms-cloud");
      // one round trip per multi-row insert; server-side prepared statements after the first uses
      hc.addDataSourceProperty("reWriteBatchedInserts", "true");
      hc.addDataSourceProperty("ApplicationName", "tms-api");
      HikariDataSource pool = new HikariDataSource(hc);
      CloudDatabase db = new CloudDatabase(embedded, pool);
      db.checkDurability();
      // out of order: a migration numbered below the database's latest (V12..V19 came after V60)
      // still runs on a cloud upgraded in place; each such migration stands on the ones below it
      Flyway.configure().dataSource(pool).locations("classpath:db/cloud").outOfOrder(true).load().migrate();
      return db;
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  /** Refuses to run on a server that could lose acknowledged commits. */
  private void checkDurability() {
    Map<String, String> settings = settings("fsync", "synchronous_commit", "server_version");
    if (!"on".equals(settings.get("fsync")) || "off".equals(settings.get("synchronous_commit"))) {
      throw new IllegalStateException("PostgreSQL durability is off (fsync=" + settings.get("fsync")
          + ", synchronous_commit=" + settings.get("synchronous_commit") + "); TMS acknowledges uplink batches only"
          + " after a durable commit and will not run on this server");
    }
    log.info("PostgreSQL {} (fsync={}, synchronous_commit={})", settings.get("server_version"), settings.get("fsync"),
        settings.get("synchronous_commit"));
  }

  /** Current values of server settings, by name. */
  public Map<String, String> settings(String... names) {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
      for (String name : names) {
        if (!name.matches("[a-z_]+")) {
          throw new IllegalArgumentException("not a setting name: " + name);
        }
        try (ResultSet rs = st.executeQuery("SHOW " + name)) {
          rs.next();
          out.put(name, rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read PostgreSQL settings", e);
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * A new connection outside the pool, for work that holds a connection for the replica's lifetime
   * (the change feed's LISTEN); {@code applicationName} shows in {@code pg_stat_activity}.
   */
  public Connection dedicatedConnection(String applicationName) throws SQLException {
    java.util.Properties props = new java.util.Properties();
    if (pool.getUsername() != null) {
      props.setProperty("user", pool.getUsername());
    }
    if (pool.getPassword() != null) {
      props.setProperty("password", pool.getPassword());
    }
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("tcpKeepAlive", "true");
    return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), props);
  }

  /** The JDBC URL in use (the embedded server's when there is one). */
  public String jdbcUrl() {
    return pool.getJdbcUrl();
  }

  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
