package io.tms.agent.security;

import io.tms.agent.store.WriteContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks a terminal's secret on every request without touching SQLite: the active terminals live
 * in memory by the SHA-256 of their secret, replaced after each commit that changed them (a feed
 * answer, a seed). Secrets are random and at least 256 bits, so one SHA-256 suffices (no slow KDF on
 * the request path) and nothing that could log in is kept. Thread-safe: readers see an immutable map.
 */
public final class TerminalCredentials {
  // Cloned per call: requests run on fresh virtual threads, so a thread-local digest was a provider
  // lookup per request; a clone is a copy of a few arrays.
  private static final MessageDigest SHA256;

  static {
    try {
      SHA256 = MessageDigest.getInstance("SHA-256");
      SHA256.clone();
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
  /** Longer presented secrets are refused before hashing. */
  public static final int MAX_SECRET_LENGTH = 256;

  private final TerminalStore store;
  private final AtomicReference<Map<String, Terminal>> active = new AtomicReference<>(Map.of());

  public TerminalCredentials(TerminalStore store) {
    this.store = store;
  }

  /** The terminal whose secret this is, if it is active. */
  public Optional<Terminal> verify(String secret) {
    if (secret == null || secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH) {
      return Optional.empty();
    }
    return Optional.ofNullable(active.get().get(sha256Hex(secret)));
  }

  /** Reloads the terminals inside a unit of work that changed them; served once it commits. */
  public void refresh(WriteContext ctx) {
    Map<String, Terminal> fresh = Map.copyOf(store.activeBySecretHash(ctx.handle()));
    ctx.afterCommit(() -> active.set(fresh));
  }

  /** How many terminals may call the API now. */
  public int activeCount() {
    return active.get().size();
  }

  /** Hex SHA-256 of a secret's UTF-8 bytes: what the cloud sends down and the site stores. */
  public static String sha256Hex(String secret) {
    try {
      MessageDigest sha = (MessageDigest) SHA256.clone();
      return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 cannot be cloned", e);
    }
  }
}
