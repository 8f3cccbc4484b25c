package io.tms.api.ingest;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.tms.api.http.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Decompresses an uplink body sent with {@code Content-Encoding: zstd} (docs/sync-protocol.md#compression):
 * a third of gzip's CPU at both ends for smaller batches. Bounded like gzip: never more than the
 * limit's bytes out (413 past it), and frames that ask for a window above {@link #WINDOW_LOG_MAX}
 * (8 MiB; agents use 512 KiB–2 MiB) are refused, so a small body cannot make the decoder allocate
 * 128 MiB. Stateless and thread-safe.
 */
final class ZstdBodies {
  static final int WINDOW_LOG_MAX = 23;

  private ZstdBodies() {}

  static byte[] decompress(byte[] raw, int maxInflatedBytes) {
    return decompress(raw, declaredSize(raw), maxInflatedBytes);
  }

  /** As {@link #decompress(byte[], int)}, with the body's {@link #declaredSize} already read. */
  static byte[] decompress(byte[] raw, long declared, int maxInflatedBytes) {
    // what the frames declare (older agents stream theirs and declare nothing), bounded: BodySizes
    byte[] out = new byte[BodySizes.initialCapacity(declared, raw.length, maxInflatedBytes)];
    int n = 0;
    try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(raw)).setLongMax(WINDOW_LOG_MAX)) {
      for (int r; (r = in.read(out, n, out.length - n)) >= 0; ) {
        n += r;
        if (n > maxInflatedBytes) {
          throw BodySizes.tooLarge(maxInflatedBytes);
        }
        if (n == out.length) { // full: done if the stream ends here (the usual case, the header was right)
          int next = in.read();
          if (next < 0) {
            break;
          }
          out = Arrays.copyOf(out, (int) Math.min((long) out.length * 2, (long) maxInflatedBytes + 1));
          out[n++] = (byte) next;
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiException a) {
        throw a;
      }
      throw new ApiException(400, "INVALID_INPUT", "Content-Encoding", "body is not valid zstd");
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * The sum of the content sizes the body's frames declare, -1 when one does not say or the body is
   * not a run of whole frames. A body may be several frames (a sender that flushes, or one that puts
   * a per-request head before a shared compressed rest): the first frame's size alone would start
   * the buffer small and copy it through each doubling.
   */
  static long declaredSize(byte[] raw) {
    long total = 0;
    int at = 0;
    for (int frames = 0; at < raw.length && frames < 64; frames++) {
      long size;
      long length;
      try {
        size = raw.length - at >= 4 ? Zstd.getFrameContentSize(raw, at, raw.length - at) : -1;
        length = size < 0 ? -1 : Zstd.findFrameCompressedSize(raw, at);
      } catch (RuntimeException e) { // a frame cut short or not zstd: the decoder will say so
        return -1;
      }
      if (size < 0 || length <= 0 || length > raw.length - at) {
        return -1;
      }
      total += size;
      at += (int) length;
    }
    return at == raw.length ? total : -1;
  }
}
