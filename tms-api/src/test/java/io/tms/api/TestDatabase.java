package io.tms.api;

import io.tms.api.store.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL cluster per test JVM (durability on, as in production), and a fresh
 * database in it per caller: starting a cluster costs seconds, creating a database milliseconds.
 * The cluster stops when the JVM exits.
 */
public final class TestDatabase {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static EmbeddedDatabase cluster;

  private TestDatabase() {}

  /** A JDBC URL of a new, empty database (user {@code postgres}, no password). */
  public static synchronized String freshUrl() {
    if (cluster == null) {
      try {
        Path dir = Files.createTempDirectory("tms-test-pg");
        cluster = EmbeddedDatabase.start(dir, 0);
        EmbeddedDatabase started = cluster;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          started.close();
          deleteTree(dir); // a cluster is ~1.3 GB; left behind, test runs fill the disk
        }, "test-pg-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String name = "t" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(), "postgres", null);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return "jdbc:postgresql://localhost:" + cluster.port() + "/" + name;
  }

  /** Jdbi on a database of the test cluster (user {@code postgres}, no password). */
  public static org.jdbi.v3.core.Jdbi jdbi(String url) {
    return org.jdbi.v3.core.Jdbi.create(() -> DriverManager.getConnection(url, "postgres", null));
  }

  /** A cloud configuration on a fresh database, HTTP on a free loopback port. */
  public static CloudConfig freshCloudConfig() {
    // edge routes in plain HTTP on the admin port (dev/test only): the tests of the feed, uplink and
    // fleet talk to them directly; the mTLS edge listener has its own tests (io.tms.api.pki)
    return CloudConfig.external(freshUrl(), "postgres", null).withHttp("127.0.0.1", 0).withEdgePlaintext();
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("test database: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
