package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * A block of evenly spaced telemetry samples from one source (a tank gauge, an arm's meter), on the
 * telemetry lane (DESIGN §7). Samples travel and land as blocks, not one event per value:
 * {@code values.get(i)} is the sample taken at {@code firstAt + i * intervalMillis}, one number per
 * entry of {@code metrics} (e.g. {@code level_in}, {@code water_in}, {@code temperature_f},
 * {@code density_kgm3}); a missing reading is {@code null}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TelemetrySamplesV1(
    String sourceKind, String sourceId, Instant firstAt, int intervalMillis, List<String> metrics,
    List<List<Double>> values) {}
