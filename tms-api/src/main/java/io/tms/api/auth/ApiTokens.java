package io.tms.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API token secrets: {@code tms_} + 256 random bits (base64url). Only their SHA-256 is stored; a
 * secret that random needs no slow hash, and looking it up by its hash leaves nothing to compare
 * in constant time. Thread-safe.
 */
public final class ApiTokens {
  public static final String PREFIX = "tms_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {}

  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A short public id for listing and revoking a token ({@code t} + 12 hex digits). */
  public static String newId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "t" + HexFormat.of().formatHex(b);
  }

  public static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a bearer value looks like one of ours (so it is not tried as a JWT). */
  public static boolean looksLikeToken(String v) {
    return v.startsWith(PREFIX);
  }
}
