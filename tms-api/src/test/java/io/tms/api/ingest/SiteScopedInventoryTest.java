package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.Cloud;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import io.tms.protocol.v1.Lane;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two sites both have a tank T1 and report movements and gauge readings of it: each site's
 * inventory in the cloud is its own tank's, never the other's.
 */
class SiteScopedInventoryTest {
  private Cloud cloud;
  private URI base;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    base = URI.create("http://127.0.0.1:" + cloud.port());
    cloud.database().jdbi().useHandle(h -> h.execute("""
        INSERT INTO site (code, name, zone) VALUES ('HOU1', 'Houston', 'America/Chicago'),
                                                   ('DAL2', 'Dallas', 'America/Chicago')"""));
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void the_same_tank_id_at_two_sites_keeps_two_books() throws Exception {
    UplinkClientFake houston = new UplinkClientFake("HOU1", Lane.BUSINESS, TestAuth.adminToken(cloud));
    for (int i = 1; i <= 3; i++) {
      houston.load(i, "CUSTA", "RUL87");
    }
    houston.gauge("T1", 80_000);
    UplinkClientFake dallas = new UplinkClientFake("DAL2", Lane.BUSINESS, TestAuth.adminToken(cloud));
    dallas.load(1, "CUSTB", "RUL87");
    dallas.gauge("T1", 40_000);
    for (UplinkClientFake site : new UplinkClientFake[] {houston, dallas}) {
      HttpResponse<String> r = site.post(base, site.batch(1, site.events.size()), true);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    JsonNode hou = tank(houston, "HOU1", "T1");
    assertThat(hou.get("bookNetGallons").asDouble()).isEqualTo(100_000 - 2985.0 * 3);
    assertThat(hou.get("gaugeNetGallons").asDouble()).isEqualTo(80_000);
    JsonNode dal = tank(dallas, "DAL2", "T1");
    assertThat(dal.get("bookNetGallons").asDouble()).isEqualTo(100_000 - 2985.0);
    assertThat(dal.get("gaugeNetGallons").asDouble()).isEqualTo(40_000);
  }

  private JsonNode tank(UplinkClientFake client, String site, String tankId) throws Exception {
    JsonNode inventory = new ObjectMapper().readTree(client.get(base, "/v1/sites/" + site + "/inventory").body());
    for (JsonNode t : inventory.get("tanks")) {
      if (t.get("tankId").asText().equals(tankId)) {
        return t;
      }
    }
    throw new AssertionError("no tank " + tankId + " in " + inventory);
  }
}
