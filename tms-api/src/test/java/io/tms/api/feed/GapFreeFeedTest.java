package io.tms.api.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.protocol.v1.sync.ChangeV1;
import io.tms.protocol.v1.sync.ChangesV1;
import io.tms.protocol.v1.sync.ProductV1;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §3, "careful": with many writers committing concurrently, a reader that follows the feed
 * by {@code rev > after} must see every committed change exactly once, in rev order, and never a
 * change whose transaction rolled back.
 */
class GapFreeFeedTest {
  static final int WRITERS = 8;
  static final int TRANSACTIONS = 30;

  @Test
  void a_reader_following_the_feed_sees_every_committed_change_once_in_order_and_no_rolled_back_one()
      throws Exception {
    try (Cloud cloud = Cloud.start(TestDatabase.freshCloudConfig().withPoolSize(WRITERS + 6))) {
      Jdbi jdbi = cloud.database().jdbi();
      String base = "http://127.0.0.1:" + cloud.port();
      FeedHttp.site(jdbi, "HOU1");
      FeedHttp.site(jdbi, "DAL1");
      long start = FeedHttp.append(jdbi, null, FeedHttp.product("START"));
      ChangeLog log = new ChangeLog(FeedHttp.JSON);

      Map<String, Long> committed = new ConcurrentHashMap<>();       // key -> rev, HOU1 may see it
      Map<String, Long> committedElsewhere = new ConcurrentHashMap<>(); // scoped to DAL1
      Set<String> rolledBack = ConcurrentHashMap.newKeySet();
      AtomicBoolean writersDone = new AtomicBoolean();
      List<ChangeV1> seen = new ArrayList<>();
      List<ChangesV1> answers = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);

      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<?> reader = pool.submit(() -> {
          long after = start;
          go.countDown();
          while (true) {
            boolean last = writersDone.get();
            ChangesV1 a = FeedHttp.changes(base, "HOU1", after, 200, 7);
            answers.add(a);
            seen.addAll(a.changes());
            after = a.rev();
            if (last && !a.more() && a.changes().isEmpty()) {
              return null;
            }
          }
        });
        go.await();
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          writers.add(pool.submit(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int tx = 0; tx < TRANSACTIONS; tx++) {
              int t = tx;
              int n = 1 + random.nextInt(4);
              boolean rollBack = random.nextInt(4) == 0;
              Map<String, Long> mine = new java.util.LinkedHashMap<>();
              Map<String, Long> theirs = new java.util.LinkedHashMap<>();
              List<String> keys = new ArrayList<>();
              try {
                jdbi.useTransaction(h -> {
                  for (int i = 0; i < n; i++) {
                    String key = "W" + writer + "T" + t + "N" + i;
                    keys.add(key);
                    boolean elsewhere = random.nextInt(5) == 0;
                    long rev = log.append(h, elsewhere ? "DAL1" : null, new ProductV1(key, key, "FUEL_OILS", true));
                    (elsewhere ? theirs : mine).put(key, rev);
                    // transactions of random length: hold the feed lock a little while
                    h.createQuery("SELECT pg_sleep(:s)").bind("s", random.nextInt(3) / 1000.0).mapTo(String.class)
                        .one();
                  }
                  if (rollBack) {
                    throw new IllegalStateException("roll back");
                  }
                });
                committed.putAll(mine);
                committedElsewhere.putAll(theirs);
              } catch (IllegalStateException e) {
                rolledBack.addAll(keys);
              }
            }
            return null;
          }));
        }
        for (Future<?> f : writers) {
          f.get(5, TimeUnit.MINUTES);
        }
        writersDone.set(true);
        reader.get(5, TimeUnit.MINUTES);
      }

      long head = jdbi.withHandle(h -> h.createQuery("SELECT rev FROM feed_head").mapTo(Long.class).one());
      List<Long> seenRevs = seen.stream().map(ChangeV1::rev).toList();
      assertThat(seenRevs).as("in rev order, each once").isSorted().doesNotHaveDuplicates();
      assertThat(answers).noneMatch(ChangesV1::snapshot);
      Map<String, Long> seenByKey = new java.util.HashMap<>();
      seen.forEach(c -> seenByKey.put(c.record().key(), c.rev()));
      assertThat(seenByKey).as("every committed change, at the rev its writer got").isEqualTo(committed);
      assertThat(seenByKey.keySet()).as("no rolled-back change").doesNotContainAnyElementsOf(rolledBack);
      // and the revs have no hole: what this site saw plus what went to the other site is start+1..head
      List<Long> all = new ArrayList<>(seenRevs);
      all.addAll(committedElsewhere.values());
      assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(start + 1, head).boxed().toList());
      assertThat(rolledBack).as("some transactions rolled back").isNotEmpty();
      assertThat(committed.size()).as("a real workload").isGreaterThan(WRITERS * TRANSACTIONS / 2);
    }
  }
}
