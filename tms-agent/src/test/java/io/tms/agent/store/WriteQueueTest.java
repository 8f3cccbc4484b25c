package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteQueueTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-25T14:00:00Z"), ZoneOffset.UTC);

  @Test
  void aUnitThatFailsIsRolledBackAloneAndItsBatchStillCommits(@TempDir Path dir) throws Exception {
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      WriteQueue writer = db.writer();
      // Hold the writer in a first unit until every other unit is queued, so they share one batch.
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch queued = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        results.add(pool.submit(() -> writer.write(ctx -> {
          running.countDown();
          await(queued);
          return sequence(ctx, "a");
        })));
        running.await();
        for (String name : List.of("b", "boom", "c")) {
          results.add(pool.submit(() -> writer.write(ctx -> {
            long v = sequence(ctx, name);
            if (name.equals("boom")) {
              throw new IllegalStateException("unit failed after writing");
            }
            return v;
          })));
        }
        while (writer.queued() != 3) {
          Thread.onSpinWait();
        }
        long commitsBefore = writer.commits();
        queued.countDown();
        for (Future<?> f : results) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException expected) {
            assertThat(expected.getCause()).hasMessage("unit failed after writing");
          }
        }
        assertThat(writer.commits() - commitsBefore).isEqualTo(2); // the held unit's batch, then the rest
      }

      List<String> names = db.reader().withHandle(h ->
          h.createQuery("SELECT name FROM site_sequence ORDER BY name").mapTo(String.class).list());
      assertThat(names).containsExactly("a", "b", "c");
      // the writer goes on after a failed unit
      long again = writer.write(ctx -> sequence(ctx, "a"));
      assertThat(again).isEqualTo(2);
    }
  }

  @Test
  void aFailureIsRethrownToItsCaller(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      assertThatThrownBy(() -> db.writer().write(ctx -> ctx.sql().update("INSERT INTO nowhere VALUES (1)")))
          .isInstanceOf(PreparedSql.SqlFailedException.class)
          .hasMessageContaining("nowhere");
      long first = db.writer().write(ctx -> sequence(ctx, "x"));
      assertThat(first).isEqualTo(1);
    }
  }

  @Test
  void rollbackEffectsRunForAFailedUnitOnlyAndAfterCommitEffectsForACommittedOneOnly(@TempDir Path dir) {
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      db.writer().write(ctx -> {
        ctx.onRollback(() -> seen.add("undo ok"));
        ctx.afterCommit(() -> seen.add("done ok"));
        return sequence(ctx, "ok");
      });
      assertThatThrownBy(() -> db.writer().write(ctx -> {
        ctx.onRollback(() -> seen.add("undo failed"));
        ctx.afterCommit(() -> seen.add("done failed"));
        sequence(ctx, "failed");
        throw new IllegalStateException("no");
      })).hasMessage("no");

      assertThat(seen).containsExactly("done ok", "undo failed");
    }
  }

  @Test
  void countersAndOutboxHeadsKeptBetweenCommitsAreWrittenOncePerBatchAndUndoneWithTheirUnit(@TempDir Path dir)
      throws Exception {
    OutboxStore outbox = new OutboxStore(io.tms.agent.Json.mapper());
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      WriteQueue writer = db.writer();
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch queued = new CountDownLatch(1);
      List<Future<Long>> results = new ArrayList<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        results.add(pool.submit(() -> writer.write(ctx -> {
          running.countDown();
          await(queued);
          return 0L;
        })));
        running.await();
        for (int i = 0; i < 5; i++) {
          boolean fails = i == 2;
          results.add(pool.submit(() -> writer.write(ctx -> {
            long n = sequence(ctx, "bol");
            outbox.append(ctx, io.tms.protocol.v1.Lane.BUSINESS, "test", ctx.now(), java.util.Map.of("n", n));
            if (fails) {
              throw new IllegalStateException("unit failed after drawing " + n);
            }
            return n;
          })));
        }
        while (writer.queued() != 5) {
          Thread.onSpinWait();
        }
        queued.countDown();
        List<Long> drawn = new ArrayList<>();
        for (Future<Long> f : results.subList(1, results.size())) {
          try {
            drawn.add(f.get());
          } catch (java.util.concurrent.ExecutionException expected) {
            assertThat(expected.getCause()).hasMessageStartingWith("unit failed after drawing");
          }
        }
        // the failed unit's number is handed to the next unit: no gap, no reuse
        assertThat(drawn).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
      }

      // a batch whose commit fails takes back every number and event of its units
      assertThatThrownBy(() -> writer.write(ctx -> {
        sequence(ctx, "bol");
        outbox.append(ctx, io.tms.protocol.v1.Lane.BUSINESS, "test", ctx.now(), java.util.Map.of("n", "lost"));
        ctx.beforeCommit("failing flush", sql -> {
          throw new IllegalStateException("flush failed");
        });
        return null;
      })).hasMessage("flush failed");

      long next = writer.write(ctx -> {
        outbox.append(ctx, io.tms.protocol.v1.Lane.BUSINESS, "test", ctx.now(), java.util.Map.of("n", 5));
        return sequence(ctx, "bol");
      });
      assertThat(next).isEqualTo(5);
      db.reader().useHandle(h -> {
        assertThat(h.createQuery("SELECT value FROM site_sequence WHERE name = 'bol'").mapTo(Long.class).one())
            .isEqualTo(5);
        assertThat(h.createQuery("SELECT last_seq FROM outbox_head WHERE lane = 'BUSINESS'").mapTo(Long.class).one())
            .isEqualTo(5);
        var check = outbox.verify(h, io.tms.protocol.v1.Lane.BUSINESS);
        assertThat(check.ok()).as(check.problem()).isTrue();
        assertThat(check.events()).isEqualTo(5);
      });
    }
  }

  @Test
  void whenAUnitOfABatchFailsTheOthersAreUndoneRunAgainAndCommitOnce(@TempDir Path dir) throws Exception {
    try (SiteDatabase db = SiteDatabase.open(dir, "T1", CLOCK, 64)) {
      WriteQueue writer = db.writer();
      List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch queued = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        results.add(pool.submit(() -> writer.write(ctx -> {
          running.countDown();
          await(queued);
          return 0L;
        })));
        running.await();
        for (String name : List.of("ok", "boom")) {
          int queuedBefore = writer.queued();
          results.add(pool.submit(() -> writer.write(ctx -> {
            seen.add("run " + name);
            ctx.onRollback(() -> seen.add("undo " + name));
            ctx.afterCommit(() -> seen.add("done " + name));
            sequence(ctx, name);
            if (name.equals("boom")) {
              throw new IllegalStateException("boom");
            }
            return 1L;
          })));
          while (writer.queued() != queuedBefore + 1) { // "ok" is queued before "boom"
            Thread.onSpinWait();
          }
        }
        queued.countDown();
        for (Future<?> f : results) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException expected) {
            assertThat(expected.getCause()).hasMessage("boom");
          }
        }
      }
      // first run without savepoints: boom fails, both are undone; second run: ok commits alone
      assertThat(seen).containsExactly(
          "run ok", "run boom", "undo boom", "undo ok", "run ok", "run boom", "undo boom", "done ok");
      List<String> stored = db.reader().withHandle(h -> h.createQuery("SELECT name || '=' || value FROM site_sequence")
          .mapTo(String.class).list());
      assertThat(stored).containsExactly("ok=1");
    }
  }

  // one per site database, as in the agent: the counters live in it between commits
  private final SequenceStore sequences = new SequenceStore();

  private long sequence(WriteContext ctx, String name) {
    return sequences.next(ctx, name);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
