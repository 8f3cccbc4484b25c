package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.TestDatabase;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * V17: ANALYZE keeps statistics on the columns the BOL queries filter and sort on, and computes
 * none for a BOL's line arrays or a telemetry block's payload (docs/sync-protocol.md).
 */
class IngestStatisticsTest {
  @Test
  void analyzeSkipsTheLineArraysAndKeepsWhatTheQueriesUse() {
    String url = TestDatabase.freshUrl();
    Flyway.configure().dataSource(url, "postgres", null).locations("classpath:db/cloud").outOfOrder(true).load()
        .migrate();
    Jdbi jdbi = TestDatabase.jdbi(url);
    List<String> analyzed = jdbi.withHandle(h -> {
      h.execute("""
          INSERT INTO bol (number, site_code, seq, load_id, completed_at, total_gross_gal, total_net_gal,
                           customer_ids, product_codes, line_compartment, line_product_code, line_customer_id,
                           line_allocation_id, line_arm_id, line_meter_id, line_tank_id, line_preset_gal,
                           line_gross_gal, line_net_gal, line_temperature_f, line_base_density, line_api_gravity,
                           line_ctl, line_consumed_gal)
          SELECT 'HOU1-' || i, 'HOU1', i, 'L' || i, now() - i * interval '1 minute', 3000, 2990,
                 ARRAY['C' || i % 7], ARRAY['ULSD', 'RUL'], '{1,2}', '{ULSD,RUL}', ARRAY['C' || i % 7, 'C1'],
                 '{A1,A2}', '{ARM1,ARM2}', '{M1,M2}', '{TK1,TK2}', '{1500,1500}', '{1500,1500}', '{1495,1495}',
                 '{70,71}', '{850,740}', '{35,60}', '{0.995,0.994}', '{1500,1500}'
            FROM generate_series(1, 500) i""");
      h.execute("ANALYZE bol");
      return h.createQuery("SELECT attname FROM pg_stats WHERE tablename = 'bol' ORDER BY attname")
          .mapTo(String.class).list();
    });

    assertThat(analyzed).as("what the BOL queries filter and sort on")
        .contains("site_code", "completed_at", "number", "customer_ids", "product_codes");
    assertThat(analyzed).as("no statistics for the line arrays").noneMatch(c -> c.startsWith("line_"));
    List<String> zeroed = jdbi.withHandle(h -> h.createQuery("""
            SELECT attrelid::regclass || '.' || attname FROM pg_attribute
             WHERE attrelid IN ('bol'::regclass, 'telemetry_block'::regclass) AND attstattarget = 0
             ORDER BY 1""").mapTo(String.class).list());
    assertThat(zeroed).hasSize(18).contains("telemetry_block.encoded", "telemetry_block.samples",
        "telemetry_block.metrics", "bol.line_customer_id");
  }
}
