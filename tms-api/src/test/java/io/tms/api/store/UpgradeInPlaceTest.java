package io.tms.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.CloudConfig;
import io.tms.api.TestDatabase;
import io.tms.api.reserve.ReserveStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloud upgraded in place: its database was migrated by a release without V12..V19 (numbered
 * below its latest, V60), holds data, and the new release's start applies them out of order
 * without losing a row.
 */
class UpgradeInPlaceTest {
  private static final Pattern LATE = Pattern.compile("V1[2-9]__.*");

  @Test
  void the_migrations_numbered_below_the_latest_apply_on_an_existing_cloud_and_keep_its_rows(@TempDir Path old)
      throws IOException, URISyntaxException {
    Path all = Path.of(CloudDatabase.class.getResource("/db/cloud").toURI());
    List<Path> late;
    try (var files = Files.list(all)) {
      late = files.filter(p -> LATE.matcher(p.getFileName().toString()).matches()).toList();
    }
    assertThat(late).as("the migrations this test is about").isNotEmpty();
    try (var files = Files.list(all)) {
      for (Path p : files.toList()) {
        if (!LATE.matcher(p.getFileName().toString()).matches()) {
          Files.copy(p, old.resolve(p.getFileName()));
        }
      }
    }
    String url = TestDatabase.freshUrl();
    Flyway.configure().dataSource(url, "postgres", null).locations("filesystem:" + old).load().migrate();
    Jdbi jdbi = TestDatabase.jdbi(url);
    jdbi.useHandle(h -> {
      h.execute("INSERT INTO site (code, name, zone) VALUES ('HOU1', 'Houston', 'America/Chicago')");
      h.execute("""
          INSERT INTO bol (number, site_code, seq, load_id, completed_at, total_gross_gal, total_net_gal,
                           customer_ids, product_codes)
          VALUES ('HOU1-1', 'HOU1', 3, 'L1', now(), 100, 99, '{C1}', '{ULSD}')""");
      h.execute("INSERT INTO reserve_consumption (allocation_id, site_code, reference, gallons, consumed_at)"
          + " VALUES ('A1', 'HOU1', 'HOU1-1/1', 100, now())");
      h.execute("INSERT INTO reserve_account (allocation_id, site_code, consumed_total) VALUES ('A1', 'HOU1', 100)");
    });

    try (CloudDatabase db = CloudDatabase.open(CloudConfig.external(url, "postgres", null))) {
      Jdbi upgraded = db.jdbi();
      List<String> applied = upgraded.withHandle(h -> h.createQuery(
              "SELECT version FROM flyway_schema_history WHERE success AND version::int BETWEEN 12 AND 19 ORDER BY 1")
          .mapTo(String.class).list());
      assertThat(applied).hasSize(late.size());
      List<String> bols = upgraded.withHandle(h -> h.createQuery("SELECT number || ' ' || total_gross_gal FROM bol")
          .mapTo(String.class).list());
      assertThat(bols).containsExactly("HOU1-1 100");
      Map<String, Double> recent = upgraded.withHandle(h -> new ReserveStore()
          .consumedSince(h, "A1", Instant.now().minusSeconds(3_600)));
      assertThat(recent).containsEntry("HOU1", 100.0);
    }
  }
}
