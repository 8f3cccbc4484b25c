package io.tms.api.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.api.CloudConfig;
import io.tms.api.TestDatabase;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatV1;
import io.tms.protocol.v1.sync.HeartbeatV1.LaneBacklog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** Heartbeats, the fleet view and offline detection over real HTTP on a real PostgreSQL. */
class FleetHttpTest {
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  private final TestClock clock = new TestClock(T0);
  private final FleetConfig config = FleetConfig.defaults(); // 5 s heartbeats, offline after 3 missed

  private HeartbeatV1 heartbeat(String site, long businessDepth, Instant sentAt) {
    return new HeartbeatV1(site, "1.4.2", "cfg-7", T0.minus(Duration.ofHours(1)), 3_600,
        Map.of(Lane.BUSINESS, new LaneBacklog(businessDepth, businessDepth == 0 ? 0 : 300, 0),
            Lane.TELEMETRY, new LaneBacklog(5_000, 60, 7)),
        T0.minusSeconds(30), 40, 500L << 20, 40L << 20, 120L << 20, T0.plus(Duration.ofDays(5)), sentAt);
  }

  private FleetReplica.Answer send(FleetReplica r, String site, HeartbeatV1 hb) throws Exception {
    return r.post("/edge/v1/sites/" + site + "/heartbeat", r.json.writeValueAsString(hb));
  }

  @Test
  void a_heartbeat_is_answered_from_memory_then_stored_listed_and_shown_in_detail() throws Exception {
    try (FleetReplica cloud = new FleetReplica(TestDatabase.freshCloudConfig(), clock, config)) {
      cloud.addSite("HOU1", "Houston");
      cloud.addSite("DAL1", "Dallas");
      cloud.addSite("NYC1", "New York");
      cloud.db.jdbi().useHandle(h -> h.execute("UPDATE feed_head SET rev = 42"));

      var ack = send(cloud, "HOU1", heartbeat("HOU1", 120, T0.minusSeconds(2)));
      assertThat(ack.status()).isEqualTo(200);
      assertThat(Instant.parse(ack.body().get("serverTime").asText())).isEqualTo(T0);
      assertThat(ack.body().get("feedRev").asLong()).isEqualTo(42);
      assertThat(ack.body().get("drainPlace").asInt()).isZero();
      assertThat(ack.body().get("drainEtaSeconds").asLong()).isPositive(); // 5,120 events to send

      // not written yet: heartbeats are coalesced and flushed once a second
      assertThat(state(cloud, "HOU1")).isEqualTo("never-seen");
      assertThat(cloud.fleet.heartbeats().flush()).containsExactly("HOU1");

      JsonNode hou = site(cloud.get("/v1/fleet/sites").body(), "HOU1");
      assertThat(hou.get("state").asText()).isEqualTo("online");
      assertThat(hou.get("name").asText()).isEqualTo("Houston");
      assertThat(hou.get("version").asText()).isEqualTo("1.4.2");
      assertThat(Instant.parse(hou.get("lastHeartbeatAt").asText())).isEqualTo(T0);
      assertThat(hou.get("business").get("events").asLong()).isEqualTo(120);
      assertThat(hou.get("business").get("oldestAgeSeconds").asLong()).isEqualTo(300);
      assertThat(hou.get("telemetry").get("events").asLong()).isEqualTo(5_000);
      assertThat(hou.get("telemetry").get("dropped").asLong()).isEqualTo(7);
      assertThat(hou.get("syncLagSeconds").asLong()).isEqualTo(300);
      assertThat(hou.get("rev").asLong()).isEqualTo(40);
      assertThat(hou.get("revBehind").asLong()).isEqualTo(2);
      assertThat(hou.get("clockSkewMs").asLong()).isEqualTo(2_000);
      assertThat(hou.get("flags")).extracting(JsonNode::asText)
          .containsExactlyInAnyOrder("DISK_LOW", "CERTIFICATE_EXPIRING", "TELEMETRY_DROPPED");

      // a silent site's backlog keeps ageing
      clock.advance(Duration.ofSeconds(10));
      hou = site(cloud.get("/v1/fleet/sites").body(), "HOU1");
      assertThat(hou.get("syncLagSeconds").asLong()).isEqualTo(310);

      assertThat(codes(cloud.get("/v1/fleet/sites?state=never-seen").body())).containsExactly("DAL1", "NYC1");
      assertThat(codes(cloud.get("/v1/fleet/sites?state=online").body())).containsExactly("HOU1");
      assertThat(codes(cloud.get("/v1/fleet/sites?state=offline").body())).isEmpty();

      JsonNode page1 = cloud.get("/v1/fleet/sites?limit=2").body();
      assertThat(codes(page1)).containsExactly("DAL1", "HOU1");
      assertThat(page1.get("next").asText()).isEqualTo("HOU1");
      JsonNode page2 = cloud.get("/v1/fleet/sites?limit=2&after=HOU1").body();
      assertThat(codes(page2)).containsExactly("NYC1");
      assertThat(page2.get("next").isNull()).isTrue();

      var detail = cloud.get("/v1/fleet/sites/HOU1");
      assertThat(detail.status()).isEqualTo(200);
      assertThat(detail.body().get("site").get("code").asText()).isEqualTo("HOU1");
      assertThat(detail.body().get("configVersion").asText()).isEqualTo("cfg-7");
      assertThat(detail.body().get("uptimeSeconds").asLong()).isEqualTo(3_600);
      assertThat(detail.body().get("rssBytes").asLong()).isEqualTo(120L << 20);
      assertThat(detail.body().get("heapUsedBytes").asLong()).isEqualTo(40L << 20);
      assertThat(detail.body().get("heartbeats").asLong()).isEqualTo(1);
      assertThat(detail.body().get("transitions")).hasSize(1);
      assertThat(detail.body().get("transitions").get(0).get("kind").asText()).isEqualTo("ONLINE");

      var never = cloud.get("/v1/fleet/sites/NYC1");
      assertThat(never.body().get("site").get("state").asText()).isEqualTo("never-seen");
      assertThat(never.body().get("transitions")).isEmpty();

      var missing = cloud.get("/v1/fleet/sites/NOPE1");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
      var badState = cloud.get("/v1/fleet/sites?state=sleeping");
      assertThat(badState.status()).isEqualTo(400);
      assertThat(badState.body().get("field").asText()).isEqualTo("state");
      assertThat(cloud.get("/v1/fleet/sites?limit=0").body().get("field").asText()).isEqualTo("limit");
    }
  }

