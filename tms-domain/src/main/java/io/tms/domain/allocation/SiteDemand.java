package io.tms.domain.allocation;

import java.util.Objects;

/**
 * What the policy knows of one site's need for an allocation.
 *
 * @param gallonsPerHour recent consumption rate (what the site reported over the rate window)
 * @param minimumGallons an operator's floor for this site's reserve, or {@code null} for the
 *     policy's initial reserve
 * @param participating the site may use the allocation (the customer may lift the product there);
 *     a site that may not is asked to give back everything unused
 */
public record SiteDemand(String siteCode, double gallonsPerHour, Long minimumGallons, boolean participating) {
  public SiteDemand {
    Objects.requireNonNull(siteCode, "siteCode");
    if (!(gallonsPerHour >= 0) || Double.isInfinite(gallonsPerHour)) {
      throw new IllegalArgumentException("gallonsPerHour must be a finite number >= 0 (was " + gallonsPerHour + ")");
    }
    if (minimumGallons != null && minimumGallons < 0) {
      throw new IllegalArgumentException("minimumGallons must be >= 0 (was " + minimumGallons + ")");
    }
  }

  public static SiteDemand of(String siteCode, double gallonsPerHour) {
    return new SiteDemand(siteCode, gallonsPerHour, null, true);
  }
}
