package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Flyway runs when the site's schema needs it, and only then. */
class SiteSchemaTest {
  private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.+\\.sql");

  @Test
  void latestIsTheHighestMigrationShipped() throws IOException, URISyntaxException {
    Path dir = Path.of(SiteSchema.class.getResource("/db/agent").toURI());
    int highest;
    try (Stream<Path> files = Files.list(dir)) {
      highest = files.map(p -> MIGRATION.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .mapToInt(m -> Integer.parseInt(m.group(1)))
          .max().orElseThrow();
    }
    assertThat(SiteSchema.LATEST).isEqualTo(highest);
  }

  @Test
  void aNewSiteIsMigratedAndARestartSkipsFlyway(@TempDir Path dir) {
    SQLiteDataSource ds = source(dir);
    assertThat(SiteSchema.current(ds)).isFalse();
    assertThat(SiteSchema.migrate(ds)).isTrue();
    assertThat(SiteSchema.current(ds)).isTrue();
    assertThat(SiteSchema.migrate(ds)).isFalse();
  }

  @Test
  void aSiteOnAnOlderSchemaIsMigrated(@TempDir Path dir) {
    SQLiteDataSource ds = source(dir);
    Flyway.configure().dataSource(ds).locations("classpath:db/agent").target(String.valueOf(SiteSchema.LATEST - 1))
        .load().migrate();
    assertThat(SiteSchema.current(ds)).isFalse();
    assertThat(SiteSchema.migrate(ds)).isTrue();
    assertThat(SiteSchema.current(ds)).isTrue();
  }

  @Test
  void aFailedOrNewerMigrationInTheHistoryIsLeftToFlyway(@TempDir Path dir) {
    SQLiteDataSource ds = source(dir);
    SiteSchema.migrate(ds);
    Jdbi jdbi = Jdbi.create(ds);
    jdbi.useHandle(h -> h.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = ?",
        String.valueOf(SiteSchema.LATEST)));
    assertThat(SiteSchema.current(ds)).isFalse();

    jdbi.useHandle(h -> {
      h.execute("UPDATE flyway_schema_history SET success = 1");
      h.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
          + "installed_by, execution_time, success) SELECT MAX(installed_rank) + 1, ?, 'from a newer build', 'SQL', "
          + "'V99__newer.sql', 0, 'test', 0, 1 FROM flyway_schema_history", String.valueOf(SiteSchema.LATEST + 1));
    });
    assertThat(SiteSchema.current(ds)).isFalse();
  }

  private static SQLiteDataSource source(Path dir) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve(SiteDatabase.FILE_NAME));
    return ds;
  }
}
