package io.tms.api.pki;

import io.tms.api.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of site certificates: bootstrap tokens (only their SHA-256 is stored; a token is spent
 * by the same statement that checks it, so it works once even with two replicas racing), the
 * certificates issued to each site, and revocation (which notifies every replica on
 * {@link #CHANNEL} in the same transaction). Thread-safe.
 */
public final class SiteCertificates {
  public static final String CHANNEL = "tms_pki";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate as the admin API lists it. */
  public record Issued(String serial, String site, Instant notBefore, Instant notAfter, Instant issuedAt, String via,
      Instant revokedAt) {}

  /** A new token, shown once. */
  public record Token(String site, String token, Instant expiresAt, String caFingerprint) {}

  private final Jdbi jdbi;

  public SiteCertificates(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * A one-time token for an active site: 32 random bytes, then a dot and the CA's fingerprint, so
   * the agent can pin the CA before it trusts anything the cloud says.
   */
  public Token issueToken(String site, Instant now, Duration ttl, String caFingerprint) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "." + caFingerprint;
    Instant expires = now.plus(ttl);
    jdbi.useTransaction(h -> {
      requireActiveSite(h, site);
      h.createUpdate("INSERT INTO bootstrap_token (token_hash, site_code, issued_at, expires_at) VALUES (?, ?, ?, ?)")
          .bind(0, hash(token)).bind(1, site).bind(2, Timestamp.from(now)).bind(3, Timestamp.from(expires)).execute();
    });
    return new Token(site, token, expires, caFingerprint);
  }

  /**
   * Spends a token and records the certificate {@code issue} makes for its site, in one
   * transaction: a token is used once, and a failed issue leaves it unused. Refused (401) when
   * unknown, used or expired.
   */
  public X509Certificate enroll(String token, Instant now, Function<String, X509Certificate> issue) {
    return jdbi.inTransaction(h -> {
      Optional<String> site = h.createQuery("""
              UPDATE bootstrap_token SET used_at = :now
              WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
              RETURNING site_code""")
          .bind("now", Timestamp.from(now)).bind("hash", hash(token)).mapTo(String.class).findOne();
      if (site.isEmpty()) {
        throw new ApiException(401, "BOOTSTRAP_TOKEN_REFUSED", "Authorization",
            "the bootstrap token is unknown, expired or already used; issue a new one for the site");
      }
      requireActiveSite(h, site.get());
      X509Certificate cert = issue.apply(site.get());
      record(h, site.get(), cert, now, "ENROLL");
      return cert;
    });
  }

  /** Records a certificate renewed with a site's current one. */
  public void recordRenewal(String site, X509Certificate cert, Instant now) {
    jdbi.useTransaction(h -> {
      requireActiveSite(h, site);
      record(h, site, cert, now, "REENROLL");
    });
  }

  private static void record(Handle h, String site, X509Certificate cert, Instant now, String via) {
    h.createUpdate("""
            INSERT INTO site_certificate (serial, site_code, not_before, not_after, issued_at, via)
            VALUES (?, ?, ?, ?, ?, ?)""")
        .bind(0, CertificateAuthority.serialOf(cert)).bind(1, site)
        .bind(2, Timestamp.from(cert.getNotBefore().toInstant())).bind(3, Timestamp.from(cert.getNotAfter().toInstant()))
        .bind(4, Timestamp.from(now)).bind(5, via).execute();
  }

  /**
   * Revokes every certificate of the site and spends its unused tokens; every replica hears it on
   * {@link #CHANNEL} when this commits. Returns how many certificates were revoked now.
   */
  public int revokeSite(String site, Instant now) {
    return jdbi.inTransaction(h -> {
      requireSite(h, site);
      int n = h.createUpdate("UPDATE site_certificate SET revoked_at = ? WHERE site_code = ? AND revoked_at IS NULL")
          .bind(0, Timestamp.from(now)).bind(1, site).execute();
      h.createUpdate("UPDATE bootstrap_token SET used_at = ? WHERE site_code = ? AND used_at IS NULL")
          .bind(0, Timestamp.from(now)).bind(1, site).execute();
      h.execute("SELECT pg_notify(?, ?)", CHANNEL, site);
      return n;
    });
  }

  public List<Issued> list(String site) {
    return jdbi.withHandle(h -> {
      requireSite(h, site);
      return h.createQuery("""
              SELECT serial, site_code, not_before, not_after, issued_at, via, revoked_at
              FROM site_certificate WHERE site_code = ? ORDER BY issued_at, serial""")
          .bind(0, site)
          .map((rs, ctx) -> new Issued(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
              rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6),
              rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant()))
          .list();
    });
  }

  /** Every revoked serial (the replica's in-memory set is rebuilt from this). */
  public Set<String> revokedSerials() {
    return jdbi.withHandle(h -> h.createQuery("SELECT serial FROM site_certificate WHERE revoked_at IS NOT NULL")
        .mapTo(String.class).stream().collect(Collectors.toUnmodifiableSet()));
  }

  /** Whether the site exists and is active (a certificate of an inactive site is not renewed). */
  private static void requireActiveSite(Handle h, String site) {
    Map<String, Object> row = h.createQuery("SELECT active FROM site WHERE code = ?").bind(0, site).mapToMap()
        .findOne().orElseThrow(() -> new ApiException(404, "NOT_FOUND", "site", "no site " + site));
    if (!Boolean.TRUE.equals(row.get("active"))) {
      throw new ApiException(403, "SITE_INACTIVE", "site", "site " + site + " is inactive");
    }
  }

  private static void requireSite(Handle h, String site) {
    if (h.createQuery("SELECT 1 FROM site WHERE code = ?").bind(0, site).mapTo(Integer.class).findOne().isEmpty()) {
      throw new ApiException(404, "NOT_FOUND", "site", "no site " + site);
    }
  }

  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
