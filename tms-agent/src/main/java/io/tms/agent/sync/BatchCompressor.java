package io.tms.agent.sync;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses uplink batches, each whole in one call, reusing what one batch leaves for the next:
 * the array the batch's JSON is written into ({@link #jsonBuffer}), zstd's context (its tables and
 * window, ~1 MiB native) and the array it compresses into. One zstd frame per batch, with the
 * batch's size in its header, so the cloud inflates it into an array of exactly that size.
 *
 * <p>Measured on two cores with the agent's JVM options (C1), a 2 MiB batch: 4–5 ms of business
 * events, 7–9 ms of telemetry blocks, against 6–8 and 12–14 ms streamed through a new
 * {@code ZstdOutputStream} into a growing {@code ByteArrayOutputStream} as before; the bytes sent
 * are the same (docs/sync-protocol.md#compression). Not thread-safe: the uplink's loop thread owns
 * it.
 */
final class BatchCompressor implements AutoCloseable {
  /**
   * Arrays up to this size are kept for the next batch (a batch is at most
   * {@code TMS_UPLINK_BATCH_BYTES}, 6 MiB by default, plus its last event); a larger one, made for
   * an exceptionally large event, is let go once its batch is compressed, so that one event cannot
   * pin its size in the agent's small heap twice over for good.
   */
  static final int KEEP_MAX = 8 << 20;
  /**
   * Arrays larger than this are kept only while batches fill at least a quarter of them: a drain's
   * batches do, one after the other; the small batch that ends it (the outbox caught up) lets them
   * go, so a site that drained a backlog does not hold its largest arrays in its heap until the next.
   */
  static final int KEEP_IDLE = 1 << 20;
  private static final int FIRST = 64 * 1024;

  private byte[] json = new byte[FIRST];
  private byte[] out = new byte[0];
  private ZstdCompressCtx zstd;

  /** The array to write the next batch's JSON into; give back the one it ends in with {@link #compress}. */
  byte[] jsonBuffer() {
    return json;
  }

  /**
   * The first {@code length} bytes of {@code batch} (the array a {@link UplinkBatchWriter} ended in,
   * kept for the next batch) in {@code coding}, as a new array of exactly the compressed size.
   */
  byte[] compress(UplinkEncoding coding, byte[] batch, int length) throws IOException {
    byte[] compressed = switch (coding) {
      case ZSTD -> zstd(batch, length);
      case GZIP -> gzip(batch, length);
    };
    boolean drainEnded = batch.length > KEEP_IDLE && length < batch.length / 4;
    json = batch.length <= KEEP_MAX && !drainEnded ? batch : new byte[FIRST];
    if (out.length > KEEP_MAX || out.length > KEEP_IDLE && drainEnded) {
      out = new byte[0];
    }
    return compressed;
  }

  private byte[] zstd(byte[] src, int length) {
    if (zstd == null) {
      zstd = new ZstdCompressCtx();
      zstd.setLevel(1);
      zstd.setContentSize(true);
    }
    int bound = (int) Math.min(Integer.MAX_VALUE - 8, Zstd.compressBound(length));
    if (out.length < bound) {
      out = new byte[bound];
    }
    int n = zstd.compressByteArray(out, 0, out.length, src, 0, length);
    return Arrays.copyOf(out, n);
  }

  private static byte[] gzip(byte[] src, int length) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(length / 4 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(buf, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      z.write(src, 0, length);
    }
    return buf.toByteArray();
  }

  /** Frees zstd's native context; a later {@link #compress} makes a new one. */
  @Override
  public void close() {
    if (zstd != null) {
      zstd.close();
      zstd = null;
    }
  }
}
