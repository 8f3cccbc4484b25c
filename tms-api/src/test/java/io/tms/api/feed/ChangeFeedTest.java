package io.tms.api.feed;

import static io.tms.api.feed.FeedHttp.append;
import static io.tms.api.feed.FeedHttp.product;
import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.protocol.v1.sync.ChangeV1;
import io.tms.protocol.v1.sync.ChangesV1;
import io.tms.protocol.v1.sync.CustomerV1;
import io.tms.protocol.v1.sync.ProductV1;
import io.tms.testkit.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChangeFeedTest {
  Cloud cloud;
  Jdbi jdbi;
  String base;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    jdbi = cloud.database().jdbi();
    base = "http://127.0.0.1:" + cloud.port();
    FeedHttp.site(jdbi, "HOU1");
    FeedHttp.site(jdbi, "DAL1");
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void a_long_poll_wakes_on_a_write_and_answers_the_change() throws Exception {
    long head = append(jdbi, null, product("ULSD"));
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var poll = pool.submit(() -> FeedHttp.changes(base, "HOU1", head, 20_000, 100));
      FeedHttp.awaitWaiting(base, 1);
      long rev = append(jdbi, null, product("RUL"));

      ChangesV1 answer = poll.get(60, TimeUnit.SECONDS);
      // without the wake-up the poll would end after 20 s with no changes
      assertThat(answer.changes()).extracting(ChangeV1::rev).containsExactly(rev);
      assertThat(answer.changes().getFirst().record()).isEqualTo(product("RUL"));
      assertThat(answer.rev()).isEqualTo(rev);
      assertThat(answer.snapshot()).isFalse();
    }
  }

  @Test
  void a_change_for_another_site_does_not_end_the_poll_but_advances_the_head() throws Exception {
    long head = append(jdbi, null, product("ULSD"));
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var poll = pool.submit(() -> FeedHttp.changes(base, "HOU1", head, 20_000, 100));
      FeedHttp.awaitWaiting(base, 1);
      long other = append(jdbi, "DAL1", new CustomerV1("C9", "Dallas only", true));
      // the poll was woken, found nothing for HOU1 and waits again
      FeedHttp.awaitWaiting(base, 1);
      long mine = append(jdbi, "HOU1", new CustomerV1("C1", "Houston only", true));

      ChangesV1 answer = poll.get(60, TimeUnit.SECONDS);
      assertThat(answer.changes()).extracting(ChangeV1::rev).containsExactly(mine);
      assertThat(other).isLessThan(mine);
    }
    ChangesV1 idle = FeedHttp.changes(base, "DAL1", 1_000_000, 0, 100);
    assertThat(idle.snapshot()).as("a site ahead of the head (restored database) starts over").isTrue();
  }

  @Test
  void an_empty_answer_moves_the_site_to_the_head() {
    append(jdbi, null, product("ULSD"));
    long last = append(jdbi, "DAL1", product("DALONLY"));
    ChangesV1 answer = FeedHttp.changes(base, "HOU1", 1, 0, 100);
    assertThat(answer.changes()).isEmpty();
    assertThat(answer.rev()).isEqualTo(last);
    assertThat(answer.more()).isFalse();
  }

  @Test
  void answers_are_cut_at_the_limit_with_more() {
    append(jdbi, null, product("P0"));
    for (int i = 1; i <= 5; i++) {
      append(jdbi, null, product("P" + i));
    }
    ChangesV1 first = FeedHttp.changes(base, "HOU1", 1, 0, 2);
    assertThat(first.changes()).extracting(ChangeV1::rev).containsExactly(2L, 3L);
    assertThat(first.more()).isTrue();
    assertThat(first.rev()).isEqualTo(3);
    ChangesV1 rest = FeedHttp.changes(base, "HOU1", first.rev(), 0, 10);
    assertThat(rest.changes()).extracting(ChangeV1::rev).containsExactly(4L, 5L, 6L);
    assertThat(rest.more()).isFalse();
  }

  @Test
  void a_new_site_or_one_too_far_behind_takes_a_snapshot_of_what_it_may_see() throws Exception {
    try (FeedNotifier notifier = new FeedNotifier(() -> cloud.database().dedicatedConnection("test"))) {
      snapshots(new ChangeFeed(jdbi, notifier, new FeedSettings(5, 1_000, 100, 100)));
    }
  }

  private void snapshots(ChangeFeed feed) {
    append(jdbi, null, product("ULSD"));
    long ulsd2 = append(jdbi, null, new ProductV1("ULSD", "Diesel, renamed", "FUEL_OILS", true));
    append(jdbi, "DAL1", new CustomerV1("C9", "Dallas only", true));
    long c1 = append(jdbi, "HOU1", new CustomerV1("C1", "Houston only", true));
    long rul = 0;
    for (int i = 0; i < 10; i++) {
      rul = append(jdbi, null, new ProductV1("RUL", "Regular v" + i, "GASOLINES", i < 9));
    }

    ChangeFeed.Answer behind = feed.read("HOU1", 2, 100);
    assertThat(behind.snapshot()).isTrue();
    assertThat(behind.rev()).isEqualTo(rul);
    assertThat(behind.changes()).extracting(ChangeFeed.Row::rev).containsExactly(ulsd2, c1, rul);
    assertThat(behind.changes().get(0).recordJson()).contains("Diesel, renamed");
    assertThat(behind.changes().get(2).recordJson()).contains("Regular v9");

    assertThat(feed.read("HOU1", 0, 100).snapshot()).as("new site").isTrue();
    assertThat(feed.read("HOU1", rul + 1, 100).snapshot()).as("ahead of the head").isTrue();
    ChangeFeed.Answer close = feed.read("HOU1", rul - 3, 100);
    assertThat(close.snapshot()).isFalse();
    assertThat(close.changes()).hasSize(3);

    // the same through HTTP (default lag bound): a new site gets a snapshot
    ChangesV1 fresh = FeedHttp.changes(base, "HOU1", 0, 0, 100);
    assertThat(fresh.snapshot()).isTrue();
    assertThat(fresh.changes()).extracting(c -> c.record().key()).containsExactly("ULSD", "C1", "RUL");
  }

  @Test
  void an_empty_feed_makes_a_new_site_wait_instead_of_sending_empty_snapshots() {
    ChangesV1 answer = FeedHttp.changes(base, "HOU1", 0, 0, 100);
    assertThat(answer.snapshot()).isFalse();
    assertThat(answer.rev()).isZero();
  }

  @Test
  void unknown_or_inactive_sites_and_bad_parameters_are_refused_with_problems() {
    var unknown = FeedHttp.get(base, "/edge/v1/sites/NOPE1/changes?after=0");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    assertThat(unknown.body()).contains("\"field\":\"site\"");

    jdbi.useHandle(h -> h.execute("UPDATE site SET active = FALSE WHERE code = 'DAL1'"));
    assertThat(FeedHttp.get(base, "/edge/v1/sites/DAL1/changes?after=0").status()).isEqualTo(404);

    for (String bad : List.of("after=-1", "after=x", "waitMs=-5", "limit=0")) {
      var r = FeedHttp.get(base, "/edge/v1/sites/HOU1/changes?" + bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.body()).as(bad).contains("\"field\":\"" + bad.substring(0, bad.indexOf('=')) + "\"");
    }
  }

  @Test
  void the_listener_reconnects_after_its_connection_is_killed_and_polls_still_wake() throws Exception {
    long head = append(jdbi, null, product("ULSD"));
    Integer pid = awaitListener(null);
    jdbi.useHandle(h -> h.createQuery("SELECT pg_terminate_backend(:pid)").bind("pid", pid).mapTo(Boolean.class).one());
    awaitListener(pid);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var poll = pool.submit(() -> FeedHttp.changes(base, "HOU1", head, 20_000, 100));
      FeedHttp.awaitWaiting(base, 1);
      long rev = append(jdbi, null, product("RUL"));
      assertThat(poll.get(60, TimeUnit.SECONDS).changes()).extracting(ChangeV1::rev).containsExactly(rev);
    }
  }

  @Test
  void a_notification_between_a_waiters_read_and_its_wait_is_not_lost() throws Exception {
    try (FeedNotifier notifier = new FeedNotifier(() -> cloud.database().dedicatedConnection("test-notifier"))) {
      Eventually.until("the notifier is listening", Duration.ofSeconds(30), notifier::listening);
      var ticket = notifier.ticket();              // taken before the (imagined) read of the feed
      long rev = append(jdbi, null, product("RUL")); // committed after that read, before the wait
      Eventually.until("the notification of rev " + rev + " is heard", Duration.ofSeconds(30),
          () -> notifier.heardRev() >= rev);
      // the wait that follows returns at once instead of sleeping through the change
      assertThat(notifier.await(ticket, 60_000)).isTrue();
      assertThat(notifier.await(notifier.ticket(), 1)).as("a fresh ticket is not completed").isFalse();
    }
  }

  /** Waits until the replica's listener is connected on a backend other than {@code not}. */
  private Integer awaitListener(Integer not) throws InterruptedException {
    Eventually.until("the listener is connected (not on backend " + not + ")", Duration.ofSeconds(30), () -> {
      Integer pid = listenerPid();
      return pid != null && !pid.equals(not);
    });
    return listenerPid();
  }

  private Integer listenerPid() {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT pid FROM pg_stat_activity
            WHERE application_name = 'tms-feed-listener' AND datname = current_database()""")
        .mapTo(Integer.class).findOne().orElse(null));
  }
}
