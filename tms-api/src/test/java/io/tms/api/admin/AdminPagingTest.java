package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.api.admin.AdminClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyset pages cover every row exactly once, for single and composite keys. */
class AdminPagingTest {
  private Cloud cloud;
  private AdminClient client;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    client = new AdminClient(cloud);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void pagesCoverEveryCustomerOnceInKeyOrder() {
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < 37; i++) {
      String id = "C" + Integer.toString(i * 7919 % 1000, 36);
      ids.add(id);
      assertThat(client.post("/v1/customers", "{\"id\": \"" + id + "\", \"name\": \"n\"}").status()).isEqualTo(201);
    }
    for (int limit : new int[] {1, 5, 36, 37, 50}) {
      List<String> seen = client.all("/v1/customers", limit).stream().map(n -> n.get("id").asText()).toList();
      assertThat(seen).as("limit " + limit).hasSize(37).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    }
    Reply first = client.get("/v1/customers?limit=37");
    assertThat(first.json().get("next").isNull()).as("no next after the last row").isTrue();
    Reply defaults = client.get("/v1/customers");
    assertThat(defaults.json().get("items")).hasSize(37);
  }

  @Test
  void liftingPagesFollowTheCompositeKey() {
    client.post("/v1/sites", "{\"code\": \"HOU1\", \"name\": \"Houston\", \"zone\": \"America/Chicago\"}");
    List<String> keys = new ArrayList<>();
    for (String p : List.of("RUG", "ULSD", "JET")) {
      client.post("/v1/products", "{\"code\": \"" + p + "\", \"name\": \"" + p + "\", \"commodityGroup\": \"AUTO\"}");
    }
    for (int c = 0; c < 4; c++) {
      client.post("/v1/customers", "{\"id\": \"C" + c + "\", \"name\": \"n\"}");
      for (String p : List.of("RUG", "ULSD", "JET")) {
        assertThat(client.put("/v1/sites/HOU1/liftings/C" + c + "/" + p, null, null).status()).isEqualTo(201);
        keys.add("C" + c + "/" + p);
      }
    }
    for (int limit : new int[] {1, 2, 5, 12}) {
      List<JsonNode> items = client.all("/v1/sites/HOU1/liftings", limit);
      List<String> seen = items.stream()
          .map(n -> n.get("customerId").asText() + "/" + n.get("productCode").asText())
          .collect(Collectors.toList());
      assertThat(seen).as("limit " + limit).hasSize(12).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(keys);
    }
    assertThat(client.get("/v1/sites/HOU1/liftings?limit=2").json().get("next").asText()).isEqualTo("C0/RUG");
  }
}
