package io.tms.api.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads the instants of uplink events without {@code DateTimeFormatter}: every event carries two or
 * three, and the formatter's general parser was about a tenth of the cloud's ingest CPU. Only the
 * form sites write ({@code Instant.toString()}: {@code 2026-11-26T03:14:44.570Z}, 0–9 fraction
 * digits, UTC) takes the direct path; anything else goes to Jackson's own deserializer, so what is
 * accepted and refused does not change. The heartbeat decoder ({@code HeartbeatCodec}) reads its
 * instants here too. Stateless.
 */
public final class WireInstants {
  private WireInstants() {}

  /** A module whose Instant deserializer takes the direct path first. */
  static SimpleModule module() {
    return new SimpleModule("tms-wire-instants").addDeserializer(Instant.class, new Deserializer());
  }

  /** {@code Instant.parse} for the sites' form, or {@code null} when {@code s[off, off+len)} is not in it. */
  public static Instant parseOrNull(char[] s, int off, int len) {
    // yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z
    if (len < 20 || len > 30 || s[off + len - 1] != 'Z' || s[off + 4] != '-' || s[off + 7] != '-'
        || s[off + 10] != 'T' || s[off + 13] != ':' || s[off + 16] != ':') {
      return null;
    }
    int year = digits(s, off, 4);
    int month = digits(s, off + 5, 2);
    int day = digits(s, off + 8, 2);
    int hour = digits(s, off + 11, 2);
    int minute = digits(s, off + 14, 2);
    int second = digits(s, off + 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    int fractionDigits = len - 20;
    if (fractionDigits > 0) {
      if (s[off + 19] != '.' || fractionDigits == 1) {
        return null;
      }
      int f = digits(s, off + 20, fractionDigits - 1);
      if (f < 0) {
        return null;
      }
      for (int i = fractionDigits - 1; i < 9; i++) {
        f *= 10;
      }
      nanos = f;
    }
    long days = epochDay(year, month, day);
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** {@code Instant.parse}, by the direct path for the sites' form; throws DateTimeException as it does. */
  public static Instant parse(String s) {
    Instant fast = parseOrNull(s.toCharArray(), 0, s.length());
    return fast != null ? fast : Instant.parse(s);
  }

  private static int digits(char[] s, int off, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      int d = s[off + i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (as {@code LocalDate.toEpochDay}). */
  private static long epochDay(int year, int month, int day) {
    long y = year;
    long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
    total += (367L * month - 362) / 12 + day - 1;
    if (month > 2) {
      total--;
      if (!(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) {
        total--;
      }
    }
    return total - 719_528L; // days from 0000-01-01 to 1970-01-01
  }

  private static final class Deserializer extends StdDeserializer<Instant> {
    Deserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        Instant fast = parseOrNull(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (fast != null) {
          return fast;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }
  }
}
