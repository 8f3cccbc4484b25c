package io.tms.sim.pki;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.identity.SiteCredentials;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.seed.SeedRoster;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.agent.sync.CloudLink;
import io.tms.agent.sync.UplinkSettings;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.pki.EdgeSettings;
import io.tms.protocol.v1.Lane;
import io.tms.sim.TerminalSimulator;
import io.tms.sim.TerminalSimulator.Mode;
import io.tms.sim.TerminalSimulator.Options;
import io.tms.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Site certificates end to end, real agent and real cloud over real TLS on loopback: zero-touch
 * enrollment with a bootstrap token, sync over mTLS, renewal while 20 terminals load (no failed
 * request, the new certificate is what the cloud sees afterwards), an agent that refuses a
 * cloud whose certificate is from another CA, a revoked site that re-enrolls at once with a new
 * token an operator drops into its data directory and drains its backlog, and certificates that
 * follow real time on an agent running on a simulation clock.
 */
class SiteCertificateEndToEndTest {
  @TempDir static Path dir;
  static Cloud cloud;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static final UplinkSettings FAST = UplinkSettings.defaults()
      .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100)).withBatchBytes(8 * 1024);

  @BeforeAll
  static void startCloud() {
    cloud = Cloud.start(CloudConfig.embedded(dir.resolve("cloud")).withHttp("127.0.0.1", 0)
        .withEdge(EdgeSettings.disabled().withCa("end to end passphrase", "127.0.0.1", 0)));
    site(cloud, "PKA1");
    site(cloud, "PKB1");
    site(cloud, "PKC1");
    site(cloud, "PKD1");
  }

  @AfterAll
  static void stopCloud() {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  void a_site_enrolls_syncs_over_mtls_and_renews_while_twenty_terminals_load() throws Exception {
    Path data = dir.resolve("PKA1");
    SeedRoster roster = prepare(data, "PKA1");
    try (Agent agent = agent("PKA1", data, cloud, token(cloud, "PKA1"))) {
      SiteCredentials creds = agent.credentials();
      await("enrollment", creds::enrolled);
      await("the link over mTLS", () -> agent.feed() != null && creds.state() == SiteCredentials.State.VALID
          && cursorExists("PKA1"));
      assertThat(Files.getPosixFilePermissions(data.resolve("identity/site.pem")))
          .isEqualTo(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      String first = creds.certificate().getSerialNumber().toString(16);

      TerminalSimulator sim = new TerminalSimulator(URI.create("http://127.0.0.1:" + agent.port() + "/"), roster,
          new Options(20, Duration.ofMinutes(3), 0, Mode.BENCH, 7, 1, 40));
      CompletableFuture<TerminalSimulator.Result> loading = CompletableFuture.supplyAsync(() -> {
        try {
          return sim.run();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        long before = lastSeq(agent);
        await("loads reaching the cloud before the renewal", () -> cursor("PKA1") > 0 && lastSeq(agent) > before);
        creds.renewNow();
        await("the renewal", () -> creds.renewals() == 1);
        String second = creds.certificate().getSerialNumber().toString(16);
        assertThat(second).isNotEqualTo(first);
        // the old certificate is now refused by the cloud: what syncs from here on uses the new one
        cloud.database().jdbi().useHandle(h -> {
          h.execute("UPDATE site_certificate SET revoked_at = now() WHERE serial = ?", first);
          h.execute("SELECT pg_notify('tms_pki', 'PKA1')");
        });
        long afterRenewal = lastSeq(agent);
        await("loads after the renewal", () -> lastSeq(agent) > afterRenewal + 20);
      } finally {
        sim.stop();
      }
      TerminalSimulator.Result r = loading.join();
      assertThat(r.cycles()).isGreaterThan(20);
      assertThat(r.errors()).as("failed requests: %s", r.firstRefusals()).isZero();
      assertThat(r.statuses().keySet()).allMatch(s -> s < 500);
      long last = lastSeq(agent);
      await("every event synced over the renewed certificate", () -> cursor("PKA1") == last);
      assertThat(cloudLong("SELECT count(*) FROM site_certificate WHERE site_code = 'PKA1' AND via = 'REENROLL'"))
          .isEqualTo(1);
      assertThat(JSON.readTree(get("http://127.0.0.1:" + agent.port() + "/v1/status")).get("certificate")
          .get("serial").asText()).isEqualTo(second(creds));
    }
  }

  @Test
  void the_agent_refuses_a_cloud_whose_certificate_is_from_another_ca() throws Exception {
    Path data = dir.resolve("PKB1");
    prepare(data, "PKB1");
    try (Agent enrolled = agent("PKB1", data, cloud, token(cloud, "PKB1"))) {
      await("enrollment", () -> enrolled.credentials().enrolled());
    }
    try (Cloud other = Cloud.start(CloudConfig.embedded(dir.resolve("other-cloud")).withHttp("127.0.0.1", 0)
        .withEdge(EdgeSettings.disabled().withCa("another CA entirely", "127.0.0.1", 0)))) {
      site(other, "PKB1");
      // enrolled with the first cloud's CA pinned: the other cloud is refused at the handshake
      try (Agent agent = agent("PKB1", data, other, null)) {
        await("a refused handshake", () -> {
          String error = status(agent).get("cloud").path("lastError").asText();
          return error.contains("PKIX") || error.contains("SSLHandshake");
        });
        assertThat(agent.credentials().enrolled()).isTrue();
        long heard = other.database().jdbi().withHandle(h -> h.createQuery(
            "SELECT count(*) FROM site_state WHERE site_code = 'PKB1'").mapTo(Long.class).one());
        assertThat(heard).isZero();
        assertThat(status(agent).get("link").asText()).isNotEqualTo(CloudLink.State.ONLINE.name());
      }
      // a new site whose token pins the first cloud's CA does not enroll with the other one
      Path fresh = dir.resolve("PKB1-fresh");
      prepare(fresh, "PKB1");
      try (Agent agent = agent("PKB1", fresh, other, token(cloud, "PKB1"))) {
        await("a refused enrollment", () -> String.valueOf(agent.credentials().describe().get("lastError"))
            .contains("SSLHandshakeException"));
        assertThat(agent.credentials().enrolled()).isFalse();
        assertThat(Files.exists(fresh.resolve("identity/site.pem"))).isFalse();
      }
    }
  }

  @Test
  void a_revoked_site_reenrolls_with_a_new_token_at_once_and_drains_its_backlog() throws Exception {
    Path data = dir.resolve("PKC1");
    SeedRoster roster = prepare(data, "PKC1");
    try (Agent agent = agent("PKC1", data, cloud, token(cloud, "PKC1"))) {
      SiteCredentials creds = agent.credentials();
      await("enrollment and the link", () -> creds.enrolled() && cursorExists("PKC1"));
      String first = creds.certificate().getSerialNumber().toString(16);
      TerminalSimulator sim = new TerminalSimulator(URI.create("http://127.0.0.1:" + agent.port() + "/"), roster,
          new Options(4, Duration.ofMinutes(3), 0, Mode.BENCH, 11, 1, 40));
      CompletableFuture<TerminalSimulator.Result> loading = CompletableFuture.supplyAsync(() -> {
        try {
          return sim.run();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        await("loads reaching the cloud", () -> cursor("PKC1") > 0);
        HttpResponse<String> revoked = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port()
                + "/v1/sites/PKC1/certificates/revoke")).header("Authorization", "Bearer " + adminToken(cloud))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

        // refused on its next call: no token left (the first one is spent), so it waits for one
        await("the refusal", () -> creds.state() == SiteCredentials.State.NEEDS_BOOTSTRAP_TOKEN);
        long stuck = cursor("PKC1");
        await("a backlog while refused", () -> lastSeq(agent) > stuck + 10);
        assertThat(cursor("PKC1")).as("nothing syncs with a revoked certificate").isEqualTo(stuck);
        assertThat(status(agent).get("certificate").get("state").asText()).isEqualTo("NEEDS_BOOTSTRAP_TOKEN");

        // the operator issues a new token and puts it where the agent reads it; no restart
        Path tokenFile = data.resolve("identity").resolve(SiteCredentials.TOKEN_FILE);
        Files.writeString(tokenFile, token(cloud, "PKC1"));
        await("re-enrollment", () -> creds.state() == SiteCredentials.State.VALID
            && !creds.certificate().getSerialNumber().toString(16).equals(first));
        assertThat(Files.exists(tokenFile)).as("the spent token file is removed").isFalse();
      } finally {
        sim.stop();
      }
      TerminalSimulator.Result r = loading.join();
      assertThat(r.errors()).as("terminals kept working offline: %s", r.firstRefusals()).isZero();
      long last = lastSeq(agent);
      await("the backlog drained over the new certificate", () -> cursor("PKC1") == last);
      assertThat(cloudLong("SELECT count(*) FROM site_certificate WHERE site_code = 'PKC1' AND via = 'ENROLL'"))
          .isEqualTo(2);
      assertThat(cloudLong("SELECT count(*) FROM site_certificate WHERE site_code = 'PKC1' AND revoked_at IS NULL"))
          .isEqualTo(1);
      assertThat(cloudLong("SELECT count(*) FROM audit_log WHERE site_code = 'PKC1' AND entity = 'site_certificate'"
          + " AND action = 'enroll' AND actor = 'site:PKC1'")).isEqualTo(2);
    }
  }

  @Test
  void certificates_follow_real_time_on_an_agent_with_a_simulation_clock() throws Exception {
    Path data = dir.resolve("PKD1");
    prepare(data, "PKD1");
    // simulated time 25 days ahead: past the renewal point (day 20) of a certificate issued now
    Clock simulated = new io.tms.agent.SimulationClock(java.time.Instant.now().plus(Duration.ofDays(25)),
        java.time.Instant.now(), 1, Clock.systemUTC());
    try (Agent agent = Agent.start(AgentConfig.of("PKD1", data).withHttp("127.0.0.1", 0)
        .withCloud(URI.create("https://127.0.0.1:" + cloud.edgePort())).withBootstrapToken(token(cloud, "PKD1")),
        simulated, null, FAST)) {
      SiteCredentials creds = agent.credentials();
      await("enrollment and a heartbeat over mTLS", () -> creds.enrolled() && cursorExists("PKD1"));
      java.time.Instant renewAt = java.time.Instant.parse(String.valueOf(creds.describe().get("renewAt")));
      assertThat(renewAt).isAfter(java.time.Instant.now().plus(Duration.ofDays(19)));
      assertThat(creds.describe().get("expired")).isEqualTo(false);
      assertThat(creds.renewals()).as("no renewal by simulated time").isZero();
      assertThat(cloudLong("SELECT count(*) FROM site_certificate WHERE site_code = 'PKD1'")).isEqualTo(1);
    }
  }

  private static String second(SiteCredentials creds) {
    return creds.certificate().getSerialNumber().toString(16);
  }

  static Agent agent(String site, Path data, Cloud c, String token) {
    return Agent.start(AgentConfig.of(site, data).withHttp("127.0.0.1", 0)
        .withCloud(URI.create("https://127.0.0.1:" + c.edgePort())).withBootstrapToken(token), Clock.systemUTC(), null,
        FAST);
  }

  static void site(Cloud c, String code) {
    c.database().jdbi().useHandle(h ->
        h.execute("INSERT INTO site (code, name, zone) VALUES (?, ?, 'America/Chicago')", code, "Site " + code));
  }

  /** An API token of the cloud's bootstrap admin, minted straight into its database. */
  static String adminToken(Cloud c) {
    String secret = io.tms.api.auth.ApiTokens.newSecret();
    java.time.Instant now = java.time.Instant.now();
    c.database().jdbi().useHandle(h -> new io.tms.api.auth.PeopleStore().insertToken(h,
        new io.tms.api.auth.PeopleStore.Token(io.tms.api.auth.ApiTokens.newId(), "admin", "test", now,
            now.plus(java.time.Duration.ofDays(1)), null), io.tms.api.auth.ApiTokens.sha256(secret)));
    return secret;
  }

  static String token(Cloud c, String site) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + c.port() + "/v1/sites/" + site + "/bootstrap-tokens"))
        .header("Authorization", "Bearer " + adminToken(c)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("token").asText();
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

  static long lastSeq(Agent agent) {
    return agent.database().reader().withHandle(h -> h.createQuery("SELECT last_seq FROM outbox_head WHERE lane = ?")
        .bind(0, Lane.BUSINESS.name()).mapTo(Long.class).findOne().orElse(0L));
  }

  static boolean cursorExists(String site) {
    return cloudLong("SELECT count(*) FROM site_state WHERE site_code = '" + site + "'") > 0;
  }

  static long cursor(String site) {
    return cloudLong("SELECT coalesce(max(seq), 0) FROM edge_cursor WHERE lane = 'BUSINESS' AND site_code = '" + site + "'");
  }

  static long cloudLong(String sql) {
    return cloud.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  static com.fasterxml.jackson.databind.JsonNode status(Agent agent) {
    try {
      return JSON.readTree(get("http://127.0.0.1:" + agent.port() + "/v1/status"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A GET of an agent's terminal API, as its seeded simulator terminal. */
  static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
    return r.body();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Eventually.until(what, Duration.ofSeconds(60), condition);
  }
}
