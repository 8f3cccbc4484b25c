package io.tms.api.auth;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling: a user by an API token ({@code via = "token:<id>"}) or an OIDC subject
 * ({@code id = "oidc:<sub>"}, {@code via = "oidc"}), with roles and, for site-scoped roles, sites.
 */
public record Principal(String id, Set<Role> roles, Set<String> sites, String via) {
  public Principal {
    roles = Set.copyOf(roles);
    sites = Set.copyOf(sites);
  }

  /**
   * Whether this caller may use a route that needs {@code p} and names {@code site} ({@code null}:
   * no site). A role without site scope decides on the permission alone; a site-scoped role needs
   * the site to be one of its own, or else may only read shared master data.
   */
  public boolean may(Permission p, String site) {
    for (Role r : roles) {
      if (!r.grants(p)) {
        continue;
      }
      if (!r.siteScoped()) {
        return true;
      }
      if (site != null ? sites.contains(site) : p == Permission.MASTER_READ || p == Permission.SELF) {
        return true;
      }
    }
    return false;
  }

  public boolean grants(Permission p) {
    return roles.stream().anyMatch(r -> r.grants(p));
  }

  /** Roles as stored in the audit log: sorted names, comma-separated. */
  public String roleNames() {
    return roles.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
  }
}