  @Test
  void many_heartbeats_of_a_site_between_flushes_are_one_row_write() throws Exception {
    try (FleetReplica cloud = new FleetReplica(TestDatabase.freshCloudConfig(), clock, config)) {
      cloud.addSite("HOU1", "Houston");
      for (int i = 0; i < 5; i++) {
        clock.advance(Duration.ofSeconds(1));
        assertThat(send(cloud, "HOU1", heartbeat("HOU1", 100 - i, clock.instant())).status()).isEqualTo(200);
      }
      assertThat(cloud.fleet.heartbeats().pending()).isEqualTo(1);
      cloud.fleet.heartbeats().flush();
      JsonNode d = cloud.get("/v1/fleet/sites/HOU1").body();
      assertThat(d.get("heartbeats").asLong()).isEqualTo(5);
      assertThat(d.get("site").get("business").get("events").asLong()).isEqualTo(96); // the newest
      assertThat(Instant.parse(d.get("site").get("lastHeartbeatAt").asText())).isEqualTo(T0.plusSeconds(5));
    }
  }

  @Test
  void bad_heartbeats_are_refused_naming_the_field_and_change_nothing() throws Exception {
    try (FleetReplica cloud = new FleetReplica(TestDatabase.freshCloudConfig(), clock, config)) {
      cloud.addSite("HOU1", "Houston");
      String good = cloud.json.writeValueAsString(heartbeat("HOU1", 1, T0));

      assertField(send(cloud, "HOU1", heartbeat("DAL1", 1, T0)), 400, "siteCode");
      assertField(send(cloud, "HOU1", heartbeat("HOU1", -1, T0)), 400, "outbox.BUSINESS.depth");
      assertField(send(cloud, "HOU1", heartbeat("HOU1", 1, null)), 400, "sentAt");
      assertField(cloud.post("/edge/v1/sites/HOU1/heartbeat", good.replace("\"uptimeSeconds\":3600",
          "\"uptimeSeconds\":\"long\"")), 400, "uptimeSeconds");
      assertField(cloud.post("/edge/v1/sites/HOU1/heartbeat", good.replace("\"version\":\"1.4.2\"",
          "\"version\":\"\"")), 400, "version");
      assertThat(cloud.post("/edge/v1/sites/HOU1/heartbeat", "{\"siteCode\":").status()).isEqualTo(400);
      assertField(send(cloud, "NOPE1", heartbeat("NOPE1", 1, T0)), 404, "site");

      assertThat(cloud.fleet.heartbeats().pending()).isZero();
      cloud.fleet.heartbeats().flush();
      assertThat(state(cloud, "HOU1")).isEqualTo("never-seen");
      assertThat(count(cloud, "SELECT count(*) FROM site_state")).isZero();
    }
  }

