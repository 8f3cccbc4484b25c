package io.tms.domain.masterdata;

import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;

/** A terminal site. Its code prefixes every BOL number issued there. */
public record Site(String code, String name, ZoneId zone) {
  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9]{1,9}");

  public Site {
    Objects.requireNonNull(code, "code");
    if (!CODE.matcher(code).matches()) {
      throw new IllegalArgumentException(
          "site code must be 2-10 upper-case letters or digits starting with a letter (was " + code + ")");
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(zone, "zone");
  }

  public static boolean isValidCode(String code) {
    return code != null && CODE.matcher(code).matches();
  }
}
