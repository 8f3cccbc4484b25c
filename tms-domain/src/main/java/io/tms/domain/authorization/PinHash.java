package io.tms.domain.authorization;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A driver PIN stored as PBKDF2-HMAC-SHA256 with a per-card salt, encoded
 * {@code pbkdf2-sha256:<iterations>:<salt b64>:<hash b64>}. The iteration count travels with the
 * hash so the cloud can raise it without a schema change. A 4-digit PIN is weak whatever the hash:
 * the real protection is the lockout after repeated failures; the hash keeps PINs out of plain text.
 */
public final class PinHash {
  private static final String SCHEME = "pbkdf2-sha256";
  private static final int KEY_BITS = 256;

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private PinHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  public static PinHash create(String pin, byte[] salt, int iterations) {
    Objects.requireNonNull(pin, "pin");
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be >= 1 (was " + iterations + ")");
    }
    return new PinHash(iterations, salt.clone(), derive(pin, salt, iterations));
  }

  public static PinHash parse(String encoded) {
    String[] parts = encoded == null ? new String[0] : encoded.split(":");
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      throw new IllegalArgumentException("not a " + SCHEME + " PIN hash");
    }
    Base64.Decoder b64 = Base64.getDecoder();
    return new PinHash(Integer.parseInt(parts[1]), b64.decode(parts[2]), b64.decode(parts[3]));
  }

  public String encoded() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
  }

  /** Constant-time comparison of the derived key. */
  public boolean matches(String pin) {
    if (pin == null) {
      return false;
    }
    return MessageDigest.isEqual(hash, derive(pin, salt, iterations));
  }

  private static byte[] derive(String pin, byte[] salt, int iterations) {
    char[] chars = pin.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, KEY_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    } finally {
      spec.clearPassword();
      java.util.Arrays.fill(chars, '\0');
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PinHash other && encoded().equals(other.encoded());
  }

  @Override
  public int hashCode() {
    return encoded().hashCode();
  }

  @Override
  public String toString() {
    return "PinHash[" + SCHEME + "]";
  }

}
