package io.tms.protocol.v1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The outbox hash chain (DESIGN §3): {@code hash = SHA-256(prevHash, lane, seq, type, occurredAt,
 * body)}, hex encoded. The first event of a lane chains to {@link #GENESIS}. Part of the wire
 * contract: the cloud recomputes it to detect gaps, reordering and tampering.
 */
public final class EventHash {
  public static final String GENESIS = "0".repeat(64);

  // One digest per thread, reset per use: looking a provider up per event costs more than hashing it.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  });

  private EventHash() {}

  public static String next(String prevHash, Lane lane, long seq, String type, String occurredAt, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return next(prevHash, lane, seq, type, occurredAt, b, 0, b.length);
  }

  /**
   * The same hash over a body given as its UTF-8 bytes {@code body[off, off + len)}: the cloud
   * hashes an inlined body straight from the request bytes, without making a string of it.
   */
  public static String next(String prevHash, Lane lane, long seq, String type, String occurredAt, byte[] body, int off,
      int len) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    part(sha, prevHash);
    part(sha, lane.name());
    part(sha, Long.toString(seq));
    part(sha, type);
    part(sha, occurredAt);
    sha.update(body, off, len);
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void part(MessageDigest sha, String part) {
    sha.update(part.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
  }
}
