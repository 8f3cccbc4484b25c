package io.tms.agent.store;

/**
 * The site's own counters (BOL numbers, authorization and load ids). They advance only in committed
 * transactions, so a number a client was given is never handed out again — not even after a crash.
 */
public final class SequenceStore {
  public static final String BOL = "bol";
  public static final String AUTHORIZATION = "authorization";
  public static final String LOAD = "load";
  public static final String GAUGE = "gauge";

  public long next(PreparedSql sql, String name) {
    return sql.longValue("INSERT INTO site_sequence (name, value) VALUES (?, 1) "
        + "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value", name);
  }
}
