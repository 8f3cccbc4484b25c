package io.tms.agent.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The site's own counters (BOL numbers, authorization and load ids). They advance only in committed
 * transactions, so a number a client was given is never handed out again — not even after a crash.
 *
 * <p>Within a batch of the writer the counters live in memory: a unit takes the next number from
 * here, and the new values are written to {@code site_sequence} once, just before the batch commits
 * (in its transaction), instead of one upsert per number. A unit that rolls back puts back the
 * values it found. Writer thread only; one instance per set of counter names on a site database
 * (two instances drawing the same counter would hand out the same numbers — and fail on the keys
 * those numbers make, loudly).
 */
public final class SequenceStore {
  public static final String BOL = "bol";
  public static final String AUTHORIZATION = "authorization";
  public static final String LOAD = "load";
  public static final String GAUGE = "gauge";
  public static final String RECEIPT = "receipt";

  private final Map<String, Long> values = new HashMap<>();
  private final Set<String> dirty = new HashSet<>();

  public long next(WriteContext ctx, String name) {
    Long current = values.get(name);
    if (current == null) {
      current = ctx.sql().first("SELECT value FROM site_sequence WHERE name = ?", rs -> rs.getLong(1), name)
          .orElse(0L);
    }
    long found = current;
    boolean unwritten = dirty.add(name);
    ctx.onRollback(() -> {
      values.put(name, found);
      if (unwritten) {
        dirty.remove(name);
      }
    });
    long next = found + 1;
    values.put(name, next);
    ctx.beforeCommit(this, this::write);
    return next;
  }

  private void write(PreparedSql sql) {
    for (String name : dirty) {
      sql.update("INSERT INTO site_sequence (name, value) VALUES (?, ?) "
          + "ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, values.get(name));
    }
    dirty.clear();
  }
}
