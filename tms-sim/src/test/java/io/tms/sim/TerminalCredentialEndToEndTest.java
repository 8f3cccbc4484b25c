package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cloud and a real agent: a terminal credential issued in the cloud's admin API works at the
 * site once the feed delivers it, what that terminal does manually reaches the cloud's copy of the
 * site's audit log with its chain intact, and a deactivation in the cloud locks the terminal out.
 */
class TerminalCredentialEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_TOKEN = io.tms.api.auth.ApiTokens.newSecret();
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void issued_in_the_cloud_used_at_the_site_audited_in_both_and_revoked_from_the_cloud() throws Exception {
    try (Cloud cloud = Cloud.start(CloudConfig.embedded(dir.resolve("cloud")).withHttp("127.0.0.1", 0)
        .withEdgePlaintext(), io.tms.api.auth.AuthConfig.defaults().withAdminToken(ADMIN_TOKEN))) {
      String cloudBase = "http://127.0.0.1:" + cloud.port();
      long head = new FeedSite(cloud.database().jdbi(), "HOU1").create();
      AgentConfig config = AgentConfig.of("HOU1", dir.resolve("agent")).withHttp("127.0.0.1", 0)
          .withCloud(URI.create(cloudBase));
      try (Agent agent = Agent.start(config, Clock.systemUTC(), null)) {
        String base = "http://127.0.0.1:" + agent.port();
        assertThat(agent.feed().awaitRev(head, Duration.ofSeconds(60))).as("snapshot applied").isTrue();

        HttpResponse<String> issued = send(HttpRequest.newBuilder(URI.create(cloudBase + "/v1/sites/HOU1/terminals")).header("Authorization", "Bearer " + ADMIN_TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"KIOSK9\",\"name\":\"Gate 9\",\"kind\":\"KIOSK\"}")));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String secret = JSON.readTree(issued.body()).get("secret").asText();

        Eventually.until("the site accepts the new terminal", Duration.ofSeconds(30),
            () -> status(base, secret) == 200);
        HttpResponse<String> unlocked = send(HttpRequest.newBuilder(URI.create(base + "/v1/cards/" + FeedSite.CARD
                + "/unlock")).header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"operator\":\"jsmith\"}")));
        assertThat(unlocked.statusCode()).as(unlocked.body()).isEqualTo(200);

        JsonNode[] audit = new JsonNode[1];
        Eventually.until("the audit entry reaches the cloud", Duration.ofSeconds(30), () -> {
          audit[0] = json(cloudBase + "/v1/sites/HOU1/audit");
          return audit[0].get("items").size() == 1;
        });
        JsonNode entry = audit[0].get("items").get(0);
        assertThat(entry.get("terminalId").asText()).isEqualTo("KIOSK9");
        assertThat(entry.get("operator").asText()).isEqualTo("jsmith");
        assertThat(entry.get("action").asText()).isEqualTo("card.unlocked");
        JsonNode verify = json(cloudBase + "/v1/sites/HOU1/audit/verify");
        assertThat(verify.get("intact").asBoolean()).isTrue();
        HttpResponse<String> local = send(HttpRequest.newBuilder(URI.create(base + "/v1/audit/verify"))
            .header("Authorization", "Bearer " + secret));
        assertThat(JSON.readTree(local.body()).get("lastHash").asText()).isEqualTo(verify.get("lastHash").asText());

        HttpResponse<String> off = send(HttpRequest.newBuilder(
            URI.create(cloudBase + "/v1/sites/HOU1/terminals/KIOSK9/deactivate")).header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(off.statusCode()).isEqualTo(200);
        Eventually.until("the site refuses the deactivated terminal", Duration.ofSeconds(30),
            () -> status(base, secret) == 401);
      }
    }
  }

  private int status(String base, String secret) {
    try {
      return send(HttpRequest.newBuilder(URI.create(base + "/v1/status")).header("Authorization", "Bearer " + secret))
          .statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A GET of the cloud's admin API, as the admin. */
  private JsonNode json(String url) {
    try {
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + ADMIN_TOKEN));
      assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
