package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.api.http.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GunzipTest {
  private static byte[] gzip(byte[]... members) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] m : members) {
      try (GZIPOutputStream z = new GZIPOutputStream(out) {
            @Override
            public void close() throws IOException {
              finish(); // keep the shared stream open for the next member
            }
          }) {
        z.write(m);
      }
    }
    return out.toByteArray();
  }

  /** {@code n} bytes of an 8-letter alphabet: compressible, but not to nothing. */
  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + r.nextInt(8));
    }
    return b;
  }

  @Test
  void inflatesExactlyWhateverTheTrailerSays() throws IOException {
    for (int n : new int[] {0, 1, 1023, 1024, 1025, 300_000}) {
      byte[] d = data(n, n);
      assertThat(UplinkRoutes.gunzip(gzip(d), 1 << 20)).as("%d bytes", n).isEqualTo(d);
    }
    // two members: the trailer names only the last one's size; the buffer grows
    byte[] a = data(200_000, 1);
    byte[] b = data(5_000, 2);
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertThat(UplinkRoutes.gunzip(gzip(a, b), 1 << 20)).isEqualTo(both);
    // a lying trailer (says 16 bytes) changes nothing either
    byte[] z = gzip(a);
    z[z.length - 4] = 16;
    z[z.length - 3] = 0;
    z[z.length - 2] = 0;
    z[z.length - 1] = 0;
    assertThatThrownBy(() -> UplinkRoutes.gunzip(z, 1 << 20)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(400)); // the JDK checks ISIZE at the end
  }

  @Test
  void tooMuchAfterInflatingIs413AndGarbageIs400() throws IOException {
    byte[] big = gzip(new byte[100_001]);
    assertThatThrownBy(() -> UplinkRoutes.gunzip(big, 100_000)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(413));
    assertThat(UplinkRoutes.gunzip(big, 100_001)).hasSize(100_001);
    assertThatThrownBy(() -> UplinkRoutes.gunzip(new byte[] {1, 2, 3}, 100)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(400));
  }
}
