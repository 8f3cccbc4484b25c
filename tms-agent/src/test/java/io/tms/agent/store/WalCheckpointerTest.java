package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.agent.Json;
import io.tms.protocol.v1.Lane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL is checkpointed beside the writer, not in its commits, and still restarts once it has grown
 * past its bound: the writer checkpoints the rest between two transactions and the next one begins
 * the WAL anew. Steps are driven by the test ({@code checkpointNow} stands for the background pass).
 */
class WalCheckpointerTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T07:30:00Z"), ZoneOffset.UTC);
  private static final int RESTART_FRAMES = 64;

  @Test
  void theWalIsCopiedBesideTheWriterAndRestartsPastItsBound(@TempDir Path dir) throws Exception {
    OutboxStore outbox = new OutboxStore(Json.mapper());
    String body = "x".repeat(3000);
    // no background pass on its own during the test: each step is the test's
    try (SiteDatabase db = SiteDatabase.open(dir, "W1", CLOCK, 64, WalSync::new, RESTART_FRAMES, Duration.ofHours(1))) {
      WriteQueue writer = db.writer();
      WalCheckpointer checkpointer = db.checkpointer();
      long dbBytesBefore = Files.size(dir.resolve(SiteDatabase.FILE_NAME));
      for (int i = 0; i < 60; i++) {
        writer.write(ctx -> outbox.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("body", body)));
      }
      checkpointer.checkpointNow();
      assertThat(checkpointer.walFrames()).as("the WAL has grown past its bound").isGreaterThan(RESTART_FRAMES);
      assertThat(Files.size(dir.resolve(SiteDatabase.FILE_NAME)))
          .as("pages copied into the database file while the site runs").isGreaterThan(dbBytesBefore);

      // the writer checkpoints the rest after its next commit; the commit after that restarts the WAL
      writer.write(ctx -> outbox.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("body", body)));
      writer.write(ctx -> outbox.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("body", body)));
      checkpointer.checkpointNow();
      assertThat(checkpointer.walFrames()).as("only the last commit's frames").isLessThan(RESTART_FRAMES);

      long events = db.reader().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one());
      assertThat(events).isEqualTo(62);
    }
  }
}
