package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Json;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.seed.SeedRoster;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.protocol.v1.Lane;
import io.tms.sim.AgentUnderTest;
import io.tms.sim.LoopbackHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 the agent (a real child process: {@code tms agent}) in the middle of a stream of loads,
 * restart it on the same data: every BOL a client was given is still there, no BOL number or
 * outbox seq is reused, and the hash chain verifies.
 */
class CrashSafetyTest {
  private static final String SITE = "CRASH1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void every_bol_a_client_received_survives_kill_dash_nine() throws Exception {
    Path data = dir.resolve("data");
    SeedRoster roster = DemoSeed.roster(SITE, SeedProfile.DEMO, LocalDate.now(DemoSeed.ZONE));
    Map<String, String> received = new ConcurrentHashMap<>(); // BOL number -> load id

    try (AgentUnderTest agent = start(data, "first")) {
      CountDownLatch enough = new CountDownLatch(40);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> terminals = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int bay = i;
        terminals.add(Thread.ofVirtual().start(() -> TestTerminals.loadUntilStopped(agent, roster, bay, received, enough, stop, true)));
      }
      assertThat(enough.await(120, TimeUnit.SECONDS)).as("40 BOLs issued before the crash").isTrue();
      agent.kill(); // mid-stream: requests are in flight
      stop.set(true);
      for (Thread t : terminals) {
        t.join(Duration.ofSeconds(30));
      }
    }
    assertThat(received).hasSizeGreaterThanOrEqualTo(40);

    Set<String> afterRestart = ConcurrentHashMap.newKeySet();
    try (AgentUnderTest agent = start(data, "second")) {
      LoopbackHttp http = new LoopbackHttp(agent.base());
      for (var e : received.entrySet()) {
        var r = http.get("/v1/bols/" + e.getKey());
        assertThat(r.status()).as("BOL %s after the crash", e.getKey()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("loadId").asText()).isEqualTo(e.getValue());
      }
      // loads cut off by the crash are still at their bays: the operator cancels them
      for (JsonNode bay : JSON.readTree(http.get("/v1/bays").body()).get("bays")) {
        if (bay.get("status").asText().equals("LOADING")) {
          var r = http.post("/v1/loads/" + bay.get("loadId").asText() + "/cancel", "{\"reason\":\"agent restarted\"}", null);
          assertThat(r.status()).isEqualTo(200);
        }
      }
      // and the site carries on: new BOLs never reuse a number
      CountDownLatch more = new CountDownLatch(8);
      AtomicBoolean stop = new AtomicBoolean();
      Map<String, String> later = new ConcurrentHashMap<>();
      List<Thread> terminals = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int bay = i;
        terminals.add(Thread.ofVirtual().start(() -> TestTerminals.loadUntilStopped(agent, roster, bay, later, more, stop, true)));
      }
      assertThat(more.await(60, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      for (Thread t : terminals) {
        t.join(Duration.ofSeconds(30));
      }
      afterRestart.addAll(later.keySet());
    }
    assertThat(afterRestart).doesNotContainAnyElementsOf(received.keySet());
    long maxBefore = received.keySet().stream().mapToLong(CrashSafetyTest::seq).max().orElseThrow();
    assertThat(afterRestart).allSatisfy(n -> assertThat(seq(n)).isGreaterThan(maxBefore));

    try (SiteDatabase db = SiteDatabase.open(data, SITE, Clock.systemUTC(), 8)) {
      var check = db.reader().withHandle(h -> new OutboxStore(Json.mapper()).verify(h, Lane.BUSINESS));
      assertThat(check.ok()).as(check.problem()).isTrue();
      List<Long> seqs = db.reader().withHandle(h -> h.createQuery("SELECT seq FROM bol ORDER BY seq")
          .mapTo(Long.class).list());
      for (int i = 0; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).as("BOL sequence without gaps or repeats").isEqualTo(i + 1L);
      }
      long bolEvents = db.reader().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM outbox WHERE type = 'bol.issued.v1'").mapTo(Long.class).one());
      assertThat(bolEvents).as("one outbox event per BOL").isEqualTo(seqs.size());
    }
  }

  private AgentUnderTest start(Path data, String name) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = List.of(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), TmsCommand.class.getName(),
        "agent", "--site", SITE, "--data", data.toString(), "--seed", "demo", "--host", "127.0.0.1", "--port", "0");
    return AgentUnderTest.start(cmd, dir.resolve(name + ".log"), Duration.ofSeconds(60));
  }

  private static long seq(String bolNumber) {
    return Long.parseLong(bolNumber.substring(bolNumber.lastIndexOf('-') + 1));
  }
}
