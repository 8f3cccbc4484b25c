package io.tms.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.http.CloudJson;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatV1;
import io.tms.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The background jobs — offline detection and reserve rounds — run in every replica and must act
 * once: two replicas as two real processes on one database, each running both jobs on short
 * intervals.
 */
class BackgroundJobsAcrossReplicasTest {
  private static final ObjectMapper JSON = CloudJson.mapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void offlineDetectionAndReserveRoundsActOnceWithTwoReplicaProcesses() throws Exception {
    String url = TestDatabase.freshUrl();
    Map<String, String> env = Map.of("TMS_FLEET_HEARTBEAT_INTERVAL", "0.2", "TMS_FLEET_MISSED_HEARTBEATS", "1",
        "TMS_RESERVE_INTERVAL", "1s", "TMS_RESERVE_INITIAL_GAL", "8000");
    try (ReplicaProcess a = ReplicaProcess.start(url, env); ReplicaProcess b = ReplicaProcess.start(url, env)) {
      Jdbi db = Jdbi.create(() -> java.sql.DriverManager.getConnection(url, "postgres", null));
      db.useHandle(h -> {
        h.execute("INSERT INTO site (code, name, zone) VALUES ('HOU1', 'Houston', 'America/Chicago')");
        h.execute("""
            INSERT INTO allocation (id, customer_id, product_code, period_start, period_end, quantity_gal)
            VALUES ('A1', 'C1', 'ULSD', current_date - 1, current_date + 30, 100000)""");
        h.execute("INSERT INTO reserve_site (allocation_id, site_code) VALUES ('A1', 'HOU1')");
      });

      // offline detection: online (heartbeat to A), offline, online again (heartbeat to B), offline
      int expected = 0;
      for (ReplicaProcess target : List.of(a, b)) {
        assertThat(heartbeat(target.base()).statusCode()).isEqualTo(200);
        expected += 2;
        int events = expected;
        await("online, then offline after a missed heartbeat", () -> transitions(db) >= events);
        await("the site is offline", () -> state(db).equals("OFFLINE"));
      }
      List<String> kinds = db.withHandle(h -> h.createQuery(
          "SELECT kind FROM site_event WHERE site_code = 'HOU1' ORDER BY id").mapTo(String.class).list());
      assertThat(kinds).as("each transition recorded once, by one replica").containsExactly(
          "ONLINE", "OFFLINE", "ONLINE", "OFFLINE");

      // reserve rounds: let both replicas run several rounds; the initial reserve is granted once
      long round = db.withHandle(h -> h.createQuery("SELECT round FROM reserve_round").mapTo(Long.class).one());
      await("three more reserve rounds ran", () -> db.withHandle(h ->
          h.createQuery("SELECT round FROM reserve_round").mapTo(Long.class).one()) >= round + 3);
      long granted = db.withHandle(h -> h.createQuery(
          "SELECT granted_total FROM reserve_account WHERE allocation_id = 'A1' AND site_code = 'HOU1'")
          .mapTo(Long.class).one());
      assertThat(granted).as("granted once, not once per replica or per round").isEqualTo(8000);
      long feedRecords = db.withHandle(h -> h.createQuery(
          "SELECT count(*) FROM change_log WHERE entity = 'reserve' AND site_code = 'HOU1'").mapTo(Long.class).one());
      assertThat(feedRecords).isEqualTo(1);
    }
  }

  private HttpResponse<String> heartbeat(URI base) throws Exception {
    Instant now = Instant.now();
    HeartbeatV1 hb = new HeartbeatV1("HOU1", "test", null, now.minusSeconds(60), 60,
        Map.of(Lane.BUSINESS, new HeartbeatV1.LaneBacklog(0, 0, 0), Lane.TELEMETRY, new HeartbeatV1.LaneBacklog(0, 0, 0)),
        now, 0, 1L << 30, 1L << 20, 1L << 26, null, now);
    return http.send(HttpRequest.newBuilder(base.resolve("/edge/v1/sites/HOU1/heartbeat"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(hb))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long transitions(Jdbi db) {
    return db.withHandle(h -> h.createQuery("SELECT count(*) FROM site_event WHERE site_code = 'HOU1'")
        .mapTo(Long.class).one());
  }

  private static String state(Jdbi db) {
    return db.withHandle(h -> h.createQuery("SELECT state FROM site_state WHERE site_code = 'HOU1'")
        .mapTo(String.class).findOne().orElse(""));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Eventually.until(what, Duration.ofSeconds(60), condition);
  }

}
