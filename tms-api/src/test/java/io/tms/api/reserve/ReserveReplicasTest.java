package io.tms.api.reserve;

import static io.tms.api.reserve.ReserveFixture.allocation;
import static io.tms.api.reserve.ReserveFixture.committedAndTotal;
import static io.tms.api.reserve.ReserveFixture.enrol;
import static io.tms.api.reserve.ReserveFixture.feed;
import static io.tms.api.reserve.ReserveFixture.sites;
import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.CloudConfig;
import io.tms.api.TestDatabase;
import io.tms.api.feed.FeedNotifier;
import io.tms.api.store.CloudDatabase;
import io.tms.domain.allocation.ReleaseRule;
import io.tms.domain.allocation.ReservePolicy;
import io.tms.testkit.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two cloud replicas (two connection pools, two jobs) on one database, with sites reporting
 * concurrently: the invariant holds in every snapshot, each round runs in one replica, nothing is
 * granted twice.
 */
class ReserveReplicasTest {
  private CloudDatabase db1;
  private CloudDatabase db2;
  private Jdbi jdbi;

  @BeforeEach
  void open() {
    CloudConfig config = TestDatabase.freshCloudConfig();
    db1 = CloudDatabase.open(config);
    db2 = CloudDatabase.open(config);
    jdbi = db1.jdbi();
  }

  @AfterEach
  void close() {
    db2.close();
    db1.close();
  }

