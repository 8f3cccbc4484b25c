package io.tms.api.pki;

import io.tms.api.audit.Actor;
import io.tms.api.audit.AuditLog;
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
import java.util.LinkedHashMap;
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
 * {@link #CHANNEL} in the same transaction). Each of these changes is recorded in the audit log in
 * its own transaction, with ids, serials and hashes only: never a token, never a key. Thread-safe.
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
  private final AuditLog audit;

  public SiteCertificates(Jdbi jdbi, AuditLog audit) {
    this.jdbi = jdbi;
    this.audit = audit;
  }

  /**
   * A one-time token for an active site: 32 random bytes, then a dot and the CA's fingerprint, so
   * the agent can pin the CA before it trusts anything the cloud says.
   */
  public Token issueToken(String site, Instant now, Duration ttl, String caFingerprint, Actor actor) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "." + caFingerprint;
    Instant expires = now.plus(ttl);
    jdbi.useTransaction(h -> {
      requireActiveSite(h, site);
      h.createUpdate("INSERT INTO bootstrap_token (token_hash, site_code, issued_at, expires_at) VALUES (?, ?, ?, ?)")
          .bind(0, hash(token)).bind(1, site).bind(2, Timestamp.from(now)).bind(3, Timestamp.from(expires)).execute();
      Map<String, Object> after = new LinkedHashMap<>();
      after.put("site", site);
      after.put("tokenId", tokenId(token));
      after.put("expiresAt", expires.toString());
      after.put("caFingerprint", caFingerprint);
      audit.append(h, actor, "bootstrap_token", site + "/" + tokenId(token), "issue", site, null, after);
    });
    return new Token(site, token, expires, caFingerprint);
  }

  /**
   * Spends a token and records the certificate {@code issue} makes for its site, in one
   * transaction: a token is used once, and a failed issue leaves it unused. Refused (401) when
   * unknown, used or expired.
   */
  public X509Certificate enroll(String token, Instant now, Function<String, X509Certificate> issue, String remote) {
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
      Issued issued = record(h, site.get(), cert, now, "ENROLL");
      Map<String, Object> after = new LinkedHashMap<>(view(issued));
      after.put("tokenId", tokenId(token));
      after.put("publicKeySha256", keyHash(cert));
      audit.append(h, Actor.site(site.get(), remote), "site_certificate", issued.serial(), "enroll", site.get(), null,
          after);
      return cert;
    });
  }

  /** Records a certificate renewed with a site's current one ({@code previous}), audited as the site's act. */
  public void recordRenewal(String site, X509Certificate cert, X509Certificate previous, Instant now, String remote) {
    jdbi.useTransaction(h -> {
      requireActiveSite(h, site);
      Issued issued = record(h, site, cert, now, "REENROLL");
      Map<String, Object> before = new LinkedHashMap<>();
      before.put("serial", CertificateAuthority.serialOf(previous));
      before.put("notAfter", previous.getNotAfter().toInstant().toString());
      before.put("publicKeySha256", keyHash(previous));
      Map<String, Object> after = new LinkedHashMap<>(view(issued));
      after.put("publicKeySha256", keyHash(cert));
      audit.append(h, Actor.site(site, remote), "site_certificate", issued.serial(), "renew", site, before, after);
    });
  }

  private static Issued record(Handle h, String site, X509Certificate cert, Instant now, String via) {
    h.createUpdate("""
            INSERT INTO site_certificate (serial, site_code, not_before, not_after, issued_at, via)
            VALUES (?, ?, ?, ?, ?, ?)""")
        .bind(0, CertificateAuthority.serialOf(cert)).bind(1, site)
        .bind(2, Timestamp.from(cert.getNotBefore().toInstant())).bind(3, Timestamp.from(cert.getNotAfter().toInstant()))
        .bind(4, Timestamp.from(now)).bind(5, via).execute();
    return new Issued(CertificateAuthority.serialOf(cert), site, cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(), now, via, null);
  }

  /** A certificate as the audit log shows it (times as ISO text, so the canonical form is stable). */
  private static Map<String, Object> view(Issued c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("serial", c.serial());
    m.put("site", c.site());
    m.put("notBefore", c.notBefore().toString());
    m.put("notAfter", c.notAfter().toString());
    m.put("via", c.via());
    return m;
  }

  /**
   * Revokes every certificate of the site and spends its unused tokens; every replica hears it on
   * {@link #CHANNEL} when this commits. Returns how many certificates were revoked now.
   */
  public int revokeSite(String site, Instant now, Actor actor) {
    return jdbi.inTransaction(h -> {
      requireSite(h, site);
      List<String> serials = h.createQuery("""
              UPDATE site_certificate SET revoked_at = ? WHERE site_code = ? AND revoked_at IS NULL
              RETURNING serial""")
          .bind(0, Timestamp.from(now)).bind(1, site).mapTo(String.class).list().stream().sorted().toList();
      int tokens = h.createUpdate("UPDATE bootstrap_token SET used_at = ? WHERE site_code = ? AND used_at IS NULL")
          .bind(0, Timestamp.from(now)).bind(1, site).execute();
      h.execute("SELECT pg_notify(?, ?)", CHANNEL, site);
      Map<String, Object> before = new LinkedHashMap<>();
      before.put("validSerials", serials);
      before.put("unusedTokens", tokens);
      Map<String, Object> after = new LinkedHashMap<>();
      after.put("revokedSerials", serials);
      after.put("revokedAt", now.toString());
      after.put("tokensSpent", tokens);
      audit.append(h, actor, "site_certificates", site, "revoke", site, before, after);
      return serials.size();
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

  /** A token's public name: the first 16 hex digits of its SHA-256 (the stored hash), never the token. */
  static String tokenId(String token) {
    return hash(token).substring(0, 16);
  }

  /** SHA-256 (hex) of a certificate's public key (SubjectPublicKeyInfo). */
  static String keyHash(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
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