  @Test
  void a_site_goes_offline_after_missed_heartbeats_and_online_again() throws Exception {
    try (FleetReplica cloud = new FleetReplica(TestDatabase.freshCloudConfig(), clock, config)) {
      cloud.addSite("HOU1", "Houston");
      cloud.addSite("DAL1", "Dallas");
      send(cloud, "HOU1", heartbeat("HOU1", 0, T0));
      send(cloud, "DAL1", heartbeat("DAL1", 0, T0));
      cloud.fleet.heartbeats().flush();
      OfflineDetector detector = cloud.fleet.offlineDetector();

      clock.advance(Duration.ofSeconds(10));
      send(cloud, "DAL1", heartbeat("DAL1", 0, clock.instant())); // DAL1 keeps heartbeating, HOU1 went silent
      cloud.fleet.heartbeats().flush();
      clock.advance(Duration.ofSeconds(4));
      assertThat(detector.tick(clock.instant()).wentOffline()).isEmpty(); // 14 s: not yet 3 x 5 s
      clock.advance(Duration.ofSeconds(2));
      var tick = detector.tick(clock.instant());
      assertThat(tick.ran()).isTrue();
      assertThat(tick.wentOffline()).containsExactly("HOU1");
      assertThat(detector.tick(clock.instant()).wentOffline()).isEmpty(); // recorded once
      assertThat(codes(cloud.get("/v1/fleet/sites?state=offline").body())).containsExactly("HOU1");
      assertThat(codes(cloud.get("/v1/fleet/sites?state=online").body())).containsExactly("DAL1");
      JsonNode hou = site(cloud.get("/v1/fleet/sites").body(), "HOU1");
      assertThat(Instant.parse(hou.get("stateSince").asText())).isEqualTo(T0.plusSeconds(16));

      clock.advance(Duration.ofSeconds(30));
      send(cloud, "HOU1", heartbeat("HOU1", 0, clock.instant()));
      assertThat(cloud.fleet.heartbeats().flush()).containsExactly("HOU1");
      JsonNode detail = cloud.get("/v1/fleet/sites/HOU1").body();
      assertThat(detail.get("site").get("state").asText()).isEqualTo("online");
      assertThat(Instant.parse(detail.get("site").get("stateSince").asText())).isEqualTo(T0.plusSeconds(46));
      List<String> kinds = new ArrayList<>();
      detail.get("transitions").forEach(t -> kinds.add(t.get("kind").asText()));
      assertThat(kinds).containsExactly("ONLINE", "OFFLINE", "ONLINE"); // newest first
      assertThat(detail.get("transitions").get(1).get("detail").asText()).contains("2026-11-25T12:00:00Z");
    }
  }

