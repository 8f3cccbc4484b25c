package io.tms.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.tms.protocol.v1.EventHash;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class BatchCompressorTest {
  /** A batch of {@code events} events, written into the compressor's buffer as the uplink does. */
  private static UplinkBatchWriter batch(BatchCompressor c, int events) {
    UplinkBatchWriter w = new UplinkBatchWriter(c.jsonBuffer());
    w.start("HOU1", "BUSINESS", 1, EventHash.GENESIS, null, null);
    for (int i = 1; i <= events; i++) {
      String body = "{\"bolNumber\":\"HOU1-" + (100000 + i) + "\",\"gross\":" + (2000 + i % 7) + "}";
      w.event(i, "bol.issued.v1", "2026-05-01T06:00:00Z", body.getBytes(StandardCharsets.UTF_8), "a".repeat(64));
    }
    w.end();
    return w;
  }

  private static byte[] json(UplinkBatchWriter w) {
    return java.util.Arrays.copyOf(w.array(), w.length());
  }

  @Test
  void aZstdBatchIsOneFrameThatDeclaresItsSizeAndInflatesToTheJson() throws Exception {
    try (BatchCompressor c = new BatchCompressor()) {
      UplinkBatchWriter w = batch(c, 20_000); // ~2.4 MB: grows the 64 KiB buffer
      byte[] expected = json(w);
      byte[] z = c.compress(UplinkEncoding.ZSTD, w.array(), w.length());

      assertThat(Zstd.getFrameContentSize(z)).as("the frame header carries the batch's size").isEqualTo(expected.length);
      assertThat(Zstd.decompress(z, expected.length)).isEqualTo(expected);
      assertThat(z.length).as("compressed").isLessThan(expected.length / 4);
      assertThat(c.jsonBuffer()).as("the grown buffer is kept for the next batch").isSameAs(w.array());
    }
  }

  @Test
  void reusedBuffersGiveTheSameBytesAsAFreshCompressor() throws Exception {
    try (BatchCompressor reused = new BatchCompressor(); BatchCompressor fresh = new BatchCompressor()) {
      UplinkBatchWriter big = batch(reused, 5_000);
      reused.compress(UplinkEncoding.ZSTD, big.array(), big.length());
      UplinkBatchWriter small = batch(reused, 3); // written over the larger batch's bytes
      byte[] z = reused.compress(UplinkEncoding.ZSTD, small.array(), small.length());

      UplinkBatchWriter same = batch(fresh, 3);
      assertThat(Zstd.decompress(z, small.length())).isEqualTo(json(same));
      assertThat(z).isEqualTo(fresh.compress(UplinkEncoding.ZSTD, same.array(), same.length()));
    }
  }

  @Test
  void anOversizedBatchIsNotKeptAfterItIsCompressed() throws Exception {
    try (BatchCompressor c = new BatchCompressor()) {
      UplinkBatchWriter w = new UplinkBatchWriter(c.jsonBuffer());
      w.start("HOU1", "TELEMETRY", 1, EventHash.GENESIS, null, null);
      byte[] block = ("{\"encoded\":\"" + "A".repeat(BatchCompressor.KEEP_MAX) + "\"}").getBytes(StandardCharsets.US_ASCII);
      w.event(1, "telemetry.samples.v1", "2026-05-01T06:00:00Z", block, "a".repeat(64));
      w.end();
      byte[] expected = json(w);
      byte[] z = c.compress(UplinkEncoding.ZSTD, w.array(), w.length());

      assertThat(Zstd.decompress(z, expected.length)).isEqualTo(expected);
      assertThat(c.jsonBuffer().length).as("the 8 MiB array is let go").isLessThanOrEqualTo(BatchCompressor.KEEP_MAX);
      UplinkBatchWriter next = batch(c, 10);
      assertThat(Zstd.decompress(c.compress(UplinkEncoding.ZSTD, next.array(), next.length()), next.length()))
          .isEqualTo(json(next));
    }
  }

  @Test
  void theLargeArraysOfADrainAreLetGoByTheSmallBatchThatEndsIt() throws Exception {
    try (BatchCompressor c = new BatchCompressor()) {
      UplinkBatchWriter first = batch(c, 20_000); // ~2.4 MB: a drain's batch
      c.compress(UplinkEncoding.ZSTD, first.array(), first.length());
      UplinkBatchWriter second = batch(c, 20_000); // the drain goes on in the same array
      assertThat(second.array()).isSameAs(first.array());
      c.compress(UplinkEncoding.ZSTD, second.array(), second.length());
      assertThat(c.jsonBuffer()).as("kept while batches fill it").isSameAs(second.array());

      UplinkBatchWriter last = batch(c, 3); // caught up: written into the large array one last time
      byte[] z = c.compress(UplinkEncoding.ZSTD, last.array(), last.length());
      assertThat(Zstd.decompress(z, last.length())).isEqualTo(json(last));
      assertThat(c.jsonBuffer().length).as("let go after the drain").isLessThanOrEqualTo(BatchCompressor.KEEP_IDLE);
    }
  }

  @Test
  void gzipStaysForCloudsWithoutZstd() throws Exception {
    try (BatchCompressor c = new BatchCompressor()) {
      UplinkBatchWriter w = batch(c, 1_000);
      byte[] g = c.compress(UplinkEncoding.GZIP, w.array(), w.length());
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(g))) {
        assertThat(in.readAllBytes()).isEqualTo(json(w));
      }
    }
  }
}
