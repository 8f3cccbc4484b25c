package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The housekeeping's purge of stored answers: older than the cutoff goes, younger never does. */
class IdempotencyPurgeTest {
  private static final Instant T0 = Instant.parse("2025-11-25T14:00:00Z");
  private final IdempotencyStore store = new IdempotencyStore();

  @Test
  void forgets_the_answers_older_than_the_cutoff_and_never_a_younger_one(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "P1", at(T0.plus(Duration.ofHours(3))), 64)) {
      stored(db, T0, "a");
      stored(db, T0.plus(Duration.ofHours(1)), "b");
      stored(db, T0.plus(Duration.ofHours(2)), "c");
      stored(db, T0.plus(Duration.ofMinutes(30)), "stepped-back"); // written after c, older than b
      stored(db, T0.plus(Duration.ofHours(3)), "d");

      assertThat(purge(db, T0)).isZero();
      assertThat(keys(db)).containsExactly("a", "b", "c", "stepped-back", "d");

      assertThat(purge(db, T0.plus(Duration.ofMinutes(90)))).isEqualTo(2);
      assertThat(keys(db)).as("younger than the cutoff, or behind one that is").containsExactly("c", "stepped-back", "d");
      assertThat(found(db, "a")).isFalse();
      assertThat(found(db, "c")).isTrue();

      assertThat(purge(db, T0.plus(Duration.ofMinutes(150)))).as("the prefix now reaches the stepped-back one")
          .isEqualTo(2);
      assertThat(keys(db)).containsExactly("d");

      assertThat(purge(db, T0.plus(Duration.ofHours(4)))).isEqualTo(1);
      assertThat(keys(db)).isEmpty();
      stored(db, T0.plus(Duration.ofHours(5)), "e");
      assertThat(found(db, "e")).isTrue();
      assertThat(found(db, "d")).isFalse();
    }
  }

  @Test
  void an_answer_stamped_far_ahead_does_not_stop_the_purges(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "P2", at(T0.plus(Duration.ofHours(30))), 64)) {
      stored(db, T0, "a");
      stored(db, T0.plus(Duration.ofDays(3650)), "clock-jumped"); // the clock ran ten years ahead
      stored(db, T0.plus(Duration.ofMinutes(1)), "b"); // and came back
      stored(db, T0.plus(Duration.ofHours(30)), "c");

      assertThat(purge(db, T0.plus(Duration.ofHours(6)))).isEqualTo(2);
      assertThat(keys(db)).as("the jumped one is younger than the cutoff by its time: kept")
          .containsExactly("clock-jumped", "c");
    }
  }

  private static Clock at(Instant now) {
    return Clock.fixed(now, ZoneOffset.UTC);
  }

  /** An answer as {@link IdempotencyStore#remember} stores it, written at {@code at}. */
  private static void stored(SiteDatabase db, Instant at, String key) {
    db.writer().write(ctx -> ctx.sql().update("INSERT INTO idempotency (key, operation, request_hash, status, "
        + "response_json, created_at) VALUES (?, 'op', 'h', 201, '{}', ?)", key, at.toString()));
  }

  private int purge(SiteDatabase db, Instant before) {
    return db.writer().write(ctx -> store.purge(ctx, before));
  }

  private boolean found(SiteDatabase db, String key) {
    return db.writer().write(ctx -> store.find(ctx, key, "op", "h").isPresent());
  }

  private static List<String> keys(SiteDatabase db) {
    return db.writer().write(ctx -> {
      List<String> keys = new ArrayList<>();
      ctx.sql().forEach("SELECT key FROM idempotency ORDER BY rowid", rs -> keys.add(rs.getString(1)));
      return keys;
    });
  }
}
