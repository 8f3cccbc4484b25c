package io.tms.api.ingest;

import io.tms.api.http.ApiException;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bytes of inflated uplink batches one replica holds at once. The drain gate bounds how many
 * requests are inside (K sites, {@code PER_SITE} each), not how large they are: four batches of the
 * 32 MiB a request may inflate to ({@code TMS_UPLINK_MAX_BATCH_MIB}) would be 128 MiB of a 320 MiB
 * heap, and a batch's decoded events and COPY
 * rows take a few times its bytes again. So a request reserves what its body will inflate to before
 * inflating it, and gives it back when its apply is done.
 *
 * <p>What a body will inflate to: the content sizes its zstd frames declare (the decoder refuses a
 * frame whose data does not match its header, so the figure is exact), the length of an identity
 * body, and for a body that declares nothing (zstd streamed by an older agent, gzip, whose ISIZE is
 * only the last member's length mod 2^32) the whole budget: such a body applies alone. A reservation
 * above the budget is cut to the budget, so any single batch the limit allows still goes through.
 *
 * <p>Reservations are served first come, first served (a fair semaphore, counted in KiB): a large
 * batch is not overtaken for ever by small ones. A request that cannot reserve within the wait gets
 * a 429 with {@code Retry-After}, as from the drain gate. Thread-safe.
 */
public final class IngestBudget {
  private static final int KIB = 1024;

  private final Semaphore kib;
  private final int totalKib;

  /** @param bytes the budget; at least 1 MiB */
  public IngestBudget(long bytes) {
    if (bytes < 1024L * 1024 || bytes > Integer.MAX_VALUE * (long) KIB) {
      throw new IllegalArgumentException("ingest budget must be 1 MiB-2 TiB (was " + bytes + " bytes)");
    }
    this.totalKib = (int) (bytes / KIB);
    this.kib = new Semaphore(totalKib, true);
  }

  /** The budget in bytes. */
  public long totalBytes() {
    return (long) totalKib * KIB;
  }

  /** Bytes reserved now by requests inside. */
  public long inUseBytes() {
    return (long) (totalKib - kib.availablePermits()) * KIB;
  }

  /** Requests waiting for their bytes now. */
  public int waiting() {
    return kib.getQueueLength();
  }

  /**
   * Reserves {@code bytes} (a body that declares no size passes {@link Long#MAX_VALUE}: the whole
   * budget), waiting up to {@code maxWaitNanos}; the hold must be closed when the apply is done.
   */
  public Hold reserve(long bytes, long maxWaitNanos) {
    int want = (int) Math.min(totalKib, Math.max(1, (Math.min(bytes, Long.MAX_VALUE - KIB) + KIB - 1) / KIB));
    try {
      if (!kib.tryAcquire(want, Math.max(0, maxWaitNanos), TimeUnit.NANOSECONDS)) {
        throw new ApiException(429, "INGEST_BUSY", null, "the cloud holds as many batches as it takes at once;"
            + " retry in 1 s", Map.of("retryAfterSeconds", 1), Map.of("Retry-After", "1"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "UNAVAILABLE", null, "the cloud is stopping; retry later");
    }
    return new Hold(want);
  }

  /** A reservation; closing it (once) gives the bytes back. */
  public final class Hold implements AutoCloseable {
    private final int held;
    private boolean closed;

    private Hold(int held) {
      this.held = held;
    }

    /** Bytes held. */
    public long bytes() {
      return (long) held * KIB;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        kib.release(held);
      }
    }
  }
}
