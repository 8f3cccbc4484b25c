package io.tms.cli;

import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code 90s}, {@code 5m}, {@code 2h}, {@code 3d}, {@code 250ms} or ISO-8601 ({@code PT5M}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase();
    try {
      if (v.startsWith("p")) {
        return Duration.parse(value.trim().toUpperCase());
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (use e.g. 90s, 5m, 2h, 3d, 250ms or PT5M)");
    }
  }
}
