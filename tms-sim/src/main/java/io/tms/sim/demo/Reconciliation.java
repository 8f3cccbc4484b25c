package io.tms.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/**
 * The end of a demo: every BOL a site issued (the agent's {@code /v1/bols}) is in the cloud
 * ({@code /v1/bols?site=}) once — missing 0, duplicates 0, none the site does not have — and the
 * cloud's reserve ledger never let an allocation be oversold: for each allocation the sites lifted
 * at most its quantity and {@code Σ (granted − released) ≤ quantity} (beyond it only what the cloud
 * has asked back after a cut), and no site consumed more than it was granted.
 */
final class Reconciliation {
  /** One site's books. */
  record SiteBooks(String site, int siteBols, int cloudBols, int missing, int unknown, int duplicates) {
    boolean clean() {
      return missing == 0 && unknown == 0 && duplicates == 0 && siteBols == cloudBols;
    }
  }

  /** The outcome; {@code failure} is null when everything matches. */
  record Result(List<SiteBooks> sites, long allocations, long oversold, long overspent, String failure) {}

  private final DemoHttp http;
  private final URI cloud;
  private final Jdbi cloudDb;

  Reconciliation(DemoHttp http, URI cloud, Jdbi cloudDb) {
    this.http = http;
    this.cloud = cloud;
    this.cloudDb = cloudDb;
  }

  /** Compares the books; {@code notes} are reasons found earlier (a site that did not drain). */
  Result run(List<SiteRun> sites, List<String> notes) throws IOException {
    List<String> failures = new ArrayList<>(notes);
    List<SiteBooks> books = new ArrayList<>();
    for (SiteRun s : sites) {
      Set<String> atSite = siteBols(s);
      List<String> inCloud = cloudBols(s.code);
      Set<String> distinct = new HashSet<>(inCloud);
      Set<String> missing = new TreeSet<>(atSite);
      missing.removeAll(distinct);
      Set<String> unknown = new TreeSet<>(distinct);
      unknown.removeAll(atSite);
      SiteBooks b = new SiteBooks(s.code, atSite.size(), inCloud.size(), missing.size(), unknown.size(),
          inCloud.size() - distinct.size());
      books.add(b);
      if (!b.clean()) {
        failures.add(s.code + " missing " + b.missing() + " duplicates " + b.duplicates() + " unknown " + b.unknown()
            + (missing.isEmpty() ? "" : " (first missing " + missing.iterator().next() + ")"));
      }
    }
    long allocations = cloudDb.withHandle(h -> h.createQuery("SELECT count(*) FROM allocation").mapTo(Long.class).one());
    // lifted more than the quantity, or more out in reserves than the quantity beyond what the
    // cloud has asked back (an allocation cut below what is out is over-committed until the sites
    // release; DESIGN §4)
    long oversold = cloudDb.withHandle(h -> h.createQuery("""
        SELECT count(*) FROM allocation a
          JOIN LATERAL (SELECT coalesce(sum(r.consumed_total), 0) AS lifted,
                               coalesce(sum(r.granted_total - r.released_total), 0) AS out,
                               coalesce(sum(greatest(r.release_requested_total - r.released_total, 0)), 0) AS asked
                          FROM reserve_account r WHERE r.allocation_id = a.id) t ON true
         WHERE t.lifted > a.quantity_gal OR t.out - t.asked > a.quantity_gal""").mapTo(Long.class).one());
    long overspent = cloudDb.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM reserve_account WHERE consumed_total > granted_total - released_total")
        .mapTo(Long.class).one());
    if (oversold > 0) {
      failures.add(oversold + " allocation(s) oversold");
    }
    if (overspent > 0) {
      failures.add(overspent + " site reserve(s) overspent");
    }
    return new Result(books, allocations, oversold, overspent, failures.isEmpty() ? null : String.join("; ", failures));
  }

  /** Every BOL number of the site, read from its agent page by page. */
  private Set<String> siteBols(SiteRun s) throws IOException {
    Set<String> out = new TreeSet<>();
    long after = 0;
    while (true) {
      DemoHttp.Reply r = http.get(s.base.resolve("v1/bols?afterSeq=" + after + "&limit=500")).expect(200, s.code + " /v1/bols");
      JsonNode page = r.json();
      long last = after;
      for (JsonNode bol : page) {
        String number = bol.get("bolNumber").asText();
        out.add(number);
        last = Math.max(last, Long.parseLong(number.substring(number.lastIndexOf('-') + 1)));
      }
      if (page.size() < 500 || last == after) {
        return out;
      }
      after = last;
    }
  }

  /** Every BOL number the cloud holds for the site, duplicates kept. */
  private List<String> cloudBols(String site) throws IOException {
    List<String> out = new ArrayList<>();
    String next = null;
    do {
      String q = "v1/bols?site=" + site + "&limit=500"
          + (next == null ? "" : "&after=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      JsonNode page = http.get(cloud.resolve(q)).expect(200, "cloud /v1/bols").json();
      page.get("items").forEach(b -> out.add(b.get("number").asText()));
      next = page.get("next").isNull() ? null : page.get("next").asText();
    } while (next != null);
    return out;
  }
}
