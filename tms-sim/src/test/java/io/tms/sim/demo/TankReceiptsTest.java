package io.tms.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.security.SeedTerminals;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedData;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.store.MasterDataStore;
import io.tms.domain.masterdata.Tank;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's tank scheduler against a real agent: every tank of a site without books opens at
 * 60–80 % of its capacity, and a tank drawn below a third is refilled to 85 % by one receipt.
 */
class TankReceiptsTest {
  @TempDir Path dir;

  @Test
  void tanks_open_with_stock_and_a_low_tank_is_refilled_once() throws Exception {
    SeedData seed = DemoSeed.generate("TR1", SeedProfile.SMALL, LocalDate.now(DemoSeed.ZONE));
    // the site's master data as the cloud's feed would leave it: tanks without a book
    try (Agent agent = Agent.start(AgentConfig.of("TR1", dir.resolve("site")).withHttp("127.0.0.1", 0),
        Clock.systemUTC(), ctx -> {
          DemoSeed.apply(ctx, new MasterDataStore(), seed);
          ctx.handle().execute("DELETE FROM tank_inventory");
        });
        SiteRun site = new SiteRun(seed, 1, dir.resolve("run"), agent.port(), 9, "unused", (s, d, p, c) -> List.of(),
            Map.of())) {
      DemoHttp http = new DemoHttp();
      http.authorize(site.base, SeedTerminals.SIMULATOR_SECRET);
      TankReceipts receipts = new TankReceipts(http, 1);

      assertThat(receipts.open(List.of(site))).singleElement().asString()
          .startsWith("site TR1: 10 tanks opened with 60-80 % of their capacity");
      Map<String, Double> capacity = new java.util.HashMap<>();
      for (Tank t : seed.tanks()) {
        capacity.put(t.id(), t.capacityGallons());
      }
      for (JsonNode t : tanks(http, site)) {
        double fill = t.get("bookNetGallons").asDouble() / capacity.get(t.get("id").asText());
        assertThat(fill).as(t.toString()).isBetween(0.60, 0.80);
      }
      // opening again (a retry after a lost answer) opens nothing twice
      receipts.open(List.of(site));
      long openings = agent.database().reader().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM inventory_movement WHERE reason = 'OPENING'").mapTo(Long.class).one());
      assertThat(openings).isEqualTo(10L);

      // loads took TK-101 down to 10 %: the next tick refills it to 85 %, the others are left alone
      double cap = capacity.get("TK-101");
      agent.database().writer().write(ctx -> ctx.handle().execute(
          "UPDATE tank_inventory SET book_net_gal = ? WHERE tank_id = 'TK-101'", cap * 0.10));
      List<String> events = receipts.tick(List.of(site), System.nanoTime());
      assertThat(events).singleElement().asString().startsWith("TR1: ").contains("into TK-101", "down to 10 %");
      JsonNode tk101 = tanks(http, site).get(0);
      assertThat(tk101.get("id").asText()).isEqualTo("TK-101");
      assertThat(tk101.get("bookNetGallons").asDouble() / cap).isBetween(0.849, 0.851);
      assertThat(receipts.receipts("TR1")).isEqualTo(1);
      assertThat(receipts.lowestFill("TR1")).isBetween(0.099, 0.101);
      String event = agent.database().reader().<String, RuntimeException>withHandle(h -> h.createQuery(
          "SELECT body FROM outbox WHERE type = 'inventory.moved.v1' AND body LIKE '%\"RECEIPT\"%'")
          .mapTo(String.class).one());
      assertThat(event).contains("\"tankId\":\"TK-101\"", "\"reference\":\"TR1-R11\"");

      // a full tank gets nothing more
      assertThat(receipts.tick(List.of(site), System.nanoTime() + 2_000_000_000L)).isEmpty();
      assertThat(receipts.receipts("TR1")).isEqualTo(1);
    }
  }

  private static JsonNode tanks(DemoHttp http, SiteRun site) throws Exception {
    return http.get(site.base.resolve("v1/tanks")).expect(200, "tanks").json();
  }
}
