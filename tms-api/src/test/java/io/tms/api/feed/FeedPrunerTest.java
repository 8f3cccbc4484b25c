package io.tms.api.feed;

import static io.tms.api.feed.FeedHttp.append;
import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.protocol.v1.sync.CustomerV1;
import io.tms.protocol.v1.sync.ProductV1;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedPrunerTest {
  private static final FeedSettings SETTINGS = new FeedSettings(10, 0, 1_000, 5_000);

  Cloud cloud;
  Jdbi jdbi;
  ChangeFeed feed;
  FeedPruner pruner;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    jdbi = cloud.database().jdbi();
    FeedHttp.site(jdbi, "HOU1");
    FeedHttp.site(jdbi, "DAL1");
    feed = new ChangeFeed(jdbi, null, SETTINGS);
    pruner = new FeedPruner(jdbi, SETTINGS, Duration.ZERO);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void superseded_rows_far_below_the_head_go_and_every_snapshot_and_recent_reader_sees_the_same() {
    // one product renamed 30 times, a fleet-wide customer and a Dallas-only one never changed
    long base = append(jdbi, null, new CustomerV1("C1", "Everyone's", true));
    append(jdbi, "DAL1", new CustomerV1("C2", "Dallas only", true));
    for (int i = 0; i < 30; i++) {
      append(jdbi, null, new ProductV1("ULSD", "Diesel v" + i, "FUEL_OILS", true));
    }
    long head = append(jdbi, "HOU1", new CustomerV1("C3", "Houston only", true));
    long recent = head - 5; // a site 5 revs behind: within the lag, it reads changes
    var snapshotHou = feed.read("HOU1", 0, 1_000);
    var snapshotDal = feed.read("DAL1", 0, 1_000);
    var changesHou = feed.read("HOU1", recent, 1_000);
    long rowsBefore = rows();

    long pruned = pruner.prune();

    // rows <= head - maxLag with a newer row of the same record: ULSD v0 .. v(30 - 1 - ...) below the cutoff
    long cutoff = head - SETTINGS.maxLag();
    long expected = countUlsdAtOrBelow(base, cutoff);
    assertThat(pruned).isEqualTo(expected).isPositive();
    assertThat(rows()).isEqualTo(rowsBefore - pruned);
    assertThat(feed.read("HOU1", 0, 1_000)).isEqualTo(snapshotHou);
    assertThat(feed.read("DAL1", 0, 1_000)).isEqualTo(snapshotDal);
    assertThat(feed.read("HOU1", recent, 1_000)).isEqualTo(changesHou);
    // the latest row of every record stays, including ones never changed
    List<String> keys = jdbi.withHandle(h -> h.createQuery("SELECT entity || ':' || key FROM change_log ORDER BY rev")
        .mapTo(String.class).list());
    assertThat(keys).contains("customer:C1", "customer:C2", "customer:C3", "product:ULSD");
    // a second run finds nothing more to do
    assertThat(pruner.prune()).isZero();
  }

  @Test
  void a_site_behind_the_pruned_rows_takes_a_snapshot_that_holds_the_latest_of_every_record() {
    append(jdbi, null, new CustomerV1("C1", "Everyone's", true));
    long early = append(jdbi, null, new ProductV1("ULSD", "Diesel v0", "FUEL_OILS", true));
    for (int i = 1; i < 30; i++) {
      append(jdbi, null, new ProductV1("ULSD", "Diesel v" + i, "FUEL_OILS", true));
    }
    assertThat(pruner.prune()).isPositive();

    var answer = feed.read("HOU1", early, 1_000);

    assertThat(answer.snapshot()).isTrue();
    assertThat(answer.changes()).extracting(ChangeFeed.Row::recordJson)
        .anySatisfy(r -> assertThat(r).contains("Diesel v29"))
        .anySatisfy(r -> assertThat(r).contains("Everyone's"))
        .noneSatisfy(r -> assertThat(r).contains("Diesel v28"));
  }

  private long rows() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM change_log").mapTo(Long.class).one());
  }

  private long countUlsdAtOrBelow(long base, long cutoff) {
    // ULSD rows are base + 2 .. base + 31; the newest (base + 31) is never superseded
    long first = base + 2;
    long lastSuperseded = Math.min(base + 30, cutoff);
    return Math.max(0, lastSuperseded - first + 1);
  }
}
