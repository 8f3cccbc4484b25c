package io.tms.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TelemetryBlockTest {

  @Test
  void roundTripsDecimalsExactly() {
    Random r = new Random(7);
    double[][] rows = new double[500][4];
    double level = 400;
    for (double[] row : rows) {
      level -= r.nextInt(5) / 100.0;
      row[0] = Math.round(level * 100) / 100.0;
      row[1] = (r.nextInt(1000) - 500) / 1000.0;
      row[2] = r.nextInt(2000) - 1000;
      row[3] = Math.round((700 + r.nextGaussian()) * 10) / 10.0;
    }
    byte[] block = TelemetryBlock.encode(rows, new int[] {2, 3, 0, 1});
    assertThat(TelemetryBlock.decode(block)).isDeepEqualTo(rows);
    assertThat(TelemetryBlock.validate(block)).isEqualTo(new TelemetryBlock.Header(500, 4));
    assertThat(block.length).isLessThan(500 * 4 * 2); // ~2 bytes a sample or fewer
  }

  @Test
  void roundsToTheScale() {
    double[][] decoded = TelemetryBlock.decode(TelemetryBlock.encode(new double[][] {{1.23456, -0.006}}, new int[] {2, 2}));
    assertThat(decoded[0][0]).isEqualTo(1.23);
    assertThat(decoded[0][1]).isEqualTo(-0.01);
  }

  @Test
  void missingSamplesAreNaNAndSurvive() {
    double[][] rows = {{1.5, Double.NaN}, {Double.NaN, Double.NaN}, {2.5, 3}, {Double.NaN, 4}, {0, 5},
        {1, 6}, {2, 7}, {3, 8}, {4, Double.NaN}};
    double[][] decoded = TelemetryBlock.decodeBase64(TelemetryBlock.encodeBase64(rows, new int[] {1, 0}));
    for (int i = 0; i < rows.length; i++) {
      assertThat(Arrays.toString(decoded[i])).isEqualTo(Arrays.toString(rows[i]));
    }
  }

  @Test
  void emptyBlocksAndExtremes() {
    assertThat(TelemetryBlock.decode(TelemetryBlock.encode(new double[0][], new int[] {1, 2}))).isEmpty();
    double big = (double) (1L << 53);
    double[][] rows = {{big}, {-big}, {0}, {big}};
    assertThat(TelemetryBlock.decode(TelemetryBlock.encode(rows, new int[] {0}))).isDeepEqualTo(rows);
  }

  @Test
  void refusesWhatItCannotEncode() {
    assertThatThrownBy(() -> TelemetryBlock.encode(new double[][] {{Double.POSITIVE_INFINITY}}, new int[] {1}))
        .hasMessageContaining("infinite");
    assertThatThrownBy(() -> TelemetryBlock.encode(new double[][] {{1e15}}, new int[] {3}))
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> TelemetryBlock.encode(new double[][] {{1}}, new int[] {7}))
        .hasMessageContaining("scale");
    assertThatThrownBy(() -> TelemetryBlock.encode(new double[][] {{1, 2}}, new int[] {1}))
        .hasMessageContaining("row 0");
  }

  /**
   * {@link TelemetryBlock#validate} counts a column's varint ends eight bytes at a time; on good
   * blocks and on thousands of damaged ones (bytes changed, runs of continuation bytes of 8-12,
   * cut, extended) it must say exactly what a plain byte-by-byte reading says, message included.
   */
  @Test
  void validateSaysWhatAByteByByteReadingSays() {
    Random r = new Random(11);
    int refused = 0;
    int damagedButWellFormed = 0;
    for (int round = 0; round < 4_000; round++) {
      int samples = 1 + r.nextInt(200);
      int metrics = 1 + r.nextInt(4);
      double[][] rows = new double[samples][metrics];
      int[] scales = new int[metrics];
      for (int m = 0; m < metrics; m++) {
        scales[m] = r.nextInt(3);
        double spread = Math.pow(10, r.nextInt(12)); // deltas of 1 to 9 bytes
        for (int i = 0; i < samples; i++) {
          rows[i][m] = r.nextInt(10) == 0 ? Double.NaN : Math.round((r.nextDouble() - 0.5) * spread);
        }
      }
      byte[] good = TelemetryBlock.encode(rows, scales);
      for (int k = 0; k < 5; k++) {
        byte[] b = k == 0 ? good : damage(good, r);
        String fast = verdict(() -> TelemetryBlock.validate(b).toString());
        String plain = verdict(() -> plainValidate(b));
        assertThat(fast).as("block %s", Arrays.toString(b)).isEqualTo(plain);
        refused += fast.startsWith("refused") ? 1 : 0;
        damagedButWellFormed += k > 0 && fast.startsWith("accepted") ? 1 : 0;
      }
    }
    assertThat(refused).isGreaterThan(2_000); // both kinds of damaged block were seen, in numbers
    assertThat(damagedButWellFormed).isGreaterThan(100);
  }

  private static byte[] damage(byte[] good, Random r) {
    byte[] b = good.clone();
    switch (r.nextInt(4)) {
      case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      case 1 -> { // a run of continuation bytes around the limit of ten
        int at = r.nextInt(b.length);
        int len = 8 + r.nextInt(5);
        for (int i = at; i < Math.min(b.length, at + len); i++) {
          b[i] = (byte) (0x80 | r.nextInt(128));
        }
      }
      case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
      default -> b = Arrays.copyOf(b, b.length + 1 + r.nextInt(9));
    }
    return b;
  }

  private static String verdict(java.util.function.Supplier<String> check) {
    try {
      return "accepted " + check.get();
    } catch (TelemetryBlock.MalformedBlockException e) {
      return "refused " + e.getMessage();
    }
  }

  /** The reference: the block read one varint at a time, as the format describes it. */
  private static String plainValidate(byte[] b) {
    if (b.length == 0) {
      throw new TelemetryBlock.MalformedBlockException("empty block");
    }
    int[] pos = {0};
    if ((b[pos[0]++] & 0xff) != TelemetryBlock.VERSION) {
      return TelemetryBlock.validate(b).toString(); // the header's checks are shared code
    }
    long samples = plainVarint(b, pos);
    long metrics = plainVarint(b, pos);
    if (samples < 0 || metrics < 0 || samples * metrics > TelemetryBlock.MAX_VALUES || metrics * 2 > b.length - pos[0]) {
      return TelemetryBlock.validate(b).toString();
    }
    for (int m = 0; m < metrics; m++) {
      if (pos[0] + 2 > b.length || (b[pos[0]] & 0xff) > TelemetryBlock.MAX_SCALE || (b[pos[0] + 1] & 0xfe) != 0) {
        return TelemetryBlock.validate(b).toString(); // scale and flags: shared code
      }
      int flags = b[pos[0] + 1];
      pos[0] += 2;
      long n = samples;
      if (flags == 1) {
        int len = (int) ((samples + 7) / 8);
        if (len > b.length - pos[0] || (samples & 7) != 0 && (b[pos[0] + len - 1] & 0xff) >>> (samples & 7) != 0) {
          return TelemetryBlock.validate(b).toString();
        }
        n = 0;
        for (int i = 0; i < len; i++) {
          n += Integer.bitCount(b[pos[0] + i] & 0xff);
        }
        pos[0] += len;
      }
      for (long i = 0; i < n; i++) {
        int start = pos[0];
        while (true) {
          if (pos[0] >= b.length) {
            throw new TelemetryBlock.MalformedBlockException("block ends inside a value at byte " + pos[0]);
          }
          if (b[pos[0]++] >= 0) {
            break;
          }
          if (pos[0] - start >= 10) {
            throw new TelemetryBlock.MalformedBlockException("varint longer than 10 bytes at byte " + pos[0]);
          }
        }
      }
    }
    if (pos[0] != b.length) {
      throw new TelemetryBlock.MalformedBlockException((b.length - pos[0]) + " bytes after the last column");
    }
    return new TelemetryBlock.Header((int) samples, (int) metrics).toString();
  }

  private static long plainVarint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 64 && pos[0] < b.length; shift += 7) {
      int x = b[pos[0]++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    return -1; // malformed: the shared header code names it
  }

  @Test
  void rejectsMalformedBlocks() {
    byte[] good = TelemetryBlock.encode(new double[][] {{1.5, 2}, {1.6, Double.NaN}, {1.7, 4}}, new int[] {1, 0});
    assertThat(TelemetryBlock.validate(good)).isEqualTo(new TelemetryBlock.Header(3, 2));
    for (int cut = 0; cut < good.length; cut++) { // every truncation
      byte[] shorter = Arrays.copyOf(good, cut);
      assertThatThrownBy(() -> TelemetryBlock.validate(shorter)).isInstanceOf(TelemetryBlock.MalformedBlockException.class);
      assertThatThrownBy(() -> TelemetryBlock.decode(shorter)).isInstanceOf(TelemetryBlock.MalformedBlockException.class);
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> TelemetryBlock.validate(longer)).hasMessageContaining("after the last column");
    byte[] version = good.clone();
    version[0] = 2;
    assertThatThrownBy(() -> TelemetryBlock.decode(version)).hasMessageContaining("version 2");
    byte[] scale = good.clone();
    scale[3] = 9;
    assertThatThrownBy(() -> TelemetryBlock.validate(scale)).hasMessageContaining("scale of metric 0");
    byte[] flags = good.clone();
    flags[4] = 5;
    assertThatThrownBy(() -> TelemetryBlock.validate(flags)).hasMessageContaining("flags of metric 0");
    // a huge header must not allocate
    byte[] huge = {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, (byte) 0xff, (byte) 0xff, 0x7f};
    assertThatThrownBy(() -> TelemetryBlock.decode(huge)).hasMessageContaining("out of bounds");
    assertThatThrownBy(() -> TelemetryBlock.base64("not base64!")).isInstanceOf(TelemetryBlock.MalformedBlockException.class)
        .hasMessageContaining("base64");
    assertThatThrownBy(() -> TelemetryBlock.decode(new byte[0])).hasMessageContaining("empty");
  }

  @Test
  void recordCarriesEitherFormInJson() throws Exception {
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    Instant t0 = Instant.parse("2026-05-01T06:00:00Z");
    double[][] rows = {{1.25, Double.NaN}, {1.5, 60.1}};
    TelemetrySamplesV1 compact = TelemetrySamplesV1.compact("tank", "TK1", t0, 5000, List.of("a", "b"), rows,
        new int[] {2, 1});
    String text = json.writeValueAsString(compact);
    assertThat(text).contains("\"encoded\":").doesNotContain("values");
    TelemetrySamplesV1 back = json.readValue(text, TelemetrySamplesV1.class);
    assertThat(back).isEqualTo(compact);
    assertThat(Arrays.deepToString(back.decodeSamples())).isEqualTo(Arrays.deepToString(rows));

    TelemetrySamplesV1 old = new TelemetrySamplesV1("tank", "TK1", t0, 5000, List.of("a", "b"),
        TelemetrySamplesV1.toValues(rows));
    String oldText = json.writeValueAsString(old);
    assertThat(oldText).contains("[1.25,null]").doesNotContain("encoded");
    TelemetrySamplesV1 oldBack = json.readValue(oldText, TelemetrySamplesV1.class);
    assertThat(oldBack.encoded()).isNull();
    assertThat(Arrays.deepToString(oldBack.decodeSamples())).isEqualTo(Arrays.deepToString(rows));
  }
}
