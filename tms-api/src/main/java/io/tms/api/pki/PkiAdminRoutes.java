package io.tms.api.pki;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.audit.Actor;
import io.tms.api.http.ApiException;
import io.tms.domain.masterdata.Site;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's side of site certificates: issue a bootstrap token (answered once, stored
 * hashed), list a site's certificates, revoke them all. Thread-safe.
 */
final class PkiAdminRoutes implements Consumer<RoutesConfig> {
  private static final Logger log = LoggerFactory.getLogger(PkiAdminRoutes.class);

  private final SiteCertificates store;
  private final CertificateAuthority ca;
  private final RevokedSerials revoked;
  private final Clock clock;
  private final Duration tokenTtl;

  PkiAdminRoutes(SiteCertificates store, CertificateAuthority ca, RevokedSerials revoked, Clock clock, Duration tokenTtl) {
    this.store = store;
    this.ca = ca;
    this.revoked = revoked;
    this.clock = clock;
    this.tokenTtl = tokenTtl;
  }

  @Override
  public void accept(RoutesConfig r) {
    r.post("/v1/sites/{site}/bootstrap-tokens", ctx -> {
      SiteCertificates.Token t = store.issueToken(site(ctx), clock.instant(), tokenTtl, ca.fingerprint(),
          Actor.of(ctx));
      log.info("site={} bootstrap token issued, expires {}", t.site(), t.expiresAt());
      ctx.status(201).header("Cache-Control", "no-store").json(t);
    });
    r.get("/v1/sites/{site}/certificates", ctx -> ctx.json(store.list(site(ctx))));
    r.post("/v1/sites/{site}/certificates/revoke", ctx -> {
      String site = site(ctx);
      int n = store.revokeSite(site, clock.instant(), Actor.of(ctx));
      revoked.refresh();
      log.warn("site={} certificates revoked ({} newly)", site, n);
      ctx.json(Map.of("site", site, "revoked", n));
    });
  }

  private static String site(Context ctx) {
    String s = ctx.pathParam("site");
    if (!Site.isValidCode(s)) {
      throw new ApiException(400, "INVALID_INPUT", "site", "site must be 2-10 upper-case letters or digits");
    }
    return s;
  }
}
