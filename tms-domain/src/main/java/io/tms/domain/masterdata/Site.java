package io.tms.domain.masterdata;

import java.time.ZoneId;
import java.util.Objects;

/** A terminal site. Its code prefixes every BOL number issued there. */
public record Site(String code, String name, ZoneId zone) {

  public Site {
    Objects.requireNonNull(code, "code");
    if (!isValidCode(code)) {
      throw new IllegalArgumentException(
          "site code must be 2-10 upper-case letters or digits starting with a letter (was " + code + ")");
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(zone, "zone");
  }

  /**
   * {@code [A-Z][A-Z0-9]{1,9}}, checked by hand: every BOL number checks its site code, on the
   * site's single writer, where a regex match cost more than the rest of the number.
   */
  public static boolean isValidCode(String code) {
    if (code == null || code.length() < 2 || code.length() > 10) {
      return false;
    }
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
