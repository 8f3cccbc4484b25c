package io.tms.api.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.protocol.v1.sync.MasterRecordV1;
import org.jdbi.v3.core.Handle;

/**
 * Appends master-data changes to the change feed, inside the caller's transaction (DESIGN §3).
 *
 * <p>The rev comes from {@code feed_head} by an {@code UPDATE … RETURNING}: the row lock it takes
 * is held until the transaction ends, so concurrent writers get revs one after another and commit
 * in rev order — a feed reader can never see rev N+1 before rev N. The notification wakes long
 * polls in every replica; PostgreSQL delivers it only when (and if) the transaction commits.
 */
public final class ChangeLog {
  /** The LISTEN/NOTIFY channel; the payload is the new rev. */
  public static final String CHANNEL = "tms_feed";

  private final ObjectMapper json;

  public ChangeLog(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Appends one record; {@code siteCode} scopes it to one site ({@code null}: every site). Returns
   * its rev. Must run inside a transaction.
   */
  public long append(Handle h, String siteCode, MasterRecordV1 record) {
    long rev = h.createQuery("UPDATE feed_head SET rev = rev + 1 WHERE id = 1 RETURNING rev").mapTo(Long.class).one();
    h.createUpdate("""
            INSERT INTO change_log (rev, site_code, entity, key, record)
            VALUES (:rev, :site, :entity, :key, CAST(:record AS jsonb))""")
        .bind("rev", rev)
        .bind("site", siteCode)
        .bind("entity", entity(record))
        .bind("key", record.key())
        .bind("record", write(record))
        .execute();
    h.execute("NOTIFY " + CHANNEL + ", '" + rev + "'");
    return rev;
  }

  /** The feed's entity name of a record (its JSON type id). */
  public static String entity(MasterRecordV1 record) {
    var names = MasterRecordV1.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value();
    for (var t : names) {
      if (t.value() == record.getClass()) {
        return t.name();
      }
    }
    throw new IllegalArgumentException("not a feed record: " + record.getClass());
  }

  private String write(MasterRecordV1 record) {
    try {
      // serialize as the interface so the "entity" type id is included
      return json.writerFor(MasterRecordV1.class).writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
