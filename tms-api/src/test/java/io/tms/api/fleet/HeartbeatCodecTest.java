package io.tms.api.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.http.ApiException;
import io.tms.api.http.CloudJson;
import io.tms.api.ingest.WireInstants;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatAckV1;
import io.tms.protocol.v1.sync.HeartbeatV1;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written heartbeat codec reads and writes exactly what the cloud's Jackson mapper does. */
class HeartbeatCodecTest {
  private final ObjectMapper json = CloudJson.mapper();
  private final HeartbeatCodec codec = new HeartbeatCodec(json.getFactory());

  @Test
  void reads_what_an_agent_writes_and_answers_as_jackson_would() throws Exception {
    Map<Lane, HeartbeatV1.LaneBacklog> outbox = new EnumMap<>(Lane.class);
    outbox.put(Lane.BUSINESS, new HeartbeatV1.LaneBacklog(12, 340, 0));
    outbox.put(Lane.TELEMETRY, new HeartbeatV1.LaneBacklog(5_000_000_000L, 7, 99));
    HeartbeatV1 hb = new HeartbeatV1("HOU2", "1.4.0", "cfg-7", Instant.parse("2026-11-01T06:00:00Z"), 86_400, outbox,
        Instant.parse("2026-11-26T03:18:10.123456789Z"), 4711, 10_000_000_000L, 50_000_000, 120_000_000,
        Instant.parse("2027-02-01T00:00:00.5Z"), Instant.parse("2026-11-26T03:18:11.120Z"));
    String body = json.writeValueAsString(hb).replace("{\"siteCode\"", "{\"future\":{\"a\":[1,2]},\"siteCode\"");

    assertThat(codec.read(body.getBytes(StandardCharsets.UTF_8))).isEqualTo(hb);
    assertThat(codec.read("{\"siteCode\":null,\"outbox\":null}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new HeartbeatV1(null, null, null, null, 0, null, null, 0, 0, 0, 0, null, null));

    HeartbeatAckV1 ack = new HeartbeatAckV1(Instant.parse("2026-11-26T03:18:11.000123Z"), 42, 3, 17);
    assertThat(new String(HeartbeatCodec.write(ack), StandardCharsets.US_ASCII)).isEqualTo(json.writeValueAsString(ack));
    assertThat(json.readValue(HeartbeatCodec.write(ack), HeartbeatAckV1.class)).isEqualTo(ack);
  }

  @Test
  void parses_instants_as_instant_parse_does() {
    for (String s : new String[] {"2026-11-26T03:18:10Z", "2026-11-26T03:18:10.1Z", "2026-11-26T03:18:10.120Z",
        "1970-01-01T00:00:00.000000001Z", "2024-02-29T23:59:59.999999999Z", "1969-12-31T23:59:59.5Z"}) {
      assertThat(fast(s)).as(s).isEqualTo(Instant.parse(s));
    }
    // other shapes are left to Instant.parse
    assertThat(fast("2026-11-26T03:18:10+01:00")).isNull();
    assertThat(fast("2026-11-26T03:18:10.Z")).isNull();
    assertThat(fast("2026-11-26T24:00:00Z")).isNull();
  }

  private static Instant fast(String s) { // the direct path the codec takes (WireInstants), before Instant.parse
    return WireInstants.parseOrNull(s.toCharArray(), 0, s.length());
  }

  @Test
  void refuses_bad_input_naming_the_field() {
    assertRefused("{\"uptimeSeconds\":\"long\"}", "uptimeSeconds");
    assertRefused("{\"uptimeSeconds\":1.5}", "uptimeSeconds");
    assertRefused("{\"uptimeSeconds\":null}", "uptimeSeconds");
    assertRefused("{\"rev\":123456789012345678901234567890}", "rev");
    assertRefused("{\"version\":12}", "version");
    assertRefused("{\"sentAt\":\"yesterday\"}", "sentAt");
    assertRefused("{\"sentAt\":\"2026-02-30T00:00:00Z\"}", "sentAt");
    assertRefused("{\"outbox\":[]}", "outbox");
    assertRefused("{\"outbox\":{\"GOSSIP\":{}}}", "outbox");
    assertRefused("{\"outbox\":{\"BUSINESS\":{\"depth\":\"x\"}}}", "outbox.BUSINESS.depth");
    assertRefused("{\"siteCode\":", null);
    assertRefused("{} {}", null);
    assertRefused("[]", null);
    assertRefused("", null);
  }

  private void assertRefused(String body, String field) {
    assertThatThrownBy(() -> codec.read(body.getBytes(StandardCharsets.UTF_8)))
        .as(body)
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.problem().status()).isEqualTo(400);
          assertThat(e.problem().field()).isEqualTo(field);
        });
  }
}
