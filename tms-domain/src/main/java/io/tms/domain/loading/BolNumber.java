package io.tms.domain.loading;

import io.tms.domain.masterdata.Site;
import java.util.Objects;

/**
 * A BOL number: the site code and the site's own sequence, e.g. {@code HOU1-00001042}. Unique across
 * the fleet without asking the cloud, because site codes are unique and a site never reuses a
 * sequence number it has issued.
 */
public record BolNumber(String siteCode, long sequence) {
  public BolNumber {
    Objects.requireNonNull(siteCode, "siteCode");
    if (!Site.isValidCode(siteCode)) {
      throw new IllegalArgumentException("invalid site code " + siteCode);
    }
    if (sequence < 1) {
      throw new IllegalArgumentException("BOL sequence must be >= 1 (was " + sequence + ")");
    }
  }

  public static BolNumber parse(String text) {
    int dash = text == null ? -1 : text.lastIndexOf('-');
    if (dash < 1) {
      throw new IllegalArgumentException("not a BOL number: " + text);
    }
    try {
      return new BolNumber(text.substring(0, dash), Long.parseLong(text.substring(dash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a BOL number: " + text, e);
    }
  }

  /** {@code SITE-} and the sequence zero-padded to eight digits (more when it has more). */
  @Override
  public String toString() {
    // By hand rather than String.format: the writer prints a BOL number several times per load.
    String digits = Long.toString(sequence);
    StringBuilder out = new StringBuilder(siteCode.length() + 1 + Math.max(8, digits.length()));
    out.append(siteCode).append('-');
    for (int i = digits.length(); i < 8; i++) {
      out.append('0');
    }
    return out.append(digits).toString();
  }
}
