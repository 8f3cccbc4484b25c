package io.tms.agent.store;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the instants the agent stores as text ({@link Instant#toString()}: {@code
 * 2026-11-25T14:00:00Z}, {@code 2026-11-25T14:00:00.123456Z}). {@link Instant#parse} goes through
 * the general formatter (a field map, a resolver) and was a visible part of the writer's Java time
 * when reading back an authorization and a load per cycle; this reads that one shape directly and
 * leaves anything else to {@link Instant#parse}. Stateless, thread-safe.
 */
public final class StoredTime {
  private StoredTime() {}

  public static Instant parse(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z') {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21; // digits between '.' and 'Z'
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return Instant.parse(text);
      }
      nanos = digits(text, 20, n - 1);
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59 || nanos < 0) {
      return Instant.parse(text); // out of range or not digits: let the JDK say what is wrong
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
  private static int digits(String text, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int d = text.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1 << 20;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
