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
    MessageDigest sha = SHA256.get(); // reset by its last digest(), or after a failure below
    try {
      part(sha, prevHash);
      part(sha, lane.name());
      part(sha, Long.toString(seq));
      part(sha, type);
      part(sha, occurredAt);
      sha.update(body, off, len);
      return HexFormat.of().formatHex(sha.digest());
    } catch (RuntimeException e) {
      sha.reset();
      throw e;
    }
  }

  /**
   * Whether {@code hash} is exactly {@link #next(String, Lane, long, String, String, byte[], int, int)}
   * of the rest (64 lower-case hex digits), without making the hex string: the cloud checks every
   * event it receives this way.
   */
  public static boolean matches(String hash, String prevHash, Lane lane, long seq, String type, String occurredAt,
      byte[] body, int off, int len) {
    if (hash == null || hash.length() != 64) {
      return false;
    }
    // no reset() first: digest() leaves the digest reset (a second reset per event was ~1.5 % of the
    // cloud's ingest CPU), and a failure half-way resets it below
    MessageDigest sha = SHA256.get();
    Scratch s = SCRATCH.get();
    try {
      s.n = 0;
      s.part(prevHash);
      s.part(lane.name());
      s.part(seq);
      s.part(type);
      s.part(occurredAt);
      sha.update(s.buf, 0, s.n);
      sha.update(body, off, len);
      sha.digest(s.digest, 0, 32);
    } catch (java.security.DigestException e) {
      sha.reset();
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      sha.reset();
      throw e;
    }
    for (int i = 0; i < 32; i++) {
      int b = s.digest[i];
      if (hash.charAt(2 * i) != HEX[(b >> 4) & 0xf] || hash.charAt(2 * i + 1) != HEX[b & 0xf]) {
        return false;
      }
    }
    return true;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** The hashed head of an event (its parts, each ended by a newline), built in one reused array. */
  private static final class Scratch {
    byte[] buf = new byte[256];
    final byte[] digest = new byte[32];
    int n;

    void part(String v) {
      int len = v.length();
      ensure(len + 1);
      for (int i = 0; i < len; i++) {
        char c = v.charAt(i);
        if (c >= 0x80) { // not ASCII: the UTF-8 bytes, as next() hashes them
          byte[] b = v.getBytes(StandardCharsets.UTF_8);
          n -= i;
          ensure(b.length + 1);
          System.arraycopy(b, 0, buf, n, b.length);
          n += b.length;
          buf[n++] = '\n';
          return;
        }
        buf[n++] = (byte) c;
      }
      buf[n++] = '\n';
    }

    /** The decimal digits of {@code v}, as {@code Long.toString} writes them, without the string. */
    void part(long v) {
      if (v < 0) {
        part(Long.toString(v)); // never a site's seq; kept exact all the same
        return;
      }
      ensure(21);
      int digits = 1;
      for (long x = v / 10; x != 0; x /= 10) {
        digits++;
      }
      for (int i = n + digits - 1; i >= n; i--) {
        buf[i] = (byte) ('0' + v % 10);
        v /= 10;
      }
      n += digits;
      buf[n++] = '\n';
    }

    private void ensure(int more) {
      if (n + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
      }
    }
  }

  private static void part(MessageDigest sha, String part) {
    sha.update(part.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
  }
}
