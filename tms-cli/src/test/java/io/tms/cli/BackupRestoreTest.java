package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.AgentMain;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.seed.SeedRoster;
import io.tms.agent.store.SiteBackup;
import io.tms.agent.store.SiteDatabase;
import io.tms.sim.AgentUnderTest;
import io.tms.sim.LoopbackHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge backup end to end, with real processes: {@code tms backup} copies the database of a
 * running agent (its own process) while terminals keep loading; {@code tms restore} puts the copy
 * into a fresh directory; the agent image's entry point ({@link AgentMain}) starts on it and serves
 * every BOL issued before the backup began, with the outbox hash chain intact.
 */
class BackupRestoreTest {
  private static final String SITE = "BKUP1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void backup_while_loading_then_restore_into_a_fresh_directory_and_start() throws Exception {
    Path data = dir.resolve("data");
    Path backup = dir.resolve("backups").resolve("BKUP1.db");
    SeedRoster roster = DemoSeed.roster(SITE, SeedProfile.DEMO, LocalDate.now(DemoSeed.ZONE));
    Map<String, String> received = new ConcurrentHashMap<>(); // BOL number -> load id
    Map<String, String> beforeBackup;
    long bolsAfterBackup;

    try (AgentUnderTest agent = AgentUnderTest.start(tms("agent", "--site", SITE, "--data", data.toString(),
        "--seed", "demo", "--host", "127.0.0.1", "--port", "0"), dir.resolve("agent.log"), Duration.ofSeconds(60))) {
      CountDownLatch warm = new CountDownLatch(20);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> terminals = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int bay = i;
        terminals.add(Thread.ofVirtual().start(() -> TestTerminals.loadUntilStopped(agent, roster, bay, received, warm, stop, false)));
      }
      assertThat(warm.await(120, TimeUnit.SECONDS)).as("20 BOLs before the backup").isTrue();
      beforeBackup = Map.copyOf(received);

      Run run = run(tms("backup", "--data", data.toString(), "--to", backup.toString()), "backup");
      assertThat(run.exit()).as(run.output()).isZero();
      assertThat(run.output()).contains("tms backup: site " + SITE).contains("business").contains("events chained");
      int atBackupEnd = received.size();

      // the terminals were never held up: loads go on after the backup
      CountDownLatch more = new CountDownLatch(5);
      Map<String, String> after = new ConcurrentHashMap<>();
      Thread watcher = Thread.ofVirtual().start(() -> TestTerminals.loadUntilStopped(agent, roster, 7, after, more, stop, false));
      assertThat(more.await(60, TimeUnit.SECONDS)).as("loads after the backup").isTrue();
      stop.set(true);
      for (Thread t : terminals) {
        t.join(Duration.ofSeconds(30));
      }
      watcher.join(Duration.ofSeconds(30));
      bolsAfterBackup = received.size() - atBackupEnd + after.size();
    }
    assertThat(bolsAfterBackup).isPositive();

    SiteBackup.Checked copy = SiteBackup.check(backup);
    assertThat(copy.ok()).as(copy.lanes().toString()).isTrue();
    assertThat(copy.site()).isEqualTo(SITE);
    assertThat(copy.bols()).isGreaterThanOrEqualTo(beforeBackup.size());

    // a restore never lands on a directory that holds a site
    long liveSize = Files.size(data.resolve(SiteDatabase.FILE_NAME));
    Run refused = run(tms("restore", "--from", backup.toString(), "--data", data.toString()), "refused");
    assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
    assertThat(refused.output()).contains("already holds a site database");
    assertThat(Files.size(data.resolve(SiteDatabase.FILE_NAME))).isEqualTo(liveSize);

    Path restored = dir.resolve("restored");
    Run run = run(tms("restore", "--from", backup.toString(), "--data", restored.toString()), "restore");
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("restored into");

    String java = ProcessHandle.current().info().command().orElse("java");
    Map<String, String> env = new HashMap<>(Map.of("TMS_SITE", SITE, "TMS_DATA", restored.toString(),
        "TMS_HTTP_HOST", "127.0.0.1", "TMS_HTTP_PORT", "0"));
    try (AgentUnderTest agent = AgentUnderTest.start(List.of(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), AgentMain.class.getName()), env, dir.resolve("restored.log"),
        Duration.ofSeconds(60)); LoopbackHttp http = new LoopbackHttp(agent.base())) {
      for (var e : beforeBackup.entrySet()) {
        var r = http.get("/v1/bols/" + e.getKey());
        assertThat(r.status()).as("BOL %s after the restore", e.getKey()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("loadId").asText()).isEqualTo(e.getValue());
      }
      JsonNode status = JSON.readTree(http.get("/v1/status").body());
      assertThat(status.get("bolsIssued").asLong()).isEqualTo(copy.bols());
    }
    Run verify = run(tms("verify", "--site", SITE, "--data", restored.toString()), "verify");
    assertThat(verify.exit()).as(verify.output()).isZero();
  }

  private List<String> tms(String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), TmsCommand.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private record Run(int exit, String output) {}

  private Run run(List<String> cmd, String name) throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(name + " finished").isTrue();
    return new Run(p.exitValue(), Files.readString(log));
  }
}
