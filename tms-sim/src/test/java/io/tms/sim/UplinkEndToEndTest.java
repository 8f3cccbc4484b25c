package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.Json;
import io.tms.agent.security.SeedTerminals;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.seed.SeedRoster;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.OutboxRetention;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.agent.sync.UplinkSettings;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.auth.ApiTokens;
import io.tms.api.auth.AuthConfig;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.TelemetrySamplesV1;
import io.tms.sim.TerminalSimulator.Mode;
import io.tms.sim.TerminalSimulator.Options;
import io.tms.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplink end to end: a real agent (its SQLite, its writer, its uplink loop) and a real cloud
 * (embedded PostgreSQL, durability on) over loopback HTTP, with a {@link LinkSwitch} standing for
 * the site's internet link.
 */
class UplinkEndToEndTest {
  private static final String ADMIN_TOKEN = ApiTokens.newSecret();

  @TempDir static Path dir;
  static Cloud cloud;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static final UplinkSettings FAST = UplinkSettings.defaults()
      .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100)).withBatchBytes(8 * 1024);

  @BeforeAll
  static void startCloud() {
    cloud = Cloud.start(CloudConfig.embedded(dir.resolve("cloud")).withHttp("127.0.0.1", 0).withEdgePlaintext(),
        AuthConfig.defaults().withAdminToken(ADMIN_TOKEN));
    cloud.database().jdbi().useHandle(h -> {
      for (String s : List.of("UPA1", "UPB1", "UPC1", "UPD1")) {
        h.execute("INSERT INTO site (code, name, zone) VALUES (?, ?, 'America/Chicago')", s, "Site " + s);
      }
    });
  }

  @AfterAll
  static void stopCloud() {
    cloud.close();
  }

  static SeedRoster prepare(Path data, String site) {
    LocalDate today = LocalDate.now(DemoSeed.ZONE);
    try (SiteDatabase db = SiteDatabase.open(data, site, Clock.systemUTC(), 64)) {
      db.writer().write(ctx -> {
        DemoSeed.apply(ctx, new MasterDataStore(), DemoSeed.generate(site, SeedProfile.SMALL, today));
        ctx.handle().execute("UPDATE reserve SET granted_gal = 1000000000000");
        return null;
      });
    }
    return DemoSeed.roster(site, SeedProfile.SMALL, today);
  }

  static Agent agent(String site, Path data, LinkSwitch link, UplinkSettings settings) {
    return Agent.start(AgentConfig.of(site, data).withHttp("127.0.0.1", 0)
        .withCloud(URI.create("http://127.0.0.1:" + link.port())), Clock.systemUTC(), null, settings);
  }

  static void loads(Agent agent, SeedRoster roster, int n) throws InterruptedException {
    TerminalSimulator.Result r = new TerminalSimulator(URI.create("http://127.0.0.1:" + agent.port() + "/"), roster,
        new Options(2, Duration.ofMinutes(2), n, Mode.BENCH, 5, 1)).run();
    assertThat(r.cycles()).isGreaterThanOrEqualTo(n);
  }

  static long lastSeq(Agent agent, Lane lane) {
    return agent.database().reader().withHandle(h -> h.createQuery("SELECT last_seq FROM outbox_head WHERE lane = ?")
        .bind(0, lane.name()).mapTo(Long.class).findOne().orElse(0L));
  }

  static long cloudLong(String sql, Object... args) {
    return cloud.database().jdbi().withHandle(h -> {
      var q = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        q.bind(i, args[i]);
      }
      return q.mapTo(Long.class).findOne().orElse(0L);
    });
  }

  static long cursor(String site, Lane lane) {
    return cloudLong("SELECT seq FROM edge_cursor WHERE site_code = ? AND lane = ?", site, lane.name());
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Eventually.until(what, Duration.ofSeconds(60), condition);
  }

  static JsonNode get(String url) throws Exception {
    return get(url, null);
  }

  /** {@code token}: the cloud's admin token for its admin API; {@code null} for the agent (its seeded terminal credential). */
  static JsonNode get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    // the cloud's admin token, or the agent's seeded simulator terminal
    b.header("Authorization", "Bearer " + (token != null ? token : SeedTerminals.SIMULATOR_SECRET));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static Set<String> agentBols(Agent agent) throws Exception {
    Set<String> out = new TreeSet<>();
    get("http://127.0.0.1:" + agent.port() + "/v1/bols?limit=500").forEach(b -> out.add(b.get("bolNumber").asText()
        + " " + Math.round(b.get("totalNetGallons").asDouble() * 100)));
    return out;
  }

  static Set<String> cloudBols(String site) throws Exception {
    Set<String> out = new TreeSet<>();
    get("http://127.0.0.1:" + cloud.port() + "/v1/bols?limit=1000&site=" + site, ADMIN_TOKEN).get("items").forEach(b -> out.add(
        b.get("number").asText() + " " + Math.round(b.get("totalNetGallons").asDouble() * 100)));
    return out;
  }

  @Test
  void loadsMadeWhileTheLinkIsDownReachTheCloudExactlyOnceAndARestartResumesFromTheAck() throws Exception {
    Path data = dir.resolve("UPA1");
    SeedRoster roster = prepare(data, "UPA1");
    try (LinkSwitch link = new LinkSwitch(cloud.port(), false)) {
      long before;
      try (Agent agent = agent("UPA1", data, link, FAST)) {
        loads(agent, roster, 30);
        await("the agent to see the link down", () -> "OFFLINE".equals(get(agent, "link")));
        assertThat(agent.uplink().backlog().get(Lane.BUSINESS).depth()).isEqualTo(lastSeq(agent, Lane.BUSINESS));
        assertThat(cursor("UPA1", Lane.BUSINESS)).isZero();

        link.up();
        long last = lastSeq(agent, Lane.BUSINESS);
        await("the cloud to hold every business event", () -> cursor("UPA1", Lane.BUSINESS) == last);
        await("the agent to record the ack", () -> agent.uplink().backlog().get(Lane.BUSINESS).depth() == 0);
        Set<String> bols = agentBols(agent);
        assertThat(bols).hasSizeGreaterThanOrEqualTo(30);
        assertThat(cloudBols("UPA1")).isEqualTo(bols);
        before = last;
      }
      try (Agent again = agent("UPA1", data, link, FAST)) {
        loads(again, roster, 10);
        long last = lastSeq(again, Lane.BUSINESS);
        await("the cloud to hold the new events", () -> cursor("UPA1", Lane.BUSINESS) == last);
        Set<String> bols = agentBols(again);
        assertThat(bols).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cloudBols("UPA1")).isEqualTo(bols);
        JsonNode lane = JSON.valueToTree(again.uplink().describe()).get("BUSINESS");
        assertThat(lane.get("eventsSent").asLong()).as("resent nothing acknowledged before the restart")
            .isEqualTo(last - before);
        assertThat(cloudLong("SELECT count(*) FROM bol WHERE site_code = 'UPA1'")).isEqualTo(bols.size());
      }
    }
  }

  private static String get(Agent agent, String field) {
    try {
      return get("http://127.0.0.1:" + agent.port() + "/v1/status").get(field).asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void telemetry(Agent agent, int blocks, int samples) {
    OutboxStore outbox = new OutboxStore(Json.mapper());
    agent.database().writer().write(ctx -> {
      for (int i = 0; i < blocks; i++) {
        List<List<Double>> values = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
          values.add(List.of(120.0 + s, 1.0, 68.5, 741.2));
        }
        outbox.append(ctx, Lane.TELEMETRY, EventTypes.TELEMETRY_SAMPLES, ctx.now(), new TelemetrySamplesV1("tank",
            "T" + (i % 10), Instant.parse("2026-05-01T00:00:00Z").plusSeconds(60L * i), 5000,
            List.of("level_in", "water_in", "temperature_f", "density_kgm3"), values));
      }
      return null;
    });
  }

  @Test
  void theBusinessLaneDrainsBeforeTelemetry() throws Exception {
    Path data = dir.resolve("UPB1");
    SeedRoster roster = prepare(data, "UPB1");
    try (LinkSwitch link = new LinkSwitch(cloud.port(), false); Agent agent = agent("UPB1", data, link, FAST)) {
      telemetry(agent, 200, 12);
      loads(agent, roster, 20);
      telemetry(agent, 200, 12);
      long business = lastSeq(agent, Lane.BUSINESS);
      long telemetry = lastSeq(agent, Lane.TELEMETRY);
      link.up();
      await("both lanes in the cloud", () -> cursor("UPB1", Lane.BUSINESS) == business
          && cursor("UPB1", Lane.TELEMETRY) == telemetry);
      // transaction ids grow with commit order here: every business batch committed before the first telemetry one
      long lastBusinessTx = cloudLong("SELECT max(xmin::text::bigint) FROM bol WHERE site_code = 'UPB1'");
      long firstTelemetryTx = cloudLong("SELECT min(xmin::text::bigint) FROM telemetry_block WHERE site_code = 'UPB1'");
      assertThat(cloudLong("SELECT count(DISTINCT xmin::text) FROM bol WHERE site_code = 'UPB1'"))
          .as("several business batches").isGreaterThan(1);
      assertThat(lastBusinessTx).isLessThan(firstTelemetryTx);
      assertThat(cloudLong("SELECT count(*) FROM telemetry_block WHERE site_code = 'UPB1'")).isEqualTo(400);
    }
  }

  @Test
  void telemetryOverItsBudgetDropsTheOldestCountsThemAndTheCloudAcceptsTheGap() throws Exception {
    Path data = dir.resolve("UPC1");
    prepare(data, "UPC1");
    try (LinkSwitch link = new LinkSwitch(cloud.port(), false)) {
      OutboxRetention.Result r;
      try (Agent agent = agent("UPC1", data, link, FAST)) {
        telemetry(agent, 100, 12);
        long size = agent.database().reader().withHandle(h -> h.createQuery(
            "SELECT sum(length(body)) FROM outbox WHERE lane = 'TELEMETRY'").mapTo(Long.class).one());
        OutboxRetention retention = new OutboxRetention(Duration.ofDays(7), size / 4);
        r = agent.database().writer().write(ctx -> retention.apply(ctx, ctx.now()));
        assertThat(r.dropped()).isBetween(70L, 80L);
        assertThat(agent.uplink().backlog().get(Lane.TELEMETRY).dropped()).isEqualTo(r.dropped());
        assertThat(agent.uplink().backlog().get(Lane.TELEMETRY).depth()).isEqualTo(100);
        long oldestKept = agent.database().reader().withHandle(h -> h.createQuery(
            "SELECT min(seq) FROM outbox WHERE lane = 'TELEMETRY'").mapTo(Long.class).one());
        assertThat(oldestKept).isEqualTo(r.dropped() + 1);
      }
      // The agent probed the dead link all along: a probe that read the oldest telemetry before the
      // budget dropped it could still wait in the link's accept queue and reach the cloud when the
      // link comes up (the cloud would rightly take those events, and count fewer dropped). Refuse
      // what is queued and go on with a new agent, which holds nothing read before the drop.
      link.refuseQueued(Duration.ofSeconds(10));
      try (Agent agent = agent("UPC1", data, link, FAST)) {
        link.up();
        await("the kept telemetry in the cloud", () -> cursor("UPC1", Lane.TELEMETRY) == 100);
        assertThat(cloudLong("SELECT dropped FROM edge_cursor WHERE site_code = 'UPC1' AND lane = 'TELEMETRY'"))
            .isEqualTo(r.dropped());
        assertThat(cloudLong("SELECT count(*) FROM telemetry_block WHERE site_code = 'UPC1'")).isEqualTo(100 - r.dropped());
        assertThat(cloudLong("SELECT min(seq) FROM telemetry_block WHERE site_code = 'UPC1'")).isEqualTo(r.dropped() + 1);

        // acknowledged events past the retention are pruned; unacknowledged ones never are
        await("the ack", () -> agent.uplink().backlog().get(Lane.TELEMETRY).depth() == 0);
        OutboxRetention prune = new OutboxRetention(Duration.ZERO, Long.MAX_VALUE);
        OutboxRetention.Result p = agent.database().writer().write(ctx -> prune.apply(ctx, ctx.now().plusSeconds(1)));
        assertThat(p.pruned()).isEqualTo(100 - r.dropped());
      }
    }
  }

  @Test
  void aTamperedOutboxIsRefusedTheAgentStopsTheLaneAndSaysSo() throws Exception {
    Path data = dir.resolve("UPD1");
    SeedRoster roster = prepare(data, "UPD1");
    try (LinkSwitch link = new LinkSwitch(cloud.port(), false)) {
      try (Agent agent = agent("UPD1", data, link, FAST)) {
        loads(agent, roster, 5);
      }
      // someone edits a BOL in the site database behind the agent's back
      try (SiteDatabase db = SiteDatabase.open(data, "UPD1", Clock.systemUTC(), 8)) {
        int changed = db.writer().write(ctx -> ctx.sql().update("UPDATE outbox_business SET body = replace(body, '\"totalNetGallons\":',"
            + " '\"totalNetGallons\":1') WHERE seq = (SELECT max(seq) FROM outbox_business WHERE type = ?)",
            EventTypes.BOL_ISSUED));
        assertThat(changed).isEqualTo(1);
      }
      try (Agent agent = agent("UPD1", data, link, FAST)) {
        link.up();
        await("the lane refused", () -> JSON.valueToTree(agent.uplink().describe()).get("BUSINESS").get("state").asText()
            .equals("REFUSED"));
        assertThat(cloudLong("SELECT count(*) FROM edge_cursor WHERE site_code = 'UPD1' AND broken_at IS NOT NULL"))
            .isEqualTo(1);
        long tampered = agent.database().reader().withHandle(h -> h.createQuery(
            "SELECT max(seq) FROM outbox WHERE type = ?").bind(0, EventTypes.BOL_ISSUED).mapTo(Long.class).one());
        assertThat(cursor("UPD1", Lane.BUSINESS)).as("everything before the tampered event, nothing from it on")
            .isLessThan(tampered);
        assertThat(cloudLong("SELECT count(*) FROM bol WHERE site_code = 'UPD1'")).isLessThan(5);
        assertThat(get("http://127.0.0.1:" + agent.port() + "/v1/status").get("uplink").get("BUSINESS").get("refusal")
            .asText()).contains("422");
      }
    }
  }
}
