package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.security.SeedTerminals;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cloud and a real agent with {@code --cloud}: a new site takes its master data from a
 * snapshot, and a card deactivated in the cloud is refused at the site's gate moments later.
 */
class FeedEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void a_new_site_takes_a_snapshot_and_then_refuses_a_card_the_cloud_deactivated() throws Exception {
    try (Cloud cloud = Cloud.start(CloudConfig.embedded(dir.resolve("cloud")).withHttp("127.0.0.1", 0).withEdgePlaintext())) {
      FeedSite site = new FeedSite(cloud.database().jdbi(), "HOU1");
      long head = site.create();
      AgentConfig config = AgentConfig.of("HOU1", dir.resolve("agent")).withHttp("127.0.0.1", 0)
          .withCloud(URI.create("http://127.0.0.1:" + cloud.port()));
      try (Agent agent = Agent.start(config, Clock.systemUTC(), null)) {
        String base = "http://127.0.0.1:" + agent.port();
        assertThat(agent.feed().awaitRev(head, Duration.ofSeconds(60))).as("snapshot applied").isTrue();
        assertThat(get(base + "/readyz").statusCode()).isEqualTo(200);
        assertThat(agent.feedRev()).isEqualTo(head);
        assertThat(JSON.readTree(get(base + "/v1/status").body()).get("feedRev").asLong()).isEqualTo(head);

        JsonNode approved = authorize(base);
        assertThat(approved.get("approved").asBoolean()).as(approved.toString()).isTrue();

        site.write(site.driver(false, "Dana Driver"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode decision;
        do {
          assertThat(System.nanoTime()).as("card refused before the deadline").isLessThan(deadline);
          decision = authorize(base);
        } while (decision.get("approved").asBoolean());
        assertThat(decision.get("denyCodes").toString()).contains("CARD_INACTIVE");
        assertThat(JSON.readTree(get(base + "/v1/status").body()).get("link").asText()).isEqualTo("ONLINE");
      }
    }
  }

  private JsonNode authorize(String base) throws Exception {
    String body = JSON.writeValueAsString(Map.of("cardNumber", FeedSite.CARD, "pin", FeedSite.PIN,
        "vehicleId", FeedSite.TRUCK, "compartments",
        List.of(Map.of("compartment", 1, "customerId", FeedSite.CUSTOMER, "productCode", FeedSite.PRODUCT))));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/authorizations"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + SeedTerminals.SIMULATOR_SECRET).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + SeedTerminals.SIMULATOR_SECRET).build(), HttpResponse.BodyHandlers.ofString());
  }
}