  @Test
  void offline_detection_runs_once_across_two_replicas_on_one_database() throws Exception {
    CloudConfig shared = TestDatabase.freshCloudConfig();
    try (FleetReplica a = new FleetReplica(shared, clock, config);
        FleetReplica b = new FleetReplica(shared, clock, config)) {
      List<String> sites = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sites.add("S" + (10 + i));
        a.addSite(sites.getLast(), "Site " + i);
      }
      for (int i = 0; i < sites.size(); i++) {
        FleetReplica to = i % 2 == 0 ? a : b;
        assertThat(send(to, sites.get(i), heartbeat(sites.get(i), 0, T0)).status()).isEqualTo(200);
      }
      a.fleet.heartbeats().flush();
      b.fleet.heartbeats().flush();
      assertThat(codes(b.get("/v1/fleet/sites?state=online&limit=100").body())).hasSize(20);

      clock.advance(Duration.ofSeconds(20));
      CyclicBarrier together = new CyclicBarrier(2);
      List<String> offline = new ArrayList<>();
      try (var pool = Executors.newFixedThreadPool(2)) {
        for (int round = 0; round < 3; round++) {
          List<Future<OfflineDetector.Tick>> ticks = new ArrayList<>();
          for (FleetReplica r : List.of(a, b)) {
            ticks.add(pool.submit(() -> {
              together.await();
              return r.fleet.offlineDetector().tick(clock.instant());
            }));
          }
          for (var t : ticks) {
            offline.addAll(t.get().wentOffline());
          }
        }
      }
      assertThat(offline).containsExactlyInAnyOrderElementsOf(sites);
      assertThat(count(a, "SELECT count(*) FROM site_event WHERE kind = 'OFFLINE'")).isEqualTo(20);

      // while another replica holds the job's lock, a tick skips
      try (Handle h = a.db.jdbi().open()) {
        h.begin();
        h.createQuery("SELECT pg_advisory_xact_lock(:k)").bind("k", OfflineDetector.LOCK_KEY).mapTo(String.class).one();
        assertThat(b.fleet.offlineDetector().tick(clock.instant()).ran()).isFalse();
        h.rollback();
      }
      assertThat(b.fleet.offlineDetector().tick(clock.instant()).ran()).isTrue();
    }
  }

  @Test
  void an_older_heartbeat_flushed_late_by_another_replica_does_not_overwrite_a_newer_one() throws Exception {
    CloudConfig shared = TestDatabase.freshCloudConfig();
    try (FleetReplica a = new FleetReplica(shared, clock, config);
        FleetReplica b = new FleetReplica(shared, clock, config)) {
      a.addSite("HOU1", "Houston");
      send(a, "HOU1", heartbeat("HOU1", 10, T0));
      clock.advance(Duration.ofSeconds(5));
      send(b, "HOU1", heartbeat("HOU1", 3, clock.instant()));
      b.fleet.heartbeats().flush();
      assertThat(a.fleet.heartbeats().flush()).isEmpty();
      JsonNode hou = site(a.get("/v1/fleet/sites").body(), "HOU1");
      assertThat(hou.get("business").get("events").asLong()).isEqualTo(3);
      assertThat(count(a, "SELECT count(*) FROM site_event WHERE kind = 'ONLINE'")).isEqualTo(1);
    }
  }

  @Test
  void the_heartbeat_ack_tells_a_site_its_place_in_the_drain_queue() throws Exception {
    FleetConfig oneAtATime = config.withDrain(1, Duration.ZERO);
    try (FleetReplica cloud = new FleetReplica(TestDatabase.freshCloudConfig(), clock, oneAtATime)) {
      cloud.addSite("HOU1", "Houston");
      cloud.addSite("DAL1", "Dallas");
      send(cloud, "HOU1", heartbeat("HOU1", 4_000, T0));
      try (var draining = cloud.fleet.drainGate().enter("HOU1", 500)) {
        var ack = send(cloud, "DAL1", heartbeat("DAL1", 2_000, T0));
        assertThat(ack.body().get("drainPlace").asInt()).isEqualTo(1);
        assertThat(ack.body().get("drainEtaSeconds").asLong()).isPositive();
        assertThat(send(cloud, "HOU1", heartbeat("HOU1", 3_500, T0)).body().get("drainPlace").asInt()).isZero();
      }
      cloud.fleet.heartbeats().flush();
      JsonNode dal = site(cloud.get("/v1/fleet/sites").body(), "DAL1");
      assertThat(dal.get("drainPlace").asInt()).isEqualTo(1);
      assertThat(dal.get("flags")).extracting(JsonNode::asText).contains("DRAIN_QUEUED");
      JsonNode gate = cloud.get("/v1/fleet/drain").body();
      assertThat(gate.get("draining")).extracting(JsonNode::asText).containsExactly("HOU1");
      assertThat(gate.get("queued")).extracting(JsonNode::asText).containsExactly("DAL1");
    }
  }

  private static void assertField(FleetReplica.Answer a, int status, String field) {
    assertThat(a.status()).as(a.raw().body()).isEqualTo(status);
    assertThat(a.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(a.body().get("field").asText()).isEqualTo(field);
  }

  private static long count(FleetReplica cloud, String sql) {
    return cloud.db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  private static String state(FleetReplica cloud, String code) throws Exception {
    return cloud.get("/v1/fleet/sites/" + code).body().get("site").get("state").asText();
  }

  private static JsonNode site(JsonNode page, String code) {
    for (JsonNode s : page.get("sites")) {
      if (s.get("code").asText().equals(code)) {
        return s;
      }
    }
    throw new AssertionError("no site " + code + " in " + page);
  }

  private static List<String> codes(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("sites").forEach(s -> out.add(s.get("code").asText()));
    return out;
  }
}
