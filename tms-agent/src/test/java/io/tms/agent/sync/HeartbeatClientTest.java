package io.tms.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.tms.agent.Json;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatAckV1;
import io.tms.protocol.v1.sync.HeartbeatV1;
import io.tms.protocol.v1.sync.HeartbeatV1.LaneBacklog;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heartbeat loop against a stand-in cloud on loopback (the real cloud is tested in tms-sim). */
class HeartbeatClientTest {
  @TempDir Path dir;
  private final ObjectMapper json = Json.mapper();
  private final Instant started = Instant.now().minusSeconds(90);

  private HeartbeatClient client(CloudLink link) {
    return new HeartbeatClient(link, json, Clock.systemUTC(), Duration.ofMillis(200), started, null,
        () -> Map.of(Lane.BUSINESS, new LaneBacklog(12, 30, 0), Lane.TELEMETRY, new LaneBacklog(400, 5, 0)),
        () -> 17, dir, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), new SplittableRandom(1)));
  }

  @Test
  void reports_the_site_state_and_keeps_the_ack() throws Exception {
    BlockingQueue<HeartbeatV1> received = new LinkedBlockingQueue<>();
    AtomicInteger calls = new AtomicInteger();
    Javalin cloud = Javalin.create(c -> c.routes.post("/edge/v1/sites/HOU1/heartbeat", ctx -> {
      if (calls.incrementAndGet() == 1) { // the first is refused as during a storm: the loop retries
        ctx.status(503).header("Retry-After", "0").result("busy");
        return;
      }
      received.add(json.readValue(ctx.bodyAsBytes(), HeartbeatV1.class));
      ctx.contentType("application/json").result(json.writeValueAsString(new HeartbeatAckV1(Instant.now(), 99, 2, 40)));
    })).start("127.0.0.1", 0);
    CloudLink link = new CloudLink(URI.create("http://127.0.0.1:" + cloud.port()), "HOU1", Clock.systemUTC());
    try (HeartbeatClient hb = client(link).start()) {
      HeartbeatV1 first = received.poll(30, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(first.siteCode()).isEqualTo("HOU1");
      assertThat(first.version()).isEqualTo("dev");
      assertThat(first.startedAt()).isEqualTo(started);
      assertThat(first.uptimeSeconds()).isGreaterThanOrEqualTo(90);
      assertThat(first.outbox().get(Lane.BUSINESS)).isEqualTo(new LaneBacklog(12, 30, 0));
      assertThat(first.rev()).isEqualTo(17);
      assertThat(first.diskFreeBytes()).isPositive();
      assertThat(first.heapUsedBytes()).isPositive();
      assertThat(first.rssBytes()).isPositive();
      assertThat(first.sentAt()).isNotNull();
      assertThat(received.poll(30, TimeUnit.SECONDS)).isNotNull(); // and again, every interval
      assertThat(hb.lastAck().feedRev()).isEqualTo(99);
      assertThat(hb.lastAck().drainPlace()).isEqualTo(2);
      assertThat(link.state()).isEqualTo(CloudLink.State.ONLINE);
      assertThat(hb.heartbeat().lastSyncAt()).isNotNull();
    } finally {
      cloud.stop();
    }
  }

  @Test
  void an_unreachable_cloud_marks_the_link_offline_and_the_loop_keeps_trying() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    CloudLink link = new CloudLink(URI.create("http://127.0.0.1:" + port), "HOU1", Clock.systemUTC());
    try (HeartbeatClient hb = client(link).start()) {
      assertThat(link.awaitState(CloudLink.State.OFFLINE, Duration.ofSeconds(30))).isTrue();
      assertThat(link.describe().get("lastError")).asString().contains("ConnectException");
      assertThat(hb.lastAck()).isNull();
    }
  }

  @Test
  void interval_setting_is_validated_naming_the_key() {
    assertThat(HeartbeatClient.interval(null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(HeartbeatClient.interval("0.5")).isEqualTo(Duration.ofMillis(500));
    assertThat(HeartbeatClient.interval("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(HeartbeatClient.interval("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(HeartbeatClient.interval("1m")).isEqualTo(Duration.ofMinutes(1));
    for (String bad : new String[] {"0", "-1s", "fast", "5h"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeartbeatClient.interval(bad))
          .hasMessageContaining("TMS_HEARTBEAT_INTERVAL");
    }
  }
}
