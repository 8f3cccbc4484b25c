package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A block of evenly spaced telemetry samples from one source (a tank gauge, an arm's meter), on the
 * telemetry lane (DESIGN §7). Samples travel and land as blocks, not one event per value: sample
 * {@code i} was taken at {@code firstAt + i * intervalMillis}, one number per entry of
 * {@code metrics} (e.g. {@code level_in}, {@code water_in}, {@code temperature_f},
 * {@code density_kgm3}).
 *
 * <p>The samples come in exactly one of two forms:
 *
 * <ul>
 *   <li>{@code values} (JSON numbers): {@code values.get(i).get(m)}, a missing reading is
 *       {@code null}; {@code encoded} absent. The original form, still accepted.
 *   <li>{@code encoded} (compact, preferred): the base64 text (RFC 4648, padded) of a
 *       {@link TelemetryBlock} — version byte 1, varint sample and metric counts, then per metric
 *       a scale (0–6 decimal places), a presence flag (+ bitmap when some samples are missing) and
 *       the zigzag-varint deltas of the samples as integers of that many decimals;
 *       {@code values} absent. The metric count must equal {@code metrics.size()}.
 * </ul>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TelemetrySamplesV1(
    String sourceKind, String sourceId, Instant firstAt, int intervalMillis, List<String> metrics,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<List<Double>> values,
    @JsonInclude(JsonInclude.Include.NON_NULL) String encoded) {

  /** The JSON-numbers form. */
  public TelemetrySamplesV1(String sourceKind, String sourceId, Instant firstAt, int intervalMillis,
      List<String> metrics, List<List<Double>> values) {
    this(sourceKind, sourceId, firstAt, intervalMillis, metrics, values, null);
  }

  /**
   * The compact form of {@code rows[i][m]} (NaN = missing) with {@code scales[m]} decimal places
   * per metric (values are rounded to them).
   */
  public static TelemetrySamplesV1 compact(String sourceKind, String sourceId, Instant firstAt, int intervalMillis,
      List<String> metrics, double[][] rows, int[] scales) {
    if (scales.length != metrics.size()) {
      throw new IllegalArgumentException("one scale per metric (" + metrics.size() + "), not " + scales.length);
    }
    return new TelemetrySamplesV1(sourceKind, sourceId, firstAt, intervalMillis, metrics, null,
        TelemetryBlock.encodeBase64(rows, scales));
  }

  /** The samples as {@code [sample][metric]} (NaN = missing), from whichever form this block has. */
  public double[][] decodeSamples() {
    if (encoded != null) {
      return TelemetryBlock.decodeBase64(encoded);
    }
    if (values == null) {
      return new double[0][];
    }
    double[][] rows = new double[values.size()][];
    for (int i = 0; i < rows.length; i++) {
      List<Double> row = values.get(i);
      rows[i] = new double[row.size()];
      for (int m = 0; m < rows[i].length; m++) {
        Double v = row.get(m);
        rows[i][m] = v == null ? Double.NaN : v;
      }
    }
    return rows;
  }

  /** {@code rows} (NaN = missing) as the JSON form's {@code values}, NaN becoming null. */
  public static List<List<Double>> toValues(double[][] rows) {
    List<List<Double>> out = new ArrayList<>(rows.length);
    for (double[] row : rows) {
      out.add(Arrays.stream(row).mapToObj(v -> Double.isNaN(v) ? null : v).toList());
    }
    return out;
  }
}
