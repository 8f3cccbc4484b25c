package io.tms.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.UplinkBatchV1;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UplinkBatchWriterTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void bodiesGoInlinedByteForByteAndTheRestIsValidEscapedJson() throws Exception {
    String body1 = "{\"bolNumber\":\"HOU1-000001\",\"note\":\"a \\\"quoted\\\" word, caf\u00e9, tab\\t\",\"lines\":[{\"n\":1}]}";
    String body2 = "[1,2]"; // not an object: goes as the original string form
    UplinkBatchWriter w = new UplinkBatchWriter(new byte[16]);
    w.start("HOU1", "BUSINESS", 7, EventHash.GENESIS, null, null);
    w.event(7, "bol.issued.v1", "2026-05-01T06:00:00Z", body1.getBytes(StandardCharsets.UTF_8), "a".repeat(64));
    w.event(8, "odd \"type\"\n", "2026-05-01T06:00:01Z", body2.getBytes(StandardCharsets.UTF_8), "b".repeat(64));
    w.end();
    byte[] raw = written(w);
    String text = new String(raw, StandardCharsets.UTF_8);

    JsonNode batch = json.readTree(raw);
    assertThat(batch.get("siteCode").asText()).isEqualTo("HOU1");
    assertThat(batch.get("fromSeq").asLong()).isEqualTo(7);
    assertThat(batch.has("droppedThroughSeq")).isFalse();
    JsonNode e1 = batch.get("events").get(0);
    assertThat(e1.has("body")).isFalse();
    assertThat(e1.get("bodyJson")).isEqualTo(json.readTree(body1));
    assertThat(text).as("the stored bytes appear verbatim, so their hash can be recomputed").contains(body1);
    JsonNode e2 = batch.get("events").get(1);
    assertThat(e2.get("body").asText()).isEqualTo(body2);
    assertThat(e2.get("type").asText()).isEqualTo("odd \"type\"\n");
    assertThat(e2.has("bodyJson")).isFalse();

    // an old reader (the v1 record, unknown fields ignored) still reads the head and every event
    UplinkBatchV1 old = json.readValue(raw, UplinkBatchV1.class);
    assertThat(old.lane()).isEqualTo(Lane.BUSINESS);
    assertThat(old.events()).extracting(e -> e.seq()).containsExactly(7L, 8L);
  }

  @Test
  void seqsOfEveryLengthAreWrittenAsTheirDigits() throws Exception {
    long[] seqs = {0, 9, 10, 99, 100, 1_234_567, 999_999_999_999L, Long.MAX_VALUE};
    UplinkBatchWriter w = new UplinkBatchWriter(new byte[16]);
    w.start("HOU1", "BUSINESS", 0, EventHash.GENESIS, null, null);
    for (long seq : seqs) {
      w.event(seq, "t".getBytes(StandardCharsets.US_ASCII), "2026-05-01T06:00:00Z".getBytes(StandardCharsets.US_ASCII),
          "{}".getBytes(StandardCharsets.US_ASCII), "a".repeat(64).getBytes(StandardCharsets.US_ASCII));
    }
    w.end();
    JsonNode events = json.readTree(written(w)).get("events");
    for (int i = 0; i < seqs.length; i++) {
      assertThat(events.get(i).get("seq").asLong()).isEqualTo(seqs[i]);
    }
  }

  @Test
  void aDroppedRangeIsWrittenAndLargeBodiesPassTheBuffer() throws Exception {
    String big = "{\"v\":\"" + "x".repeat(200_000) + "\"}";
    UplinkBatchWriter w = new UplinkBatchWriter(new byte[16]);
    w.start("HOU1", "TELEMETRY", 11, EventHash.GENESIS, 10L, null);
    for (int i = 0; i < 3; i++) {
      w.event(11 + i, "telemetry.samples.v1", "2026-05-01T06:00:00Z", big.getBytes(StandardCharsets.UTF_8), "c".repeat(64));
    }
    w.end();
    JsonNode batch = json.readTree(written(w));
    assertThat(batch.get("droppedThroughSeq").asLong()).isEqualTo(10);
    assertThat(batch.get("events")).hasSize(3);
    assertThat(batch.get("events").get(2).get("bodyJson").get("v").asText()).hasSize(200_000);
  }

  /** What the writer holds: the first length() bytes of the array it ended in (grown from 16 bytes). */
  private static byte[] written(UplinkBatchWriter w) {
    return Arrays.copyOf(w.array(), w.length());
  }
}
