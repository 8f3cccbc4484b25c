package io.tms.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** A body's declared size starts the buffer, but a small body cannot make the cloud allocate much. */
class BodySizesTest {
  private static final int LIMIT = 256 << 20;

  @Test
  void startsAtTheDeclaredSizeWithinSixteenTimesTheBody() {
    assertThat(BodySizes.initialCapacity(2_000_000, 500_000, LIMIT)).isEqualTo(2_000_000);
    assertThat(BodySizes.initialCapacity(-1, 500_000, LIMIT)).isEqualTo(2_000_000); // undeclared: 4x
    assertThat(BodySizes.initialCapacity(10, 500_000, LIMIT)).isEqualTo(1024);
  }

  @Test
  void aSmallBodyClaimingHundredsOfMebibytesGetsKibibytes() {
    assertThat(BodySizes.initialCapacity(LIMIT, 300, LIMIT)).isEqualTo(300 * 16 + 64 * 1024);
    assertThat(BodySizes.initialCapacity(0xffffffffL, 300, LIMIT)).isEqualTo(300 * 16 + 64 * 1024);
    assertThat(BodySizes.initialCapacity(LIMIT, 100 << 20, 1 << 20)).isEqualTo((1 << 20) + 1); // never past the limit
  }

  @Test
  void aGzipBodyWhoseTrailerLiesIsRefused() throws IOException {
    byte[] data = GunzipTest.data(200_000, 9);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    byte[] gz = out.toByteArray();
    for (int lie : new int[] {0xff, 0x00}) { // ISIZE ~4 GiB, then ~0
      byte[] lying = gz.clone();
      for (int i = 1; i <= 4; i++) {
        lying[lying.length - i] = (byte) lie;
      }
      // java.util.zip checks ISIZE at the end: a lying trailer is a broken body, refused with a 400
      // (its buffer was started from initialCapacity, bounded by the body's size, above)
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> UplinkRoutes.gunzip(lying, LIMIT))
          .isInstanceOfSatisfying(io.tms.api.http.ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
    assertThat(UplinkRoutes.gunzip(gz, LIMIT)).isEqualTo(data);
  }
}
