package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.agent.Json;
import io.tms.protocol.v1.Lane;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxStoreTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-25T14:00:00Z"), ZoneOffset.UTC);

  @Test
  void anAppendRolledBackWithItsUnitLeavesNoGapInTheChain(@TempDir Path dir) {
    OutboxStore outbox = new OutboxStore(Json.mapper());
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      long first = db.writer().write(ctx -> outbox.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("n", 1)));
      assertThatThrownBy(() -> db.writer().write(ctx -> {
        outbox.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("n", 2));
        throw new IllegalStateException("the unit fails after appending");
      })).hasMessage("the unit fails after appending");
      long second = db.writer().write(ctx -> outbox.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("n", 3)));
      long telemetry = db.writer().write(ctx -> outbox.append(ctx, Lane.TELEMETRY, "test", ctx.now(), Map.of()));

      assertThat(first).isEqualTo(1);
      assertThat(second).isEqualTo(2);
      assertThat(telemetry).isEqualTo(1);
      var check = db.reader().withHandle(h -> outbox.verify(h, Lane.BUSINESS));
      assertThat(check.ok()).as(check.problem()).isTrue();
      assertThat(check.events()).isEqualTo(2);
      List<OutboxStore.Event> events = db.reader().withHandle(h -> outbox.read(h, Lane.BUSINESS, 0, 10));
      assertThat(events)
          .extracting(OutboxStore.Event::body)
          .containsExactly("{\"n\":1}", "{\"n\":3}");
    }
  }

  @Test
  void appendsContinueTheChainAStoreFindsOnDisk(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      OutboxStore before = new OutboxStore(Json.mapper());
      db.writer().write(ctx -> before.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("n", 1)));
    }
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      OutboxStore after = new OutboxStore(Json.mapper());
      long seq = db.writer().write(ctx -> after.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("n", 2)));

      assertThat(seq).isEqualTo(2);
      assertThat(db.reader().withHandle(h -> after.verify(h, Lane.BUSINESS)).ok()).isTrue();
    }
  }
}
