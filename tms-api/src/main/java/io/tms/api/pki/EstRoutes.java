package io.tms.api.pki;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.http.ApiException;
import io.tms.api.http.CloudHttp;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollment over Secure Transport (RFC 7030) on the edge listener: {@code cacerts} (the CA, PKCS#7),
 * {@code simpleenroll} (a PKCS#10 with a bootstrap token in {@code Authorization: Bearer} or as the
 * Basic password → the site's certificate, PKCS#7) and {@code simplereenroll} (the same with the
 * site's current client certificate instead of a token). The site comes from the token or the
 * certificate; the CSR's subject is ignored. Thread-safe.
 */
final class EstRoutes implements Consumer<RoutesConfig> {
  private static final Logger log = LoggerFactory.getLogger(EstRoutes.class);
  static final String CACERTS = "/.well-known/est/cacerts";
  static final String ENROLL = "/.well-known/est/simpleenroll";
  static final String REENROLL = "/.well-known/est/simplereenroll";

  private final CertificateAuthority ca;
  private final SiteCertificates store;
  private final CloudHttp http;
  private final Clock clock;
  private final Duration lifetime;
  private final byte[] cacerts;

  EstRoutes(CertificateAuthority ca, SiteCertificates store, CloudHttp http, Clock clock, Duration lifetime) {
    this.ca = ca;
    this.store = store;
    this.http = http;
    this.clock = clock;
    this.lifetime = lifetime;
    this.cacerts = Pkcs.certsOnly(List.of(ca.certificate()));
  }

  @Override
  public void accept(RoutesConfig r) {
    r.get(CACERTS, ctx -> pkcs7(ctx, cacerts));
    r.post(ENROLL, this::enroll);
    r.post(REENROLL, this::reenroll);
  }

  private void enroll(Context ctx) {
    String token = token(ctx);
    PublicKey key = Pkcs.csrKey(http.bytes(ctx));
    Instant now = clock.instant();
    X509Certificate cert = store.enroll(token, now, site -> ca.issueSite(site, key, now, lifetime), ctx.ip());
    log.info("site={} enrolled with a bootstrap token: certificate {} until {}", SiteIdentity.of(cert),
        CertificateAuthority.serialOf(cert), cert.getNotAfter().toInstant());
    pkcs7(ctx, Pkcs.certsOnly(List.of(cert)));
  }

  private void reenroll(Context ctx) {
    String site = ctx.attribute(EdgeAuth.SITE); // EdgeAuth checked the certificate: ours, not revoked, in grace
    X509Certificate current = ctx.attribute(EdgeAuth.CERT);
    PublicKey key = Pkcs.csrKey(http.bytes(ctx));
    Instant now = clock.instant();
    X509Certificate cert = ca.issueSite(site, key, now, lifetime);
    store.recordRenewal(site, cert, current, now, ctx.ip());
    log.info("site={} renewed certificate {} (expires {}) as {} until {}", site, CertificateAuthority.serialOf(current),
        current.getNotAfter().toInstant(), CertificateAuthority.serialOf(cert), cert.getNotAfter().toInstant());
    pkcs7(ctx, Pkcs.certsOnly(List.of(cert)));
  }

  private static void pkcs7(Context ctx, byte[] body) {
    ctx.contentType(Pkcs.PKCS7).header("Content-Transfer-Encoding", "base64").result(body);
  }

  /** {@code Authorization: Bearer TOKEN}, or Basic with the token as the password (curl -u site:TOKEN). */
  static String token(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null) {
      if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return auth.substring(7).trim();
      }
      if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
        try {
          String pair = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
          int colon = pair.indexOf(':');
          if (colon >= 0) {
            return pair.substring(colon + 1);
          }
        } catch (IllegalArgumentException e) {
          // falls through to the refusal
        }
      }
    }
    ctx.header("WWW-Authenticate", "Bearer realm=\"tms-est\"");
    throw new ApiException(401, "BOOTSTRAP_TOKEN_REQUIRED", "Authorization",
        "simpleenroll needs the site's bootstrap token (Authorization: Bearer TOKEN)");
  }
}
