package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.api.admin.AdminClient.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two terminals seeded the usual way both have a tank T01 and a bay B01 with arm B01-A1: the ids are
 * scoped to their site in the admin API, the tables and the change feed, and each site's feed
 * (snapshot and incremental) carries its own tanks and bays and never the other site's.
 */
class SiteScopedIdsTest {
  private Cloud cloud;
  private AdminClient client;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    client = new AdminClient(cloud);
    created(client.post("/v1/products", """
        {"code": "ULSD", "name": "Ultra-low sulfur diesel", "commodityGroup": "FUEL_OILS"}"""));
    created(client.post("/v1/products", """
        {"code": "RUL", "name": "Regular unleaded", "commodityGroup": "GASOLINES"}"""));
    for (String site : List.of("HOU1", "DAL2")) {
      created(client.post("/v1/sites", """
          {"code": "%s", "name": "Terminal %s", "zone": "America/Chicago"}""".formatted(site, site)));
    }
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void two_sites_have_the_same_tank_bay_and_arm_ids_each_with_its_own_record() {
    created(client.post("/v1/sites/HOU1/tanks", """
        {"id": "T01", "productCode": "ULSD", "capacityGallons": 50000, "baseDensityKgM3": 850.0}"""));
    created(client.post("/v1/sites/DAL2/tanks", """
        {"id": "T01", "productCode": "RUL", "capacityGallons": 30000, "baseDensityKgM3": 744.0}"""));
    created(client.post("/v1/sites/HOU1/bays", """
        {"id": "B01", "name": "Houston bay 1", "arms": [{"id": "B01-A1", "meterId": "M1", "tankByProduct": {"ULSD": "T01"}}]}"""));
    created(client.post("/v1/sites/DAL2/bays", """
        {"id": "B01", "name": "Dallas bay 1", "arms": [{"id": "B01-A1", "meterId": "M1", "tankByProduct": {"RUL": "T01"}}]}"""));

    assertThat(client.get("/v1/sites/HOU1/tanks/T01").json().get("productCode").asText()).isEqualTo("ULSD");
    assertThat(client.get("/v1/sites/DAL2/tanks/T01").json().get("productCode").asText()).isEqualTo("RUL");
    assertThat(client.get("/v1/sites/DAL2/bays/B01").json().get("name").asText()).isEqualTo("Dallas bay 1");
    assertThat(client.count("tank")).isEqualTo(2);
    assertThat(client.count("bay")).isEqualTo(2);

    // a replace and a deactivation touch their own site's row only
    Reply replaced = client.put("/v1/sites/DAL2/tanks/T01", """
        {"productCode": "RUL", "capacityGallons": 35000, "baseDensityKgM3": 745.0}""", "\"1\"");
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(client.delete("/v1/sites/DAL2/bays/B01", "\"1\"").status()).isEqualTo(200);
    assertThat(client.get("/v1/sites/HOU1/tanks/T01").json().get("capacityGallons").asDouble()).isEqualTo(50000.0);
    assertThat(client.get("/v1/sites/HOU1/tanks/T01").etag()).isEqualTo("\"1\"");
    assertThat(client.get("/v1/sites/HOU1/bays/B01").json().get("active").asBoolean()).isTrue();

    // snapshots: each site sees its own T01 and B01 (the latest version), not the other's
    JsonNode hou = feed("HOU1", 0);
    assertThat(hou.get("snapshot").asBoolean()).isTrue();
    assertThat(records(hou, "tank")).extracting(r -> r.get("siteCode").asText() + ":" + r.get("productCode").asText())
        .containsExactly("HOU1:ULSD");
    assertThat(records(hou, "bay")).extracting(r -> r.get("name").asText() + ":" + r.get("active").asBoolean())
        .containsExactly("Houston bay 1:true");
    JsonNode dal = feed("DAL2", 0);
    assertThat(records(dal, "tank")).extracting(r -> r.get("capacityGallons").asDouble()).containsExactly(35000.0);
    assertThat(records(dal, "bay")).extracting(r -> r.get("name").asText() + ":" + r.get("active").asBoolean())
        .containsExactly("Dallas bay 1:false");

    // incremental: a change to DAL2's T01 reaches DAL2 only
    long head = hou.get("rev").asLong();
    Reply again = client.put("/v1/sites/DAL2/tanks/T01", """
        {"productCode": "RUL", "capacityGallons": 36000, "baseDensityKgM3": 745.0}""", "\"2\"");
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(records(feed("HOU1", head), "tank")).isEmpty();
    assertThat(records(feed("DAL2", head), "tank")).extracting(r -> r.get("capacityGallons").asDouble())
        .containsExactly(36000.0);
  }

  @Test
  void within_one_site_a_tank_id_and_an_arm_id_are_still_unique() {
    created(client.post("/v1/sites/HOU1/tanks", """
        {"id": "T01", "productCode": "ULSD", "capacityGallons": 50000, "baseDensityKgM3": 850.0}"""));
    long rev = client.feedRev();
    Reply dup = client.post("/v1/sites/HOU1/tanks", """
        {"id": "T01", "productCode": "ULSD", "capacityGallons": 1000, "baseDensityKgM3": 850.0}""");
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.field()).isEqualTo("id");
    created(client.post("/v1/sites/HOU1/bays", """
        {"id": "B01", "name": "Bay 1", "arms": [{"id": "A1", "meterId": "M1", "tankByProduct": {"ULSD": "T01"}}]}"""));
    Reply armTaken = client.post("/v1/sites/HOU1/bays", """
        {"id": "B02", "name": "Bay 2", "arms": [{"id": "A1", "meterId": "M2", "tankByProduct": {"ULSD": "T01"}}]}""");
    assertThat(armTaken.status()).isEqualTo(409);
    assertThat(client.feedRev()).as("only the first bay was written").isEqualTo(rev + 1);
  }

  private JsonNode feed(String site, long after) {
    Reply r = client.get("/edge/v1/sites/" + site + "/changes?after=" + after + "&waitMs=0");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static List<JsonNode> records(JsonNode changes, String entity) {
    List<JsonNode> out = new ArrayList<>();
    changes.get("changes").forEach(c -> {
      if (entity.equals(c.get("record").get("entity").asText())) {
        out.add(c.get("record"));
      }
    });
    return out;
  }

  private static Reply created(Reply r) {
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r;
  }
}
