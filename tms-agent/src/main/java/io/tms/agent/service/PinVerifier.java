package io.tms.agent.service;

import io.tms.domain.authorization.PinCheck;
import io.tms.domain.authorization.PinHash;
import io.tms.domain.masterdata.Driver;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PIN checks with a cache of recent successes. Deriving a PBKDF2 hash is slow on purpose; doing it
 * for every authorization — and on the single writer thread — would cap the site. A success is
 * remembered as an HMAC of (card, PIN) under a key that exists only in this process's memory, bound
 * to the PIN hash it was checked against: a repeat costs one HMAC, a changed PIN in master data
 * invalidates it, and nothing a disk or a log could leak lets anyone recover a PIN. Failures are
 * never cached. Thread-safe.
 */
public final class PinVerifier implements PinCheck {
  private static final int MAX_ENTRIES = 10_000;

  // Keyed once; each check clones it (a provider lookup and a key schedule per check cost more than
  // the HMAC itself, and requests run on fresh virtual threads, so a thread-local would not be reused).
  private final Mac keyed;
  private final Map<String, Entry> verified = new ConcurrentHashMap<>();

  private record Entry(PinHash pinHash, byte[] mac) {}

  public PinVerifier() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    try {
      this.keyed = Mac.getInstance("HmacSHA256");
      keyed.init(new SecretKeySpec(k, "HmacSHA256"));
      keyed.clone(); // fail here, not per check, if the provider's HMAC cannot be cloned
    } catch (GeneralSecurityException | CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public boolean matches(Driver driver, String pin) {
    if (pin == null) {
      return false;
    }
    PinHash hash = driver.pinHash();
    byte[] mac = mac(driver.cardNumber(), pin);
    Entry known = verified.get(driver.cardNumber());
    // the same master data's hash is the same object; after a refresh, compare the encodings
    if (known != null && (known.pinHash() == hash || known.pinHash().equals(hash))
        && MessageDigest.isEqual(known.mac(), mac)) {
      return true;
    }
    boolean ok = driver.pinHash().matches(pin);
    if (ok) {
      if (verified.size() >= MAX_ENTRIES) {
        verified.clear();
      }
      verified.put(driver.cardNumber(), new Entry(hash, mac));
    }
    return ok;
  }

  private byte[] mac(String card, String pin) {
    try {
      Mac m = (Mac) keyed.clone();
      m.update(card.getBytes(StandardCharsets.UTF_8));
      m.update((byte) 0);
      return m.doFinal(pin.getBytes(StandardCharsets.UTF_8));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
    }
  }
}
