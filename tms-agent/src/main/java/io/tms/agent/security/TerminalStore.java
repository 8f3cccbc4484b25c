package io.tms.agent.security;

import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The {@code terminal} table: credentials as the feed or a seed wrote them (SHA-256 of the secret only). */
public final class TerminalStore {

  /** Inserts or replaces a terminal; a secret hash taken by another terminal id is refused by the unique key. */
  public void upsert(Handle h, String id, String name, String kind, String secretSha256, boolean active) {
    h.createUpdate("INSERT INTO terminal (id, name, kind, secret_sha256, active) VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
            + "secret_sha256 = excluded.secret_sha256, active = excluded.active")
        .bind(0, id).bind(1, name).bind(2, kind).bind(3, secretSha256).bind(4, active ? 1 : 0).execute();
  }

  /** A snapshot of the feed names every terminal that is still valid: the rest stop working. */
  public void deactivateAll(Handle h) {
    h.execute("UPDATE terminal SET active = 0");
  }

  /** Active terminals by the SHA-256 (hex) of their secret. */
  public Map<String, Terminal> activeBySecretHash(Handle h) {
    Map<String, Terminal> out = new HashMap<>();
    h.createQuery("SELECT id, name, kind, secret_sha256 FROM terminal WHERE active = 1").map((rs, ctx) ->
        out.put(rs.getString("secret_sha256"), new Terminal(rs.getString("id"), rs.getString("name"),
            rs.getString("kind")))).list();
    return out;
  }
}
