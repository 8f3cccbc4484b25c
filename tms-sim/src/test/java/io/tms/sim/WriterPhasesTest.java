package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.agent.Json;
import io.tms.agent.SiteMetrics;
import io.tms.agent.service.SiteQueries;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SequenceStore;
import io.tms.agent.store.SiteDatabase;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge bench's writer breakdown reads what the agent really publishes: a site's own metrics,
 * scraped before and after some writes, give every phase, the flushes and the units per commit of
 * the writes between the two scrapes only.
 */
class WriterPhasesTest {
  @Test
  void readsTheWritersPhasesBetweenTwoScrapesOfTheAgentsMetrics(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "WP1", Clock.systemUTC(), 64)) {
      SiteMetrics metrics = new SiteMetrics("WP1");
      metrics.bind(new SiteQueries(db.reader(), () -> null, Json.mapper(), Clock.systemUTC(), new OutboxStore(Json.mapper())),
          db.writer());
      SequenceStore sequences = new SequenceStore();
      db.writer().write(ctx -> sequences.next(ctx, "bol"));
      WriterPhases.Snapshot before = WriterPhases.Snapshot.parse(metrics.scrape());

      WriterPhases nothing = new WriterPhases(before, WriterPhases.Snapshot.parse(metrics.scrape()));
      assertThat(nothing.quantileMs("queued", 0.99)).isNaN();
      assertThat(nothing.unitsPerCommit()).isNaN();

      for (int i = 0; i < 20; i++) {
        db.writer().write(ctx -> sequences.next(ctx, "bol"));
      }
      WriterPhases window = new WriterPhases(before, WriterPhases.Snapshot.parse(metrics.scrape()));
      for (String phase : WriterPhases.PHASES) {
        assertThat(window.quantileMs(phase, 0.50)).as(phase).isFinite().isNotNegative();
        assertThat(window.quantileMs(phase, 0.99)).as(phase).isGreaterThanOrEqualTo(window.quantileMs(phase, 0.50));
      }
      assertThat(window.quantileMs("flush", 0.99)).isFinite().isPositive();
      // one writer, one write at a time: each commit held exactly one unit
      assertThat(window.unitsPerCommit()).isEqualTo(1.0);
    }
  }
}
