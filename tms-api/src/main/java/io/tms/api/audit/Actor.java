package io.tms.api.audit;

import io.javalin.http.Context;
import io.tms.api.auth.Authenticator;
import io.tms.api.auth.Principal;

/**
 * Who made a change and from where, as the audit log records it: the authenticated principal of
 * the request (set by {@link Authenticator}) and the client's address as this replica saw it.
 */
public record Actor(String id, String roles, String remote) {
  /** The system itself (start-up bootstrap of the first admin). */
  public static final Actor SYSTEM = new Actor("system", "", null);

  /**
   * A site acting on its own link over the edge channel (enrolling with a bootstrap token, renewing
   * with its certificate): {@code site:HOU1}, role {@code SITE}.
   */
  public static Actor site(String site, String remote) {
    return new Actor("site:" + site, "SITE", remote);
  }

  /** The caller of an admin request; a request that reached a handler unauthenticated is a wiring bug. */
  public static Actor of(Context ctx) {
    Principal p = Authenticator.principal(ctx);
    if (p == null) {
      throw new IllegalStateException("no authenticated principal on " + ctx.method() + " " + ctx.path());
    }
    return new Actor(p.id(), p.roleNames(), ctx.ip());
  }
}
