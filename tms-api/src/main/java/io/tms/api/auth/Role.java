package io.tms.api.auth;

import static io.tms.api.auth.Permission.ACTIVITY_READ;
import static io.tms.api.auth.Permission.AUDIT_READ;
import static io.tms.api.auth.Permission.FLEET_READ;
import static io.tms.api.auth.Permission.FLEET_WRITE;
import static io.tms.api.auth.Permission.MASTER_READ;
import static io.tms.api.auth.Permission.MASTER_WRITE;
import static io.tms.api.auth.Permission.RESERVE_READ;
import static io.tms.api.auth.Permission.RESERVE_WRITE;
import static io.tms.api.auth.Permission.SELF;
import static io.tms.api.auth.Permission.SITE_WRITE;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The roles of DESIGN §1 and the permissions each grants. A site-scoped role acts only on routes
 * that name one of its sites (in the path or the {@code site} query parameter) and, beyond those,
 * may only read shared master data (products, customers, drivers…).
 */
public enum Role {
  ADMIN(false, EnumSet.allOf(Permission.class)),
  DISPATCHER(false, EnumSet.of(SELF, MASTER_READ, MASTER_WRITE, ACTIVITY_READ, RESERVE_READ, RESERVE_WRITE,
      FLEET_READ)),
  FLEET_ENGINEER(false, EnumSet.of(SELF, MASTER_READ, SITE_WRITE, ACTIVITY_READ, RESERVE_READ, FLEET_READ,
      FLEET_WRITE)),
  SITE_OPERATOR(true, EnumSet.of(SELF, MASTER_READ, MASTER_WRITE, ACTIVITY_READ, FLEET_READ)),
  VIEWER(false, EnumSet.of(SELF, MASTER_READ, ACTIVITY_READ, RESERVE_READ, FLEET_READ, AUDIT_READ));

  private final boolean siteScoped;
  private final Set<Permission> permissions;

  Role(boolean siteScoped, Set<Permission> permissions) {
    this.siteScoped = siteScoped;
    this.permissions = Set.copyOf(permissions);
  }

  public boolean siteScoped() {
    return siteScoped;
  }

  public boolean grants(Permission p) {
    return permissions.contains(p);
  }

  /** {@code fleet-engineer}, {@code FLEET_ENGINEER}, {@code Fleet Engineer} → FLEET_ENGINEER; else null. */
  public static Role parse(String s) {
    if (s == null) {
      return null;
    }
    String n = s.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    if (n.startsWith("TMS.") || n.startsWith("TMS_")) {
      n = n.substring(4);
    }
    for (Role r : values()) {
      if (r.name().equals(n)) {
        return r;
      }
    }
    return null;
  }
}
