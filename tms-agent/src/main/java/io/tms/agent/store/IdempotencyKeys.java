package io.tms.agent.store;

/**
 * Which {@code Idempotency-Key}s the site may have stored: a Bloom filter over the keys of the
 * {@code idempotency} table, so that a request with a new key — nearly every request — is known to
 * be new without a read. "Maybe" sends the lookup to the table, which stays the record.
 *
 * <p>It may say "maybe" for a key that is not there (about 1 % at 100,000 keys; the table is
 * then read, as before), never "no" for one that is: every key enters the table through
 * {@link IdempotencyStore#remember}, which adds it here first (a unit that rolls back leaves its key
 * behind, which only costs a read). The table is read once, on first use, and again on the first use
 * after a purge (Housekeeping, daily retention), so the filter sheds what was deleted; a site that
 * stores far more keys than it holds bits between two purges only reads more often, as before.
 * Writer thread only.
 */
final class IdempotencyKeys {
  private static final int BITS = 1 << 21; // 256 KiB
  private static final int HASHES = 3;

  private final long[] bits = new long[BITS / 64];
  private boolean complete;

  /** False only if {@code key} is certainly not in the table (as the open transaction sees it). */
  boolean mayContain(PreparedSql sql, String key) {
    if (!complete) {
      rebuild(sql);
    }
    int h1 = key.hashCode();
    int h2 = mix(h1);
    for (int i = 0; i < HASHES; i++) {
      int bit = (h1 + i * h2) & (BITS - 1);
      if ((bits[bit >>> 6] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Adds a key about to be stored (before the insert: a failure then costs a read, never a miss). */
  void add(String key) {
    int h1 = key.hashCode();
    int h2 = mix(h1);
    for (int i = 0; i < HASHES; i++) {
      int bit = (h1 + i * h2) & (BITS - 1);
      bits[bit >>> 6] |= 1L << bit;
    }
  }

  /** Keys were deleted: read the table again on next use, so the filter sheds them. */
  void stale() {
    complete = false;
  }

  private void rebuild(PreparedSql sql) {
    java.util.Arrays.fill(bits, 0);
    sql.forEach("SELECT key FROM idempotency", rs -> add(rs.getString(1)));
    complete = true;
  }

  /** MurmurHash3's finalizer, odd: the second hash of double hashing. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h | 1;
  }
}