  @Test
  void a_round_runs_in_one_replica_and_grants_once() throws Exception {
    String[] codes = new String[8];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = "S" + i;
    }
    sites(jdbi, codes);
    for (int a = 0; a < 30; a++) {
      allocation(jdbi, "A" + a, 1_000_000);
      enrol(jdbi, "A" + a, codes);
    }
    ReserveConfig config = ReserveFixture.config(Duration.ofHours(1), ReservePolicy.DEFAULT, Duration.ofHours(24));
    try (Reserves r1 = ReserveFixture.reserves(db1, config, Clock.systemUTC());
        Reserves r2 = ReserveFixture.reserves(db2, config, Clock.systemUTC())) {
      List<ReserveJob.RoundResult> results = both(r1.job()::tick, r2.job()::tick);
      assertThat(results).filteredOn(ReserveJob.RoundResult::ran).hasSize(1);
      ReserveJob.RoundResult ran = results.stream().filter(ReserveJob.RoundResult::ran).findFirst().orElseThrow();
      assertThat(ran.allocations()).isEqualTo(30);
      assertThat(ran.grantedGallons()).isEqualTo(30L * 8 * 8_000);

      // both replicas forced to run a round at once: allocations are split or re-checked, never granted twice
      List<ReserveJob.RoundResult> forced = both(() -> r1.job().runRound(99), () -> r2.job().runRound(99));
      assertThat(forced.get(0).grantedGallons() + forced.get(1).grantedGallons()).isZero();
      for (int a = 0; a < 30; a++) {
        for (String s : codes) {
          assertThat(feed(jdbi, s, "A" + a)).hasSize(1).first().isEqualTo(new long[] {8_000, 0});
        }
      }
    }
  }

  @Test
  void the_invariant_holds_under_concurrent_reports_and_two_replicas_rebalancing() throws Exception {
    String[] codes = {"S0", "S1", "S2", "S3", "S4", "S5"};
    sites(jdbi, codes);
    long total = 40_000;
    allocation(jdbi, "A1", total);
    enrol(jdbi, "A1", codes);
    // a short horizon and window: rates move quickly, the allocation runs low, rebalancing happens
    ReserveConfig config = ReserveFixture.config(Duration.ZERO, new ReservePolicy(Duration.ofHours(1), 500, 0.75),
        Duration.ofHours(1));
    AtomicBoolean sitesDone = new AtomicBoolean();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(codes.length + 3);
    try (Reserves r1 = ReserveFixture.reserves(db1, config, Clock.systemUTC());
        Reserves r2 = ReserveFixture.reserves(db2, config, Clock.systemUTC());
        // what a site's long poll waits on: a commit to the change log, from either replica
        FeedNotifier feed = new FeedNotifier(() -> db1.dedicatedConnection("test-sites"))) {
      Eventually.until("the sites' feed listener is connected", Duration.ofSeconds(30), feed::listening);
      r1.job().runRound(0); // first grants on the feed before the sites start
      List<Future<?>> jobs = new ArrayList<>();
      long[] rounds = new long[2];
      for (Reserves r : List.of(r1, r2)) {
        int idx = jobs.size();
        jobs.add(pool.submit(() -> {
          while (!sitesDone.get()) {
            r.job().runRound(++rounds[idx]);
          }
        }));
      }
      Future<?> checker = pool.submit(() -> {
        while (!sitesDone.get()) {
          long[] ct = committedAndTotal(jdbi, "A1");
          if (ct[0] > ct[1]) {
            violations.add("committed " + ct[0] + " > total " + ct[1]);
          }
        }
      });
      List<Future<SiteTruth>> sites = new ArrayList<>();
      CountDownLatch done = new CountDownLatch(codes.length);
      CompletableFuture<Void> allDone = new CompletableFuture<>();
      long quota = total * 3 / 4 / codes.length;
      for (int i = 0; i < codes.length; i++) {
        String code = codes[i];
        Reserves mine = i % 2 == 0 ? r1 : r2; // sites' uplinks land in either replica
        Jdbi via = i % 2 == 0 ? db1.jdbi() : db2.jdbi();
        long seed = i;
        sites.add(pool.submit(() -> runSite(code, seed, quota, mine, via, feed, done, allDone)));
      }
      List<SiteTruth> truths = new ArrayList<>();
      for (Future<SiteTruth> f : sites) {
        truths.add(f.get(300, TimeUnit.SECONDS));
      }
      sitesDone.set(true);
      for (Future<?> f : jobs) {
        f.get(60, TimeUnit.SECONDS);
      }
      checker.get(60, TimeUnit.SECONDS);
      r1.job().runRound(0);

      assertThat(violations).isEmpty();
      long consumed = 0;
      for (SiteTruth t : truths) {
        consumed += t.consumed;
        var acct = jdbi.withHandle(h -> h.createQuery("""
                SELECT granted_total, released_total, consumed_total FROM reserve_account
                 WHERE allocation_id = 'A1' AND site_code = :s""").bind("s", t.code)
            .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one());
        assertThat(acct[1]).as("released of %s", t.code).isEqualTo(t.released);
        assertThat(acct[2]).as("consumed of %s (no lost or doubled report)", t.code).isEqualTo(t.consumed);
        List<long[]> records = feed(jdbi, t.code, "A1");
        assertThat(records.getLast()[0]).isEqualTo(acct[0]);
        for (int k = 1; k < records.size(); k++) {
          assertThat(records.get(k)[0]).isGreaterThanOrEqualTo(records.get(k - 1)[0]);
          assertThat(records.get(k)[1]).isGreaterThanOrEqualTo(records.get(k - 1)[1]);
          assertThat(records.get(k)).as("every record changes something").isNotEqualTo(records.get(k - 1));
        }
      }
      assertThat(consumed).as("never oversold").isLessThanOrEqualTo(total);
      assertThat(consumed).as("every site loaded its quota").isEqualTo(quota * codes.length);
      long asked = jdbi.withHandle(h -> h.createQuery(
          "SELECT sum(release_requested_total) FROM reserve_account").mapTo(Long.class).one());
      assertThat(asked).as("reserves were asked back (rebalancing, withdrawal)").isPositive();
    } finally {
      sitesDone.set(true);
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** What really happened at a site. */
  private record SiteTruth(String code, long consumed, long released) {}

  /**
   * A site: reads its latest reserve record from the feed, answers release requests from unused
   * reserve, loads within what it holds and reports each load (sometimes twice) through the ledger,
   * until it has loaded its quota. Then it stops loading, is withdrawn from the allocation and stays
   * online answering requests until every site is done. A site with nothing left waits for its
   * next record (an observable change, with a deadline: a site starved for a minute fails).
   */
  private static SiteTruth runSite(String code, long seed, long quota, Reserves reserves, Jdbi jdbi,
      FeedNotifier changes, CountDownLatch done, CompletableFuture<Void> allDone) throws Exception {
    Random r = new Random(seed);
    long consumed = 0;
    long released = 0;
    String lastRef = null;
    long lastGallons = 0;
    boolean finished = false;
    long[] seen = {-1, -1};
    long waitingSince = System.nanoTime();
    for (int i = 0; done.getCount() > 0; i++) {
      CompletableFuture<Void> change = changes.ticket(); // before the read: no change is missed
      List<long[]> feed = feed(jdbi, code, "A1");
      long[] latest = feed.isEmpty() ? new long[] {0, 0} : feed.getLast();
      if (latest[0] != seen[0] || latest[1] != seen[1]) {
        seen = latest;
        waitingSince = System.nanoTime();
      }
      long give = ReleaseRule.toRelease(latest[1], released, latest[0] - released - consumed);
      if (give > 0) {
        released += give;
        long total = released;
        jdbi.useTransaction(h -> reserves.ledger().released(h, code, "A1", total));
      }
      long available = latest[0] - released - consumed;
      if (!finished && consumed >= quota) {
        finished = true;
        jdbi.useHandle(h -> h.execute(
            "UPDATE reserve_site SET participating = FALSE WHERE allocation_id = 'A1' AND site_code = ?", code));
        done.countDown();
        if (done.getCount() == 0) {
          allDone.complete(null);
        }
      } else if (!finished && available > 0) {
        long g = Math.min(1 + r.nextLong(Math.min(available, 900)), quota - consumed);
        consumed += g;
        String ref = code + "-" + i + "/1";
        jdbi.useTransaction(h -> reserves.ledger().consumed(h, code, "A1", g, ref, Instant.now()));
        lastRef = ref;
        lastGallons = g;
      } else {
        // nothing to load: wait for the next change on the feed (or for the other sites to finish)
        long starving = TimeUnit.SECONDS.toNanos(60) - (System.nanoTime() - waitingSince);
        try {
          CompletableFuture.anyOf(change, allDone)
              .get(finished ? TimeUnit.SECONDS.toNanos(60) : Math.max(0, starving), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          if (!finished) {
            throw new AssertionError(code + " starved: no new reserve for 60 s with " + consumed + " of " + quota);
          }
        }
      }
      if (lastRef != null && r.nextInt(5) == 0) {
        String ref = lastRef;
        long g = lastGallons;
        jdbi.useTransaction(h -> reserves.ledger().consumed(h, code, "A1", g, ref, Instant.now()));
        long total = released;
        jdbi.useTransaction(h -> reserves.ledger().released(h, code, "A1", total));
      }
    }
    return new SiteTruth(code, consumed, released);
  }

  @SafeVarargs
  private static <T> List<T> both(java.util.concurrent.Callable<T>... calls) throws Exception {
    CyclicBarrier start = new CyclicBarrier(calls.length);
    ExecutorService pool = Executors.newFixedThreadPool(calls.length);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (var c : calls) {
        futures.add(pool.submit(() -> {
          start.await();
          return c.call();
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
