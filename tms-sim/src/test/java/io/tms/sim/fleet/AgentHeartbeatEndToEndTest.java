package io.tms.sim.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.security.SeedTerminals;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.store.MasterDataStore;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.auth.ApiTokens;
import io.tms.api.auth.AuthConfig;
import io.tms.sim.fault.FaultProxy;
import io.tms.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent heartbeating to a real cloud (in this JVM, embedded PostgreSQL, loopback HTTP),
 * through the fault proxy: the fleet view shows what the agent reports, and the agent's link goes
 * offline when the proxy cuts and online again when it passes.
 */
class AgentHeartbeatEndToEndTest {
  private static final String ADMIN_TOKEN = ApiTokens.newSecret();

  private static final String SITE = "HBT1";
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void the_fleet_view_shows_what_the_agent_reports() throws Exception {
    try (Cloud cloud = Cloud.start(CloudConfig.embedded(dir.resolve("cloud")).withHttp("127.0.0.1", 0).withEdgePlaintext(),
        AuthConfig.defaults().withAdminToken(ADMIN_TOKEN))) {
      cloud.database().jdbi().useHandle(h ->
          h.execute("INSERT INTO site (code, name, zone) VALUES (?, 'Heartbeat test', 'America/Chicago')", SITE));
      try (FaultProxy proxy = FaultProxy.start("127.0.0.1", cloud.port());
          Agent agent = Agent.start(AgentConfig.of(SITE, dir.resolve("site")).withHttp("127.0.0.1", 0)
                  .withCloud(proxy.httpUri()), Clock.systemUTC(),
              ctx -> DemoSeed.apply(ctx, new MasterDataStore(),
                  DemoSeed.generate(SITE, SeedProfile.SMALL, LocalDate.now(DemoSeed.ZONE))))) {
        String detailPath = "/v1/fleet/sites/" + SITE;
        JsonNode detail = poll(cloud, detailPath, d -> "online".equals(d.path("site").path("state").asText()));
        JsonNode site = detail.get("site");
        assertThat(site.get("version").asText()).isNotBlank();
        assertThat(detail.get("rssBytes").asLong()).isPositive();
        assertThat(detail.get("heapUsedBytes").asLong()).isPositive();
        assertThat(detail.get("diskFreeBytes").asLong()).isPositive();
        assertThat(detail.get("startedAt").isNull()).isFalse();
        assertThat(site.get("rev").asLong()).isZero(); // no feed applied yet
        assertThat(Math.abs(site.get("clockSkewMs").asLong())).isLessThan(60_000); // same machine clock
        JsonNode status = get(URI.create("http://127.0.0.1:" + agent.port() + "/v1/status"));
        assertThat(site.get("business").get("events").asLong())
            .isEqualTo(status.get("outbox").get("BUSINESS").get("depth").asLong());
        assertThat(status.get("link").asText()).isEqualTo("ONLINE");
        assertThat(status.get("heartbeat").get("acknowledged").asLong()).isPositive();
        assertThat(status.get("heartbeat").get("drainPlace").asInt()).isZero(); // nobody else drains

        proxy.cut(); // the agent notices at its next heartbeat
        pollAgent(agent, s -> "OFFLINE".equals(s.get("link").asText()));
        proxy.pass();
        pollAgent(agent, s -> "ONLINE".equals(s.get("link").asText()));
      }
    }
  }

  private JsonNode poll(Cloud cloud, String path, Predicate<JsonNode> done) throws Exception {
    return pollUri(URI.create("http://127.0.0.1:" + cloud.port() + path), done, ADMIN_TOKEN);
  }

  private void pollAgent(Agent agent, Predicate<JsonNode> done) throws Exception {
    pollUri(URI.create("http://127.0.0.1:" + agent.port() + "/v1/status"), done, null);
  }

  private JsonNode pollUri(URI uri, Predicate<JsonNode> done, String token) throws Exception {
    JsonNode[] last = new JsonNode[1];
    Eventually.until(uri + " answers as expected", java.time.Duration.ofSeconds(60), () -> {
      try {
        last[0] = get(uri, token);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return done.test(last[0]);
    });
    return last[0];
  }

  private JsonNode get(URI uri) throws Exception {
    return get(uri, null);
  }

  /** {@code token}: the cloud's admin token for the fleet view; {@code null} for the agent (its seeded terminal credential). */
  private JsonNode get(URI uri, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    // the cloud's admin token, or the agent's seeded simulator terminal
    b.header("Authorization", "Bearer " + (token != null ? token : SeedTerminals.SIMULATOR_SECRET));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return json.readTree(r.body());
  }
}
