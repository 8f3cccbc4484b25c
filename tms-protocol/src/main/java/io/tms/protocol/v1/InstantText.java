package io.tms.protocol.v1;

import java.time.Instant;

/**
 * {@link Instant#toString()}, character for character, without its formatter: the edge writes a
 * dozen instants per load cycle (event bodies, stored rows) on its single writer thread, and
 * {@code DateTimeFormatter}'s general path was ~7 % of that thread's Java time under the agent's C1
 * compiler. Years 0000–9999 are written here (the civil date from the epoch day by integer
 * arithmetic); any other instant goes to {@code Instant.toString()}. The fraction is as ISO_INSTANT
 * prints it: none, or 3, 6 or 9 digits, whichever is the shortest that is exact.
 */
public final class InstantText {
  private static final long MIN_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
  private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

  private InstantText() {}

  /** The same text as {@code instant.toString()}. */
  public static String format(Instant instant) {
    StringBuilder sb = new StringBuilder(30);
    appendTo(sb, instant);
    return sb.toString();
  }

  /** Appends what {@code instant.toString()} would return. */
  public static StringBuilder appendTo(StringBuilder sb, Instant instant) {
    long epochSecond = instant.getEpochSecond();
    if (epochSecond < MIN_SECOND || epochSecond > MAX_SECOND) {
      return sb.append(instant);
    }
    long epochDay = Math.floorDiv(epochSecond, 86_400);
    int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
    // civil date from days since 1970-01-01 (proleptic Gregorian), in 400-year eras from 0000-03-01
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    int dayOfEra = (int) (z - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int mp = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

    int y = (int) year;
    sb.append((char) ('0' + y / 1000)).append((char) ('0' + y / 100 % 10));
    two(sb, y % 100).append('-');
    two(sb, month).append('-');
    two(sb, day).append('T');
    two(sb, secondOfDay / 3600).append(':');
    two(sb, secondOfDay / 60 % 60).append(':');
    two(sb, secondOfDay % 60);
    int nano = instant.getNano();
    if (nano != 0) {
      sb.append('.');
      if (nano % 1_000_000 == 0) {
        digits(sb, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        digits(sb, nano / 1000, 6);
      } else {
        digits(sb, nano, 9);
      }
    }
    return sb.append('Z');
  }

  private static StringBuilder two(StringBuilder sb, int v) {
    return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  private static void digits(StringBuilder sb, int v, int width) {
    int divisor = 1;
    for (int i = 1; i < width; i++) {
      divisor *= 10;
    }
    for (; divisor > 0; divisor /= 10) {
      sb.append((char) ('0' + v / divisor % 10));
    }
  }
}
