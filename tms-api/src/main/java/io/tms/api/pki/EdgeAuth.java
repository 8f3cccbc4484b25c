package io.tms.api.pki;

import io.javalin.http.Context;
import io.tms.api.http.ApiException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The edge listener's before-handler: who is calling, from the verified client certificate only.
 * EST {@code cacerts} and the bootstrap-token {@code simpleenroll} need no certificate; everything
 * else needs one that is not revoked and not expired ({@code simplereenroll} also takes one expired
 * less than the grace period ago). A request for another site's path is 403. Thread-safe.
 */
final class EdgeAuth {
  static final String SITE = "tms.site";
  static final String CERT = "tms.cert";
  private static final String X509_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

  private final RevokedSerials revoked;
  private final Clock clock;
  private final Duration grace;

  EdgeAuth(RevokedSerials revoked, Clock clock, Duration grace) {
    this.revoked = revoked;
    this.clock = clock;
    this.grace = grace;
  }

  void before(Context ctx) {
    String path = ctx.path();
    if (path.equals(EstRoutes.CACERTS) || path.equals(EstRoutes.ENROLL)) {
      return;
    }
    if (!path.startsWith("/edge/") && !path.equals(EstRoutes.REENROLL)) {
      throw new ApiException(404, "NOT_FOUND", null, "the edge listener serves only /edge/ and EST routes");
    }
    X509Certificate cert = clientCertificate(ctx);
    if (cert == null) {
      throw new ApiException(401, "CLIENT_CERTIFICATE_REQUIRED", null,
          "a client certificate of the site CA is required (enroll with a bootstrap token)");
    }
    String site = SiteIdentity.of(cert);
    if (site == null) {
      throw new ApiException(403, "NO_SITE_IDENTITY", null, "the certificate names no site");
    }
    if (revoked.contains(CertificateAuthority.serialOf(cert))) {
      throw new ApiException(403, "CERTIFICATE_REVOKED", null, "the certificate of site " + site + " is revoked");
    }
    Instant now = clock.instant();
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      throw new ApiException(401, "CERTIFICATE_NOT_YET_VALID", null, "the certificate is not valid yet");
    }
    Instant notAfter = cert.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      boolean renewal = path.equals(EstRoutes.REENROLL);
      if (!renewal || now.isAfter(notAfter.plus(grace))) {
        throw new ApiException(401, "CERTIFICATE_EXPIRED", null, "the certificate of site " + site + " expired at "
            + notAfter + (renewal ? " (more than the grace period ago: enroll again with a new bootstrap token)"
            : "; renew it with simplereenroll"));
      }
    }
    if (path.startsWith("/edge/v1/sites/")) {
      String[] parts = path.split("/", 6);
      if (parts.length > 4 && !parts[4].equals(site)) {
        throw new ApiException(403, "WRONG_SITE", "site", "the certificate of site " + site
            + " may not act for site " + parts[4]);
      }
    }
    ctx.attribute(SITE, site);
    ctx.attribute(CERT, cert);
  }

  static X509Certificate clientCertificate(Context ctx) {
    Object certs = ctx.req().getAttribute(X509_ATTRIBUTE);
    if (certs instanceof X509Certificate[] chain && chain.length > 0) {
      return chain[0];
    }
    return null;
  }
}
