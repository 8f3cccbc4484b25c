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
 * has asked back after a cut), and no site consumed more than it was granted. Tanks: no site's book
 * of a tank is below zero, and the cloud's book of every tank (its last inventory movement,
 * {@code /v1/sites/{s}/inventory}) is the site's ({@code /v1/tanks}) to the tenth of a gallon.
 */
final class Reconciliation {
  /** One site's books. */
  record SiteBooks(String site, int siteBols, int cloudBols, int missing, int unknown, int duplicates) {
    boolean clean() {
      return missing == 0 && unknown == 0 && duplicates == 0 && siteBols == cloudBols;
    }
  }

  /** One site's tanks: how many, how many below zero, how many whose cloud book differs; the lowest book. */
  record TankBooks(String site, int tanks, int negative, int differing, double lowestBook) {}

  /** The outcome; {@code failure} is null when everything matches. */
  record Result(List<SiteBooks> sites, List<TankBooks> tanks, long allocations, long oversold, long overspent,
      String failure) {}

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
    List<TankBooks> tanks = new ArrayList<>();
    for (SiteRun s : sites) {
      TankBooks t = tanks(s, failures);
      tanks.add(t);
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
    return new Result(books, tanks, allocations, oversold, overspent,
        failures.isEmpty() ? null : String.join("; ", failures));
  }

  /** The site's book of each tank against zero and against the cloud's. */
  private TankBooks tanks(SiteRun s, List<String> failures) throws IOException {
    java.util.Map<String, Double> cloudBook = new java.util.HashMap<>();
    JsonNode inventory = http.get(cloud.resolve("v1/sites/" + s.code + "/inventory"))
        .expect(200, "cloud /v1/sites/" + s.code + "/inventory").json();
    for (JsonNode t : inventory.get("tanks")) {
      if (!t.get("bookNetGallons").isNull()) {
        cloudBook.put(t.get("tankId").asText(), t.get("bookNetGallons").asDouble());
      }
    }
    int count = 0;
    List<String> negative = new ArrayList<>();
    List<String> differing = new ArrayList<>();
    double lowest = Double.POSITIVE_INFINITY;
    for (JsonNode t : http.get(s.base.resolve("v1/tanks")).expect(200, s.code + " /v1/tanks").json()) {
      count++;
      String id = t.get("id").asText();
      double book = t.get("bookNetGallons").asDouble();
      lowest = Math.min(lowest, book);
      if (book < 0) {
        negative.add(id + " " + book);
      }
      Double inCloud = cloudBook.get(id);
      if (inCloud == null || Math.abs(inCloud - book) > 0.05) {
        differing.add(id + " site " + book + " cloud " + inCloud);
      }
    }
    if (!negative.isEmpty()) {
      failures.add(s.code + " tanks below zero: " + String.join(", ", negative));
    }
    if (!differing.isEmpty()) {
      failures.add(s.code + " tank books differ in the cloud: " + String.join(", ", differing.subList(0,
          Math.min(3, differing.size()))) + (differing.size() > 3 ? " and " + (differing.size() - 3) + " more" : ""));
    }
    return new TankBooks(s.code, count, negative.size(), differing.size(), count == 0 ? 0 : lowest);
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
