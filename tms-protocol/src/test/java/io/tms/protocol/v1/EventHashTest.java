package io.tms.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link EventHash#matches} gives the verdict of comparing with {@link EventHash#next}, without the hex string. */
class EventHashTest {
  private static final byte[] BODY = "{\"bolNumber\":\"HOU1-1\",\"note\":\"café ☕\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void matchesExactlyTheHashNextComputes() {
    String prev = "0".repeat(64);
    for (String type : new String[] {"bol.issued.v1", "typé.ü.v1", "\uD83D\uDE00", "\uD800x"}) {
      for (long seq : new long[] {1, 42, Long.MAX_VALUE, -7}) {
        String hash = EventHash.next(prev, Lane.BUSINESS, seq, type, "2026-11-26T03:14:44.570Z", BODY, 3, BODY.length - 5);
        assertThat(EventHash.matches(hash, prev, Lane.BUSINESS, seq, type, "2026-11-26T03:14:44.570Z", BODY, 3,
            BODY.length - 5)).as(type + " " + seq).isTrue();
        assertThat(EventHash.matches(hash, prev, Lane.TELEMETRY, seq, type, "2026-11-26T03:14:44.570Z", BODY, 3,
            BODY.length - 5)).isFalse();
        assertThat(EventHash.matches(hash, prev, Lane.BUSINESS, seq + 1, type, "2026-11-26T03:14:44.570Z", BODY, 3,
            BODY.length - 5)).isFalse();
        assertThat(EventHash.matches(hash, prev, Lane.BUSINESS, seq, type, "2026-11-26T03:14:44.570Z", BODY, 3,
            BODY.length - 4)).isFalse();
        assertThat(EventHash.matches(hash.toUpperCase(), prev, Lane.BUSINESS, seq, type, "2026-11-26T03:14:44.570Z",
            BODY, 3, BODY.length - 5)).as("upper case is not the chain's form").isEqualTo(hash.equals(hash.toUpperCase()));
        String flipped = hash.substring(0, 63) + (hash.charAt(63) == '0' ? '1' : '0');
        assertThat(EventHash.matches(flipped, prev, Lane.BUSINESS, seq, type, "2026-11-26T03:14:44.570Z", BODY, 3,
            BODY.length - 5)).isFalse();
        prev = hash;
      }
    }
    assertThat(EventHash.matches(null, prev, Lane.BUSINESS, 1, "t", "a", BODY, 0, 1)).isFalse();
    assertThat(EventHash.matches("ab", prev, Lane.BUSINESS, 1, "t", "a", BODY, 0, 1)).isFalse();
    String longType = "x".repeat(1000) + "é"; // past the scratch array's first size
    assertThat(EventHash.matches(EventHash.next(prev, Lane.BUSINESS, 1, longType, "a", BODY, 0, 9), prev, Lane.BUSINESS,
        1, longType, "a", BODY, 0, 9)).isTrue();
  }

  @Test
  void aHashThatFailsHalfWayLeavesNothingBehindForTheThreadsNextHash() {
    String prev = "0".repeat(64);
    String hash = EventHash.next(prev, Lane.BUSINESS, 1, "bol.issued.v1", "a", BODY, 0, BODY.length);
    // the thread's digest is reused without a reset before each use: a failure must not leave its bytes in it
    assertThatThrownBy(() -> EventHash.matches(hash, prev, Lane.BUSINESS, 1, "bol.issued.v1", "a", BODY, 0,
        BODY.length + 1)).isInstanceOf(RuntimeException.class);
    assertThat(EventHash.matches(hash, prev, Lane.BUSINESS, 1, "bol.issued.v1", "a", BODY, 0, BODY.length)).isTrue();
    assertThatThrownBy(() -> EventHash.next(prev, Lane.BUSINESS, 1, "bol.issued.v1", "a", BODY, 5, BODY.length))
        .isInstanceOf(RuntimeException.class);
    assertThat(EventHash.next(prev, Lane.BUSINESS, 1, "bol.issued.v1", "a", BODY, 0, BODY.length)).isEqualTo(hash);
  }
}
