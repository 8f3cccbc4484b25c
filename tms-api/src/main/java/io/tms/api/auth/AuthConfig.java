package io.tms.api.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may log in, validated at start-up with errors that name the variable.
 *
 * @param adminToken {@code TMS_ADMIN_TOKEN}: the bootstrap admin's API token (≥ 32 characters),
 *     stored as its SHA-256 on start; {@code null}: on a database without any admin, a token is
 *     generated and printed once
 * @param tokenTtl {@code TMS_TOKEN_TTL}: default lifetime of a new API token (90d)
 * @param oidc {@code TMS_OIDC_*}: JWTs from an identity provider; {@code null}: not accepted
 */
public record AuthConfig(String adminToken, Duration tokenTtl, Oidc oidc) {
  public static final Duration DEFAULT_TTL = Duration.ofDays(90);
  public static final Duration MAX_TTL = Duration.ofDays(3650);

  /**
   * An OIDC issuer whose JWTs the cloud accepts: signature by a key of {@code jwksUrl} (RS/ES/PS),
   * {@code iss} equal to {@code issuer}, {@code aud} containing {@code audience}, not expired; roles
   * from the claim {@code roleClaim} (a string or an array: {@code admin}, {@code fleet-engineer}…),
   * a site operator's sites from {@code siteClaim}.
   */
  public record Oidc(String issuer, URI jwksUrl, String audience, String roleClaim, String siteClaim) {}

  public AuthConfig {
    if (adminToken != null && adminToken.strip().length() < 32) {
      throw new IllegalArgumentException("TMS_ADMIN_TOKEN must be at least 32 characters (was "
          + adminToken.strip().length() + ")");
    }
    if (tokenTtl.isNegative() || tokenTtl.isZero() || tokenTtl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("TMS_TOKEN_TTL must be > 0 and <= 3650d (was " + tokenTtl + ")");
    }
  }

  /** No bootstrap token, default lifetime, no OIDC. */
  public static AuthConfig defaults() {
    return new AuthConfig(null, DEFAULT_TTL, null);
  }

  public AuthConfig withAdminToken(String token) {
    return new AuthConfig(token, tokenTtl, oidc);
  }

  public AuthConfig withOidc(Oidc o) {
    return new AuthConfig(adminToken, tokenTtl, o);
  }

  public static AuthConfig fromEnvironment(Map<String, String> env) {
    String token = blankToNull(env.get("TMS_ADMIN_TOKEN"));
    Duration ttl = duration("TMS_TOKEN_TTL", env.get("TMS_TOKEN_TTL"), DEFAULT_TTL);
    String issuer = blankToNull(env.get("TMS_OIDC_ISSUER"));
    Oidc oidc = null;
    if (issuer != null) {
      String jwks = blankToNull(env.get("TMS_OIDC_JWKS_URL"));
      String audience = blankToNull(env.get("TMS_OIDC_AUDIENCE"));
      if (jwks == null) {
        throw new IllegalArgumentException("TMS_OIDC_JWKS_URL must be set when TMS_OIDC_ISSUER is");
      }
      if (audience == null) {
        throw new IllegalArgumentException("TMS_OIDC_AUDIENCE must be set when TMS_OIDC_ISSUER is");
      }
      URI jwksUrl;
      try {
        jwksUrl = URI.create(jwks);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("TMS_OIDC_JWKS_URL must be a URL (was " + jwks + ")");
      }
      if (!"https".equals(jwksUrl.getScheme()) && !"http".equals(jwksUrl.getScheme())) {
        throw new IllegalArgumentException("TMS_OIDC_JWKS_URL must be an http(s) URL (was " + jwks + ")");
      }
      oidc = new Oidc(issuer, jwksUrl, audience, env.getOrDefault("TMS_OIDC_ROLE_CLAIM", "roles"),
          env.getOrDefault("TMS_OIDC_SITE_CLAIM", "tms_sites"));
    }
    return new AuthConfig(token, ttl, oidc);
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

  /** {@code 30d}, {@code 12h}, {@code 15m}, {@code 90s}. */
  public static Duration duration(String name, String v, Duration dflt) {
    if (v == null || v.isBlank()) {
      return dflt;
    }
    Matcher m = DURATION.matcher(v.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(name + " must be a duration like 90d, 12h, 15m (was " + v + ")");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
