package io.tms.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies OIDC access/ID tokens (JWTs) of one configured issuer with nimbus-jose-jwt: signature by
 * a key from the issuer's JWKS (fetched on first use, cached, refetched for an unknown key id;
 * asymmetric algorithms only, so an attacker cannot pick {@code none} or HMAC with the public key),
 * exact {@code iss}, {@code aud} containing the configured audience, {@code exp} in the future
 * (60 s skew) and a {@code sub}. Roles come from the role claim, a site operator's sites from the
 * site claim. Thread-safe.
 */
final class OidcVerifier {
  private static final Logger log = LoggerFactory.getLogger(OidcVerifier.class);
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
      JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

  private final AuthConfig.Oidc config;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  OidcVerifier(AuthConfig.Oidc config) {
    this.config = config;
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.<SecurityContext>create(config.jwksUrl().toURL()).retrying(true).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("TMS_OIDC_JWKS_URL must be a URL (was " + config.jwksUrl() + ")", e);
    }
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(config.audience(),
        new JWTClaimsSet.Builder().issuer(config.issuer()).build(), Set.of("sub", "exp", "iss", "aud")));
  }

  /** The principal of a valid JWT; empty when it is not one (the caller answers 401). */
  Optional<Principal> verify(String jwt) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, null);
    } catch (ParseException | BadJOSEException e) {
      log.debug("OIDC token refused: {}", e.getMessage());
      return Optional.empty();
    } catch (JOSEException e) {
      log.warn("OIDC token could not be checked (JWKS {}): {}", config.jwksUrl(), e.getMessage());
      return Optional.empty();
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String r : strings(claims.getClaim(config.roleClaim()))) {
      Role role = Role.parse(r);
      if (role != null) {
        roles.add(role);
      }
    }
    Set<String> sites = new HashSet<>(strings(claims.getClaim(config.siteClaim())));
    return Optional.of(new Principal("oidc:" + claims.getSubject(), roles, sites, "oidc"));
  }

  /** A claim as strings: an array of strings, or one string of space- or comma-separated values. */
  private static List<String> strings(Object claim) {
    if (claim instanceof Collection<?> c) {
      return c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    if (claim instanceof String s) {
      return List.of(s.split("[\\s,]+")).stream().filter(v -> !v.isEmpty()).toList();
    }
    return List.of();
  }
}
