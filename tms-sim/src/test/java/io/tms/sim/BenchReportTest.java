package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.sim.BenchReport.Better;
import org.junit.jupiter.api.Test;

/** The JSON form of a report: a figure the run did not measure is null, never 0. */
class BenchReportTest {

  @Test
  void anUnmeasuredFigureIsNullAndAMeasuredOneIsRounded() throws Exception {
    BenchReport report = new BenchReport("sync")
        .add("sustained_agent_cpu_us_per_event", Double.NaN, "us", Double.NaN, Better.LOWER)
        .add("uplink_events_per_s", 40_580.35129, "events/s", 50_000, Better.HIGHER);

    JsonNode results = new ObjectMapper().readTree(report.toJson()).get("results");

    assertThat(results.get(0).get("value").isNull()).isTrue();
    assertThat(results.get(0).get("target").isNull()).isTrue();
    assertThat(results.get(1).get("value").asDouble()).isEqualTo(40_580.351);
    assertThat(results.get(1).get("target").asDouble()).isEqualTo(50_000);
  }
}
