package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A terminal's credential at one site (a kiosk or a bay controller): {@code secretSha256} is the
 * hex SHA-256 of its random secret (never the secret, which the cloud shows once, when it issues
 * it). A deactivated terminal travels with {@code active=false} and stops working at the site as
 * soon as the feed delivers it. Added to v1 as a new entity ({@code "terminal"}): an agent built
 * before it cannot read a feed answer that holds one (an unknown type id), so agents are upgraded
 * before terminals are issued.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TerminalV1(String siteCode, String id, String name, String kind, String secretSha256, boolean active)
    implements MasterRecordV1 {
  @Override
  public String key() {
    return siteCode + "/" + id;
  }

  @Override
  public String toString() {
    return "TerminalV1[site=" + siteCode + ", id=" + id + ", active=" + active + "]";
  }
}
