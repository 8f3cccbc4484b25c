package io.tms.agent.store;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The edge-born state that only the writer changes, kept in memory between commits so that the load
 * cycle reads it without SQL: reserves, card lockout states, tank books, the loads in progress and
 * the approvals waiting for their load. SQLite stays the record: the stores write every change through,
 * in the same unit of work, and put it here only with its undo ({@link WriteContext#onRollback}), so
 * after a unit that does not commit this memory equals the database again. What is not here is read
 * from the database on first use (and remembered, also with an undo).
 *
 * <p>The way around it is the unit's Jdbi handle: the change feed, the reserve ledger, the seed, the
 * audit log and tests write through it, so a unit that takes {@link WriteContext#handle()} drops
 * everything here, at once and again if it rolls back, and the next unit reads afresh.
 *
 * <p>Writer thread only: one per {@link WriteQueue}.
 */
final class WriterMemory {
  private static final int MAX_APPROVALS = 4_096;

  /** Reserves by allocation id; an empty value: the allocation has no reserve at this site. */
  final Map<String, java.util.Optional<io.tms.domain.allocation.Reserve>> reserves = new HashMap<>();
  /** Card states by card number, as read or written (a card never written is FRESH). */
  final Map<String, io.tms.domain.authorization.CardState> cards = new HashMap<>();
  /** Tank books by tank id. */
  final Map<String, InventoryStore.Book> books = new HashMap<>();
  /** Every load in progress by id, or null until read. */
  Map<String, LoadingStore.ActiveLoad> activeLoads;
  /**
   * Approved authorizations without a load yet, as decided, so that a start needs no read. Bounded:
   * one that ages out (or was never here) is read from the database, as before.
   */
  final Map<String, LoadingStore.Approval> approvals = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, LoadingStore.Approval> eldest) {
      return size() > MAX_APPROVALS;
    }
  };

  /** Puts {@code value} under {@code key}, undone (the earlier value back) if the unit does not commit. */
  <K, V> void put(WriteContext ctx, Map<K, V> map, K key, V value) {
    boolean had = map.containsKey(key);
    V before = map.put(key, value);
    ctx.onRollback(() -> restore(map, key, had, before));
  }

  /** Removes {@code key}, undone if the unit does not commit; returns what was there. */
  <K, V> V remove(WriteContext ctx, Map<K, V> map, K key) {
    boolean had = map.containsKey(key);
    V before = map.remove(key);
    if (had) {
      ctx.onRollback(() -> restore(map, key, true, before));
    }
    return before;
  }

  private static <K, V> void restore(Map<K, V> map, K key, boolean had, V before) {
    if (had) {
      map.put(key, before);
    } else {
      map.remove(key);
    }
  }

  /**
   * The idempotency keys stored (a filter). Not dropped by {@link #forget()}: keys enter the table
   * only through {@link IdempotencyStore#remember}, and what else touches the table only deletes.
   */
  final IdempotencyKeys idempotencyKeys = new IdempotencyKeys();

  /** Drops everything (but the idempotency keys): the next use reads the database. */
  void forget() {
    reserves.clear();
    cards.clear();
    books.clear();
    activeLoads = null;
    approvals.clear();
  }
}
