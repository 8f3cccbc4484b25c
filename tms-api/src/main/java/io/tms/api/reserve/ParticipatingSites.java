package io.tms.api.reserve;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Which sites take part in an allocation's escrow, and the operator's floor for each. The default
 * reads {@code reserve_site} ({@link ReserveStore#settings}); once lifting rights live in the cloud,
 * a version that derives the sites from them (customer may lift the product there) can be wired in
 * {@code Cloud} instead. A site that had reserve and is no longer listed, or is listed as not
 * participating, is asked to give back everything unused.
 */
@FunctionalInterface
public interface ParticipatingSites {

  /** A site's part in one allocation; {@code minimumGallons} null means the policy's initial reserve. */
  record SiteSetting(String siteCode, boolean participating, Long minimumGallons) {}

  List<SiteSetting> sites(Handle h, String allocationId);
}
