package io.tms.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.agent.Json;
import io.tms.protocol.v1.Lane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's pipelined flush (WriteQueue, WalSync): nobody hears of a commit, and the uplink does
 * not see its events, before the flush that covers it; the writer itself does not wait for the disk.
 * A gate in front of the real WAL flush holds the flushes back, so every step is observed, not timed.
 */
class PipelinedFlushTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T07:00:00Z"), ZoneOffset.UTC);

  /** The real flush behind a gate: each sync waits for a permit; {@code failNext} makes one throw. */
  static final class GatedFlush implements WriteQueue.Durability {
    final WalSync real;
    final Semaphore permits = new Semaphore(0);
    final Semaphore entered = new Semaphore(0);
    final AtomicReference<IOException> failNext = new AtomicReference<>();

    GatedFlush(Path file) {
      this.real = new WalSync(file);
    }

    @Override
    public void sync() throws IOException {
      entered.release();
      permits.acquireUninterruptibly();
      IOException failure = failNext.getAndSet(null);
      if (failure != null) {
        throw failure;
      }
      real.sync();
    }

    @Override
    public void close() {
      real.close();
    }
  }

  /** A site database whose writer flushes through a {@link GatedFlush}, put in {@code gate}. */
  private static SiteDatabase openGated(Path dir, AtomicReference<GatedFlush> gate) {
    return SiteDatabase.open(dir, "P1", CLOCK, 64, file -> {
      gate.set(new GatedFlush(file));
      return gate.get();
    }, WalCheckpointer.RESTART_FRAMES, WalCheckpointer.INTERVAL);
  }

  @Test
  void answersWaitForTheFlushButTheWriterGoesOnCommitting(@TempDir Path dir) throws Exception {
    AtomicReference<GatedFlush> gate = new AtomicReference<>();
    try (SiteDatabase db = openGated(dir, gate)) {
      WriteQueue writer = db.writer();
      SequenceStore sequences = new SequenceStore();

      CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> writer.write(ctx -> sequences.next(ctx, "bol")));
      gate.get().entered.acquire(); // the first batch is committed and its flush has begun
      assertThat(writer.commits()).isEqualTo(1);
      assertThat(first).isNotDone();
      assertThat(Files.exists(dir.resolve(SiteDatabase.FILE_NAME + "-wal"))).isTrue();

      // the writer is not held by the flush: a second batch commits while the first is unanswered
      CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> writer.write(ctx -> sequences.next(ctx, "bol")));
      while (writer.commits() < 2) {
        Thread.onSpinWait();
      }
      assertThat(first).isNotDone();
      assertThat(second).isNotDone();
      // committed, so the site's own readers see both numbers already
      long stored = db.reader().withHandle(h -> h.createQuery("SELECT value FROM site_sequence WHERE name = 'bol'")
          .mapTo(Long.class).one());
      assertThat(stored).isEqualTo(2);

      gate.get().permits.release(); // the first flush ends: it began before the second commit
      assertThat(first.get()).isEqualTo(1);
      assertThat(second).isNotDone();
      gate.get().entered.acquire(); // the next flush covers the second batch
      gate.get().permits.release();
      assertThat(second.get()).isEqualTo(2);
      gate.get().permits.release(Integer.MAX_VALUE / 2); // the rest of the test and close() flush freely
    }
  }

  @Test
  void theUplinkSeesAnEventOnlyOnceItIsOnDisk(@TempDir Path dir) throws Exception {
    AtomicReference<GatedFlush> gate = new AtomicReference<>();
    OutboxStore outbox = new OutboxStore(Json.mapper());
    Semaphore woken = new Semaphore(0);
    try (SiteDatabase db = openGated(dir, gate)) {
      WriteQueue writer = db.writer();
      DurableOutbox durable = writer.durableOutbox();
      durable.onAdvance(woken::release);
      gate.get().permits.release(); // the agent's first write: what is stored is durable
      writer.write(ctx -> {
        outbox.loadDurable(ctx);
        return null;
      });
      assertThat(durable.through(Lane.BUSINESS)).isZero();

      CompletableFuture<Long> append = CompletableFuture.supplyAsync(() -> writer.write(ctx ->
          outbox.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("n", 1))));
      gate.get().entered.acquire();
      gate.get().entered.acquire(); // the second flush: the append's batch is committed
      assertThat(durable.through(Lane.BUSINESS)).isZero();
      assertThat(woken.availablePermits()).isZero();

      gate.get().permits.release();
      assertThat(append.get()).isEqualTo(1);
      assertThat(durable.through(Lane.BUSINESS)).isEqualTo(1);
      assertThat(woken.availablePermits()).isEqualTo(1);
      assertThat(durable.through(Lane.TELEMETRY)).isZero();

      // the record is the writer's: another OutboxStore appending through it advances it too
      gate.get().permits.release(Integer.MAX_VALUE / 2);
      OutboxStore another = new OutboxStore(Json.mapper());
      long seq = writer.write(ctx -> another.append(ctx, Lane.BUSINESS, "test", ctx.now(), Map.of("n", 2)));
      assertThat(seq).isEqualTo(2);
      assertThat(durable.through(Lane.BUSINESS)).isEqualTo(2);
    }
  }

  @Test
  void aFailedFlushIsTheCallersErrorAndTheWriterCarriesOn(@TempDir Path dir) throws Exception {
    AtomicReference<GatedFlush> gate = new AtomicReference<>();
    try (SiteDatabase db = openGated(dir, gate)) {
      WriteQueue writer = db.writer();
      SequenceStore sequences = new SequenceStore();
      gate.get().failNext.set(new IOException("disk gone"));
      gate.get().permits.release(Integer.MAX_VALUE / 2);

      assertThatThrownBy(() -> writer.write(ctx -> sequences.next(ctx, "bol")))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("could not be flushed")
          .hasRootCauseMessage("disk gone");
      // committed all the same: the next number follows it, and is answered once flushed
      long next = writer.write(ctx -> sequences.next(ctx, "bol"));
      assertThat(next).isEqualTo(2);
    }
  }

  /** What the writer reports of its time, recorded as it comes (the metrics take the same calls). */
  private static final class RecordedTimings implements WriteQueue.Timings {
    final List<long[]> units = new CopyOnWriteArrayList<>();
    final List<long[]> batches = new CopyOnWriteArrayList<>();
    final List<Long> flushes = new CopyOnWriteArrayList<>();

    @Override
    public void unit(long queuedNanos, long committingNanos, long flushingNanos) {
      units.add(new long[] {queuedNanos, committingNanos, flushingNanos});
    }

    @Override
    public void batch(int units, long runNanos) {
      batches.add(new long[] {units, runNanos});
    }

    @Override
    public void flush(long nanos) {
      flushes.add(nanos);
    }
  }

  @Test
  void eachAnsweredUnitReportsItsPhasesAndTheFlushIsInsideItsWait(@TempDir Path dir) throws Exception {
    AtomicReference<GatedFlush> gate = new AtomicReference<>();
    RecordedTimings timings = new RecordedTimings();
    try (SiteDatabase db = openGated(dir, gate)) {
      WriteQueue writer = db.writer();
      writer.timings(timings);
      SequenceStore sequences = new SequenceStore();

      CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> writer.write(ctx -> sequences.next(ctx, "bol")));
      gate.get().entered.acquire(); // committed; its flush is held
      assertThat(timings.batches).hasSize(1);
      assertThat(timings.units).isEmpty(); // reported when answered, not when committed
      gate.get().permits.release();
      assertThat(first.get()).isEqualTo(1);

      assertThat(timings.units).hasSize(1);
      assertThat(timings.flushes).hasSize(1);
      long[] unit = timings.units.getFirst();
      for (long nanos : unit) {
        assertThat(nanos).isNotNegative();
      }
      // the answer waited for the whole flush that covered it, so its flushing phase holds that flush
      assertThat(unit[2]).isGreaterThanOrEqualTo(timings.flushes.getFirst());
      assertThat(timings.batches.getFirst()[0]).isEqualTo(1);

      gate.get().permits.release(Integer.MAX_VALUE / 2);
      for (int i = 0; i < 5; i++) {
        writer.write(ctx -> sequences.next(ctx, "bol"));
      }
      assertThat(timings.units).hasSize(6);
      assertThat(timings.batches.stream().mapToLong(b -> b[0]).sum()).isEqualTo(6);
    }
  }
}
