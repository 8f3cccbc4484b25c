package io.tms.api.feed;

import io.tms.api.http.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the change feed for one site (DESIGN §3): the changes after a rev, in rev order, or a
 * snapshot of every record the site should hold when it is new or too far behind; waits for a
 * notification when there is nothing yet (a long poll).
 *
 * <p>Why reading {@code rev > after} is safe: {@link ChangeLog} draws revs under the
 * {@code feed_head} row lock, held until commit, so revs commit in order and a committed head H
 * means every rev up to H is committed. The reader reads the head first and then the changes up to
 * it; nothing at or below the head can appear later, so an agent that moves to the answer's rev
 * never skips a change. Thread-safe; each call runs on the caller's (virtual) thread.
 */
public final class ChangeFeed {
  /** One change as stored: its rev and the record's JSON (a {@code MasterRecordV1}). */
  public record Row(long rev, String recordJson) {}

  /** An answer; serialized as a {@code ChangesV1} by {@link #toJson}. */
  public record Answer(long rev, boolean snapshot, boolean more, List<Row> changes) {}

  private final Jdbi jdbi;
  private final FeedNotifier notifier;
  private final FeedSettings settings;

  public ChangeFeed(Jdbi jdbi, FeedNotifier notifier, FeedSettings settings) {
    this.jdbi = jdbi;
    this.notifier = notifier;
    this.settings = settings;
  }

  public FeedSettings settings() {
    return settings;
  }

  /**
   * The changes for {@code site} after {@code after}, at most {@code limit}; when there are none,
   * waits up to {@code waitMillis} (capped by the settings) for one. An unknown or inactive site is
   * a 404.
   */
  public Answer changes(String site, long after, long waitMillis, int limit) throws InterruptedException {
    requireActiveSite(site);
    long deadline = System.nanoTime() + Math.min(waitMillis, settings.maxWaitMillis()) * 1_000_000;
    while (true) {
      var ticket = notifier.ticket();
      Answer answer = read(site, after, limit);
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (answer.snapshot() || !answer.changes().isEmpty() || left <= 0) {
        return answer;
      }
      boolean woken = notifier.await(ticket, left);
      if (notifier.closed()) {
        throw new ApiException(503, "UNAVAILABLE", null, "this replica is shutting down; ask again");
      }
      if (!woken && System.nanoTime() >= deadline) {
        return read(site, after, limit);
      }
    }
  }

  /** One read without waiting. */
  public Answer read(String site, long after, int limit) {
    return jdbi.withHandle(h -> {
      long head = h.createQuery("SELECT rev FROM feed_head WHERE id = 1").mapTo(Long.class).one();
      if (needsSnapshot(h, after, head)) {
        return snapshot(h, site, head);
      }
      List<Row> rows = h.createQuery("""
              SELECT rev, record::text FROM change_log
              WHERE rev > :after AND rev <= :head AND (site_code IS NULL OR site_code = :site)
              ORDER BY rev LIMIT :limit""")
          .bind("after", after).bind("head", head).bind("site", site).bind("limit", limit + 1)
          .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2)))
          .list();
      if (rows.size() > limit) {
        List<Row> cut = rows.subList(0, limit);
        return new Answer(cut.getLast().rev(), false, true, List.copyOf(cut));
      }
      return new Answer(head, false, false, rows);
    });
  }

  private boolean needsSnapshot(Handle h, long after, long head) {
    if (head == 0) {
      return false; // nothing was ever written: there is nothing to snapshot, just wait
    }
    if (after == 0 || after > head || head - after > settings.maxLag()) {
      return true;
    }
    // changes at or below the oldest retained rev may have been pruned
    Long oldest = h.createQuery("SELECT min(rev) FROM change_log").mapTo(Long.class).one();
    return oldest != null && after < oldest - 1;
  }

  /** The latest record of every (entity, key) the site sees, as of {@code head}, in rev order. */
  private Answer snapshot(Handle h, String site, long head) {
    List<Row> rows = new ArrayList<>(h.createQuery("""
            SELECT DISTINCT ON (entity, key) rev, record::text FROM change_log
            WHERE rev <= :head AND (site_code IS NULL OR site_code = :site)
            ORDER BY entity, key, rev DESC""")
        .bind("head", head).bind("site", site)
        .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2)))
        .list());
    rows.sort(Comparator.comparingLong(Row::rev));
    return new Answer(head, true, false, rows);
  }

  private void requireActiveSite(String site) {
    boolean active = jdbi.withHandle(h -> h.createQuery("SELECT active FROM site WHERE code = :code")
        .bind("code", site).mapTo(Boolean.class).findOne().orElse(false));
    if (!active) {
      throw new ApiException(404, "NOT_FOUND", "site", "no active site " + site);
    }
  }

  /** The answer as a {@code ChangesV1} document; records go out as stored, without re-parsing. */
  public static String toJson(Answer a) {
    int size = 64;
    for (Row r : a.changes()) {
      size += r.recordJson().length() + 32;
    }
    StringBuilder sb = new StringBuilder(size)
        .append("{\"rev\":").append(a.rev())
        .append(",\"snapshot\":").append(a.snapshot())
        .append(",\"more\":").append(a.more())
        .append(",\"changes\":[");
    for (int i = 0; i < a.changes().size(); i++) {
      Row r = a.changes().get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"rev\":").append(r.rev()).append(",\"record\":").append(r.recordJson()).append('}');
    }
    return sb.append("]}").toString();
  }
}
