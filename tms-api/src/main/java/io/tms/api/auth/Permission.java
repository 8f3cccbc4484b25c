package io.tms.api.auth;

/** What a route needs; roles grant sets of these ({@link Role}). */
public enum Permission {
  MASTER_READ("read master data: sites, products, tanks, bays, customers, carriers, drivers, vehicles, allocations, lifting rights"),
  MASTER_WRITE("create, replace, deactivate master data other than sites; grant and withdraw lifting rights"),
  SITE_WRITE("register, replace and deactivate sites"),
  ACTIVITY_READ("read what sites did: BOLs, loads, inventory, uplink cursors"),
  RESERVE_READ("read the reserve ledger of an allocation"),
  RESERVE_WRITE("enrol sites in an allocation's escrow, run a reserve round"),
  FLEET_READ("read the fleet view: site health, drain queue, site certificates"),
  FLEET_WRITE("act on sites' links: clear a chain-broken flag, issue bootstrap tokens, revoke certificates"),
  AUDIT_READ("read and verify the audit log"),
  USER_ADMIN("manage users and their API tokens"),
  SELF("see who you are");

  private final String meaning;

  Permission(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
