package io.tms.api;

import io.tms.api.pki.EdgeSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The cloud service's configuration, validated at start-up with errors that name the key. Built
 * from command-line options, which default to {@code TMS_*} environment variables.
 *
 * @param dbUrl a PostgreSQL JDBC URL ({@code jdbc:postgresql://host:5432/tms}); {@code null} starts
 *     an embedded PostgreSQL whose data lives in {@code dataDir}
 * @param dataDir where the embedded PostgreSQL keeps its cluster (unused with {@code dbUrl})
 * @param dbPoolSize connections in the pool of this replica
 * @param edge the edge channel: the mTLS listener and its CA, or (dev only) plain edge routes
 */
public record CloudConfig(
    String httpHost,
    int httpPort,
    String dbUrl,
    String dbUser,
    String dbPassword,
    Path dataDir,
    int dbPoolSize,
    int maxBodyBytes,
    EdgeSettings edge) {

  public static final int DEFAULT_PORT = 9090;

  /** Without an edge setting: no mTLS listener and no edge routes ({@link #withEdge} adds them). */
  public CloudConfig(String httpHost, int httpPort, String dbUrl, String dbUser, String dbPassword, Path dataDir,
      int dbPoolSize, int maxBodyBytes) {
    this(httpHost, httpPort, dbUrl, dbUser, dbPassword, dataDir, dbPoolSize, maxBodyBytes, EdgeSettings.disabled());
  }

  public CloudConfig {
    Objects.requireNonNull(edge, "edge must be set");
    Objects.requireNonNull(httpHost, "http.host must be set");
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("http.port must be 0-65535 (was " + httpPort + ")");
    }
    if (dbUrl == null) {
      Objects.requireNonNull(dataDir, "data must be set when no db-url is given (embedded PostgreSQL)");
    } else if (!dbUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("db-url must be a jdbc:postgresql: URL (was " + dbUrl + ")");
    }
    if (dbPoolSize < 2 || dbPoolSize > 200) {
      throw new IllegalArgumentException("db.pool-size must be 2-200 (was " + dbPoolSize + ")");
    }
    if (maxBodyBytes < 64 * 1024) {
      throw new IllegalArgumentException("http.max-body-bytes must be >= 65536 (was " + maxBodyBytes + ")");
    }
  }

  /** Embedded PostgreSQL in {@code dataDir}, default port and pool. */
  public static CloudConfig embedded(Path dataDir) {
    return new CloudConfig("0.0.0.0", DEFAULT_PORT, null, null, null, dataDir, 16, 32 * 1024 * 1024);
  }

  /** Any PostgreSQL by URL. */
  public static CloudConfig external(String dbUrl, String user, String password) {
    return new CloudConfig("0.0.0.0", DEFAULT_PORT, dbUrl, user, password, null, 16, 32 * 1024 * 1024);
  }

  public CloudConfig withHttp(String host, int port) {
    return new CloudConfig(host, port, dbUrl, dbUser, dbPassword, dataDir, dbPoolSize, maxBodyBytes, edge);
  }

  public CloudConfig withEdge(EdgeSettings edge) {
    return new CloudConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, dataDir, dbPoolSize, maxBodyBytes, edge);
  }

  /**
   * Serves the edge routes in plain HTTP on the admin port, no client certificates: for tests,
   * benchmarks and local dev only ({@code TMS_EDGE_PLAINTEXT=true}).
   */
  public CloudConfig withEdgePlaintext() {
    return withEdge(edge.withPlaintext(true));
  }

  public CloudConfig withPoolSize(int size) {
    return new CloudConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, dataDir, size, maxBodyBytes, edge);
  }

  public boolean embeddedDatabase() {
    return dbUrl == null;
  }

  /** The settings an operator sees in the start-up log (never the password). */
  public Map<String, Object> describe() {
    return Map.of(
        "http", httpHost + ":" + httpPort,
        "db", dbUrl == null ? "embedded PostgreSQL in " + dataDir : dbUrl,
        "dbPoolSize", dbPoolSize,
        "maxBodyBytes", maxBodyBytes,
        "edge", edge.describe());
  }
}
