package io.tms.api.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.ReplicaProcess;
import io.tms.api.TestDatabase;
import io.tms.protocol.v1.sync.ChangeV1;
import io.tms.protocol.v1.sync.ChangesV1;
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
  private ReplicaProcess a;
  private ReplicaProcess b;

  @AfterEach
  void stop() throws InterruptedException {
    for (ReplicaProcess p : new ReplicaProcess[] {a, b}) {
      if (p != null) {
        p.close();
      }
    }
  }

  @Test
  void a_long_poll_in_each_replica_wakes_on_a_change_committed_outside_it() throws Exception {
    String url = TestDatabase.freshUrl();
    a = ReplicaProcess.start(url, java.util.Map.of());
    String baseA = a.base().toString();
    b = ReplicaProcess.start(url, java.util.Map.of());
    String baseB = b.base().toString();
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
}
