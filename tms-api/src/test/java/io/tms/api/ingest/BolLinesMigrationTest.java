package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V15 moves BOL lines into their BOL's row: a database in service (every migration up to V60
 * applied but V15 and the ingest migrations numbered after it, V16-V19; BOLs with lines in the
 * {@code bol_line} table) takes them out of order and reads the same lines through the
 * {@code bol_line} view afterwards.
 */
class BolLinesMigrationTest {
  @TempDir Path before;

  @Test
  void linesLandedBeforeV15ReadBackThroughTheViewInCompartmentOrder() throws Exception {
    try (var files = Files.list(Path.of("src/main/resources/db/cloud"))) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().matches("V1[5-9]__.*")) {
          Files.copy(f, before.resolve(f.getFileName()));
        }
      }
    }
    String url = TestDatabase.freshUrl();
    Flyway.configure().dataSource(url, "postgres", null).locations("filesystem:" + before).load().migrate();
    Jdbi jdbi = TestDatabase.jdbi(url);
    jdbi.useHandle(h -> {
      for (String n : List.of("HOU1-000001", "HOU1-000002")) {
        h.execute("INSERT INTO bol (number, site_code, seq, load_id, completed_at, total_gross_gal, total_net_gal,"
            + " customer_ids, product_codes) VALUES (?, 'HOU1', 1, 'L1', now(), 1, 1, '{}', '{}')", n);
      }
      for (int c : new int[] {3, 1}) {
        h.execute("INSERT INTO bol_line VALUES ('HOU1-000001', ?, 'HOU1', 'P' || ?, 'C' || ?, NULL, 'ARM', 'M', 'T',"
            + " ?, 1.5, 2.5, 60, 850, 35, 0.99, ?)", c, c, c, 100L * c, 90L * c);
      }
    });

    Flyway.configure().dataSource(url, "postgres", null).locations("classpath:db/cloud").outOfOrder(true).load()
        .migrate();

    jdbi.useHandle(h -> {
      List<Map<String, Object>> lines = h.createQuery("SELECT * FROM bol_line ORDER BY bol_number, compartment")
          .mapToMap().list();
      assertThat(lines).extracting(l -> l.get("bol_number")).containsOnly("HOU1-000001");
      assertThat(lines).extracting(l -> l.get("compartment")).containsExactly(1, 3);
      assertThat(lines).extracting(l -> l.get("product_code")).containsExactly("P1", "P3");
      assertThat(lines).extracting(l -> l.get("allocation_id")).containsExactly(null, null);
      assertThat(lines).extracting(l -> l.get("preset_gal")).containsExactly(100L, 300L);
      assertThat(lines).extracting(l -> l.get("consumed_gal")).containsExactly(90L, 270L);
      assertThat(lines).extracting(l -> l.get("site_code")).containsOnly("HOU1");
      assertThat(h.createQuery("SELECT cardinality(line_compartment) FROM bol WHERE number = 'HOU1-000002'")
          .mapTo(Integer.class).one()).isZero();
      assertThat(h.createQuery("SELECT to_regclass('bol_line')::text").mapTo(String.class).one()).isEqualTo("bol_line");
      assertThat(h.createQuery("SELECT count(*) FROM pg_views WHERE viewname = 'bol_line'").mapTo(Long.class).one())
          .isEqualTo(1L);
    });
  }
}
