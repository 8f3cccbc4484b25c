package io.tms.api.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.TestDatabase;
import io.tms.protocol.v1.sync.ChangeV1;
import io.tms.protocol.v1.sync.ChangesV1;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two cloud replicas as two real processes on one database: a long poll waiting in one wakes on a
 * change committed elsewhere, because PostgreSQL's NOTIFY reaches every replica's listener.
 */
class TwoReplicaFeedTest {
  private Process a;
  private Process b;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : new Process[] {a, b}) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void a_long_poll_in_each_replica_wakes_on_a_change_committed_outside_it() throws Exception {
    String url = TestDatabase.freshUrl();
    a = replica(url);
    String baseA = ready(a);
    b = replica(url);
    String baseB = ready(b);
    Jdbi jdbi = Jdbi.create(() -> java.sql.DriverManager.getConnection(url, "postgres", null));
    FeedHttp.site(jdbi, "HOU1");
    long head = FeedHttp.append(jdbi, null, FeedHttp.product("ULSD"));

    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var pollA = pool.submit(() -> FeedHttp.changes(baseA, "HOU1", head, 20_000, 100));
      var pollB = pool.submit(() -> FeedHttp.changes(baseB, "HOU1", head, 20_000, 100));
      FeedHttp.awaitWaiting(baseA, 1);
      FeedHttp.awaitWaiting(baseB, 1);
      // written by a third process (this test JVM) straight into the shared database
      long rev = FeedHttp.append(jdbi, null, FeedHttp.product("RUL"));

      // without the notification both polls would end after 20 s with no change
      ChangesV1 fromA = pollA.get(60, TimeUnit.SECONDS);
      ChangesV1 fromB = pollB.get(60, TimeUnit.SECONDS);
      assertThat(fromA.changes()).extracting(ChangeV1::rev).containsExactly(rev);
      assertThat(fromB.changes()).extracting(ChangeV1::rev).containsExactly(rev);
      assertThat(fromA).isEqualTo(fromB);
    }
    // and both serve the same feed to a new site
    assertThat(FeedHttp.changes(baseA, "HOU1", 0, 0, 100)).isEqualTo(FeedHttp.changes(baseB, "HOU1", 0, 0, 100));
  }

  private static Process replica(String dbUrl) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.tms.api.CloudMain");
    pb.environment().put("TMS_DB_URL", dbUrl);
    pb.environment().put("TMS_DB_USER", "postgres");
    pb.environment().put("TMS_DB_POOL_SIZE", "4");
    pb.environment().put("TMS_HTTP_HOST", "127.0.0.1");
    pb.environment().put("TMS_HTTP_PORT", "0");
    pb.redirectErrorStream(true);
    return pb.start();
  }

  /** Reads the child's output until it prints its ready line; the rest is drained in the background. */
  private static String ready(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url = new CompletableFuture<>();
    StringBuilder log = new StringBuilder();
    Thread.ofVirtual().start(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          int at = line.indexOf("tms cloud: ready on ");
          if (at >= 0) {
            url.complete(line.substring(at + "tms cloud: ready on ".length()).trim());
          } else if (!url.isDone()) {
            synchronized (log) {
              log.append(line).append('\n');
            }
          }
        }
        url.completeExceptionally(new IllegalStateException("replica exited before it was ready:\n" + log));
      } catch (IOException e) {
        url.completeExceptionally(e);
      }
    });
    return url.get(90, TimeUnit.SECONDS);
  }
}
