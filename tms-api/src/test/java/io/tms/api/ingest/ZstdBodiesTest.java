package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.tms.api.http.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The uplink's zstd decoding: exact, bounded in what it writes and in the window it allocates. */
class ZstdBodiesTest {
  private static byte[] data(int n, long seed) {
    return GunzipTest.data(n, seed);
  }

  /** A streamed frame, as the agent writes it: no content size in the header. */
  private static byte[] streamed(byte[] d, int level, int windowLog) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, level)) {
      if (windowLog > 0) {
        z.setWindowLog(windowLog);
      }
      z.write(d);
    }
    return out.toByteArray();
  }

  @Test
  void decodesExactlyWithOrWithoutTheContentSizeAndAcrossFrames() throws IOException {
    for (int n : new int[] {0, 1, 1023, 1024, 1025, 65_536, 300_001}) {
      byte[] d = data(n, n);
      assertThat(ZstdBodies.decompress(streamed(d, 1, 0), 1 << 20)).as("streamed %d bytes", n).isEqualTo(d);
      assertThat(ZstdBodies.decompress(Zstd.compress(d, 1), 1 << 20)).as("one-shot %d bytes", n).isEqualTo(d);
    }
    byte[] a = data(5_000, 1);
    byte[] b = data(70_000, 2);
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    byte[] fa = Zstd.compress(a, 1); // declares 5,000 bytes: the buffer must grow for the second frame
    byte[] fb = streamed(b, 1, 0);
    byte[] frames = Arrays.copyOf(fa, fa.length + fb.length);
    System.arraycopy(fb, 0, frames, fa.length, fb.length);
    assertThat(ZstdBodies.decompress(frames, 1 << 20)).isEqualTo(both);
  }

  @Test
  void sizesTheBufferFromEveryFramesDeclaredSize() {
    byte[] a = data(60, 3);
    byte[] b = data(300_000, 4);
    byte[] fa = Zstd.compress(a, 1);
    byte[] fb = Zstd.compress(b, 1);
    byte[] frames = Arrays.copyOf(fa, fa.length + fb.length);
    System.arraycopy(fb, 0, frames, fa.length, fb.length);
    assertThat(ZstdBodies.declaredSize(frames)).isEqualTo(300_060);
    assertThat(ZstdBodies.declaredSize(fb)).isEqualTo(300_000);
    assertThat(ZstdBodies.declaredSize(Arrays.copyOf(frames, frames.length - 1))).isEqualTo(-1); // cut short
    assertThat(ZstdBodies.declaredSize(Arrays.copyOf(frames, frames.length + 3))).isEqualTo(-1); // trailing bytes
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertThat(ZstdBodies.decompress(frames, 1 << 20)).isEqualTo(both);
  }

  @Test
  void refusesWhatIsNotZstdOrIsCutShort() throws IOException {
    byte[] z = streamed(data(100_000, 3), 1, 0);
    assertThatThrownBy(() -> ZstdBodies.decompress(Arrays.copyOf(z, z.length / 2), 1 << 20))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.problem().field()).isEqualTo("Content-Encoding");
        });
    assertThatThrownBy(() -> ZstdBodies.decompress(new byte[] {1, 2, 3, 4, 5, 6}, 100))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void aBombStopsAtTheLimitWhateverItsHeaderSays() throws IOException {
    byte[] zeros = new byte[50 << 20];
    byte[] bomb = Zstd.compress(zeros, 19); // ~50 MiB from a few KiB, and the header says so
    assertThat(bomb.length).isLessThan(64 * 1024);
    assertThatThrownBy(() -> ZstdBodies.decompress(bomb, 1 << 20)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(413));
    byte[] exact = new byte[100_001];
    assertThat(ZstdBodies.decompress(streamed(exact, 1, 0), 100_001)).hasSize(100_001);
    assertThatThrownBy(() -> ZstdBodies.decompress(streamed(exact, 1, 0), 100_000))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
  }

  @Test
  void aFrameThatAsksForAWindowAboveTheBoundIsRefused() throws IOException {
    byte[] d = data(1 << 20, 4);
    byte[] wide = streamed(d, 1, ZstdBodies.WINDOW_LOG_MAX + 2); // asks the decoder for a 32 MiB window
    assertThatThrownBy(() -> ZstdBodies.decompress(wide, 64 << 20)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(400));
    assertThat(ZstdBodies.decompress(streamed(d, 1, ZstdBodies.WINDOW_LOG_MAX), 64 << 20)).isEqualTo(d);
  }
}
