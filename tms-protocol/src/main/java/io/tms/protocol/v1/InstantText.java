package io.tms.protocol.v1;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@link Instant#toString()}, character for character, without its formatter: the edge writes a
 * dozen instants per load cycle (event bodies, stored rows) on its single writer thread, and
 * {@code DateTimeFormatter}'s general path was ~7 % of that thread's Java time under the agent's C1
 * compiler (C1, a loop over 1,024 instants: ~100 ns a call here against ~400). Years 0000–9999 are
 * written here (the civil date from the epoch day by integer arithmetic, into Latin-1 bytes); any
 * other instant goes to {@code Instant.toString()}. The fraction is as ISO_INSTANT
 * prints it: none, or 3, 6 or 9 digits, whichever is the shortest that is exact.
 */
public final class InstantText {
  private static final long MIN_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
  private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

  private InstantText() {}

  /** The same text as {@code instant.toString()}. */
  public static String format(Instant instant) {
    long epochSecond = instant.getEpochSecond();
    if (epochSecond < MIN_SECOND || epochSecond > MAX_SECOND) {
      return instant.toString();
    }
    byte[] b = new byte[30];
    int n = write(b, epochSecond, instant.getNano());
    return new String(b, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** Appends what {@code instant.toString()} would return. */
  public static StringBuilder appendTo(StringBuilder sb, Instant instant) {
    return sb.append(format(instant));
  }

  /** Writes the text of an instant of years 0000–9999 into {@code b}; returns its length. */
  private static int write(byte[] b, long epochSecond, int nano) {
    long epochDay = Math.floorDiv(epochSecond, 86_400);
    int secondOfDay = (int) (epochSecond - epochDay * 86_400);
    // civil date from days since 1970-01-01 (proleptic Gregorian), in 400-year eras from 0000-03-01
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    int dayOfEra = (int) (z - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int mp = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));

    two(b, 0, year / 100);
    two(b, 2, year % 100);
    b[4] = '-';
    two(b, 5, month);
    b[7] = '-';
    two(b, 8, day);
    b[10] = 'T';
    two(b, 11, secondOfDay / 3600);
    b[13] = ':';
    two(b, 14, secondOfDay / 60 % 60);
    b[16] = ':';
    two(b, 17, secondOfDay % 60);
    int n = 19;
    if (nano != 0) {
      b[n++] = '.';
      int digits;
      int v;
      if (nano % 1_000_000 == 0) {
        digits = 3;
        v = nano / 1_000_000;
      } else if (nano % 1000 == 0) {
        digits = 6;
        v = nano / 1000;
      } else {
        digits = 9;
        v = nano;
      }
      for (int i = n + digits - 1; i >= n; i--) {
        b[i] = (byte) ('0' + v % 10);
        v /= 10;
      }
      n += digits;
    }
    b[n++] = 'Z';
    return n;
  }

  private static void two(byte[] b, int at, int v) {
    b[at] = (byte) ('0' + v / 10);
    b[at + 1] = (byte) ('0' + v % 10);
  }
}
