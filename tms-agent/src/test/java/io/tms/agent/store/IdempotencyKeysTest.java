package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotencyKeysTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-25T14:00:00Z"), ZoneOffset.UTC);
  private final IdempotencyStore store = new IdempotencyStore();

  static String key(String kind, int i) {
    return kind + "-" + Integer.toHexString(i * 0x9E3779B1 + 7) + "-" + i;
  }

  @Test
  void every_stored_key_is_found_and_new_keys_are_mostly_known_new_without_a_read(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      // half stored before the filter was first used, half after
      db.writer().write(ctx -> {
        for (int i = 0; i < 1_000; i++) {
          ctx.sql().update("INSERT INTO idempotency (key, operation, request_hash, status, response_json, created_at) "
              + "VALUES (?, 'op', 'h', 201, '{}', 'x')", key("old", i));
        }
        return null;
      });
      for (int i = 0; i < 1_000; i++) {
        String k = key("new", i);
        db.writer().write(ctx -> {
          store.remember(ctx, k, "op", "h", new IdempotencyStore.Stored(201, "{\"n\":1}"));
          return null;
        });
      }
      db.writer().write(ctx -> {
        IdempotencyKeys keys = ctx.memory().idempotencyKeys;
        for (int i = 0; i < 1_000; i++) {
          assertThat(keys.mayContain(ctx.sql(), key("old", i))).isTrue();
          assertThat(keys.mayContain(ctx.sql(), key("new", i))).isTrue();
          assertThat(store.find(ctx, key("new", i), "op", "h")).isPresent();
        }
        int maybe = 0;
        for (int i = 0; i < 10_000; i++) {
          if (keys.mayContain(ctx.sql(), key("never", i))) {
            maybe++;
          }
        }
        assertThat(maybe).isLessThan(100); // ~0 expected at 2,000 keys in 2 Mi bits
        assertThat(store.find(ctx, key("never", 1), "op", "h")).isEmpty();
        return null;
      });
    }
  }

  @Test
  void a_key_stored_earlier_in_the_same_batch_or_rolled_back_is_handled_as_the_table_says(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      // a unit that stores its key and fails: the key stays unknown to the table, and a retry is new
      try {
        db.writer().write(ctx -> {
          store.remember(ctx, "k-rolled-back", "op", "h", new IdempotencyStore.Stored(201, "{}"));
          throw new IllegalStateException("failed after remembering");
        });
      } catch (IllegalStateException expected) {
        // the unit rolled back
      }
      List<Object> seen = new ArrayList<>();
      db.writer().write(ctx -> {
        seen.add(store.find(ctx, "k-rolled-back", "op", "h").isPresent());
        store.remember(ctx, "k-twice", "op", "h", new IdempotencyStore.Stored(201, "{\"first\":true}"));
        seen.add(store.find(ctx, "k-twice", "op", "h").map(IdempotencyStore.Stored::responseJson).orElse(null));
        return null;
      });
      assertThat(seen).containsExactly(false, "{\"first\":true}");
    }
  }

  @Test
  void a_purge_makes_the_filter_read_the_table_again(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      db.writer().write(ctx -> {
        store.remember(ctx, "k-old", "op", "h", new IdempotencyStore.Stored(201, "{}"));
        return null;
      });
      int purged = db.writer().write(ctx -> store.purge(ctx, CLOCK.instant().plusSeconds(1)));
      assertThat(purged).isEqualTo(1);
      boolean maybe = db.writer().write(ctx -> ctx.memory().idempotencyKeys.mayContain(ctx.sql(), "k-old"));
      assertThat(maybe).isFalse();
    }
  }
}
