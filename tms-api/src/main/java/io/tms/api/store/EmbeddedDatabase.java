package io.tms.api.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL server started from the binaries on the class path (the default when no database
 * URL is configured: demo, tests, a laptop). Its cluster lives in a directory that survives restarts.
 *
 * <p>The library turns durability off by default ({@code fsync=off}, {@code synchronous_commit=off});
 * TMS turns it back on, because an acknowledged uplink batch must survive a crash of the machine,
 * and every benchmark must measure the real thing. {@link CloudDatabase} checks it after connecting.
 *
 * <p>Its buffers and checkpoints are a production server's, scaled down, not the library's
 * defaults: {@code shared_buffers} 512 MB (RDS gives a quarter of the instance's memory: 8 GB on the
 * production db.r7g.xlarge), {@code max_wal_size} 4 GB and {@code checkpoint_timeout} 15 min (the
 * Terraform parameter group sets the same). With 128 MB and 1 GB, a cloud whose tables held half a
 * million uplink events spent 29 µs of PostgreSQL CPU per event instead of 17 in {@code tms bench
 * sync}: dirty buffers evicted by the backends and checkpoints with their full-page writes inside
 * the measured window. {@code wal_buffers} 64 MB instead of the automatic 16 (a 32nd of
 * {@code shared_buffers}, at most a WAL segment): an uplink batch's COPY writes megabytes of WAL in
 * one transaction, and with two applying at once the 72 h backlog applied in 0.53-0.60 s instead of
 * 0.65-0.91 (four runs each, alternately; docs/benchmarks.md, 2026-11-27).
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts (or restarts) the cluster in {@code dir}; port 0 picks a free one. */
  public static EmbeddedDatabase start(Path dir, int port) {
    try {
      Files.createDirectories(dir);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir.resolve("pgdata"))
          .setCleanDataDirectory(false)
          .setPort(port)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on")
          .setServerConfig("max_connections", "300")
          .setServerConfig("shared_buffers", "512MB")
          .setServerConfig("max_wal_size", "4GB")
          .setServerConfig("checkpoint_timeout", "15min")
          .setServerConfig("wal_buffers", "64MB")
          .setServerConfig("timezone", "UTC")
          .start();
      return new EmbeddedDatabase(pg);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dir, e);
    }
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }
}
