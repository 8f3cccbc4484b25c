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
