package io.tms.api.ingest;

import io.tms.api.http.ApiException;
import io.tms.protocol.v1.sync.UplinkAckV1;
import java.util.Map;

/**
 * How large a buffer to start inflating an uplink body into. The size a body declares (gzip's ISIZE
 * trailer, zstd's frame content sizes) is untrusted: a few hundred bytes may claim hundreds of MiB,
 * and allocating that up front would let a small request exhaust the cloud's heap. So the start is
 * the declared size (or 4× the compressed size when none is declared, about what level 1 makes of a
 * batch's JSON), but never more than 16× the compressed size plus 64 KiB, nor the limit; a body
 * that really inflates further grows the buffer as it goes, up to the limit, then gets its 413.
 */
final class BodySizes {
  /** Real uplink batches inflate 3-8×; beyond this the buffer grows as the data actually arrives. */
  static final int MAX_RATIO = 16;

  private BodySizes() {}

  /** The 413 of a body that inflates (or declares it inflates) past {@code maxInflatedBytes}. */
  static ApiException tooLarge(int maxInflatedBytes) {
    return new ApiException(413, "BODY_TOO_LARGE", null, "inflated body exceeds " + maxInflatedBytes
        + " bytes: send smaller batches", Map.of("maxBatchBytes", maxInflatedBytes),
        Map.of(UplinkAckV1.MAX_BATCH_HEADER, Integer.toString(maxInflatedBytes)));
  }

  /** {@code declared} < 0: not declared. */
  static int initialCapacity(long declared, int compressedLength, int maxInflatedBytes) {
    long guess = declared >= 0 ? declared : compressedLength * 4L;
    long bound = Math.min((long) compressedLength * MAX_RATIO + 64 * 1024, (long) maxInflatedBytes + 1);
    return (int) Math.max(1024, Math.min(guess, bound));
  }
}
