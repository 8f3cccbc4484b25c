package io.tms.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.domain.masterdata.Tank;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The product in the demo's tanks, as a terminal's scheduler keeps it: each tank opens with 60–80 %
 * of its capacity (its opening balance, {@code POST /v1/tanks/{id}/receipts} with source
 * {@code OPENING}, before the first truck), and a tank that falls below a third of its capacity is
 * refilled to 85 % by a pipeline batch or a barge (source {@code PIPELINE} or {@code BARGE}). The
 * site records each as an inventory movement that goes up its outbox like a load's draw, so the
 * cloud's book follows; a receipt during an outage is recorded at the site and sent when the link
 * returns. With tanks of 400,000 gal and more and trucks of under 10,000, a load refused
 * {@code TANK_INSUFFICIENT} should not happen. Each site's tanks are read at most once a second;
 * a site that does not answer (restarting) is tried again at the next tick, and a receipt keeps
 * its {@code Idempotency-Key} until it is answered, so it is never received twice. Used by the
 * demo's control thread only.
 */
final class TankReceipts {
  static final double OPEN_MIN = 0.60;
  static final double OPEN_MAX = 0.80;
  static final double REORDER_BELOW = 1.0 / 3.0;
  static final double FILL_TO = 0.85;
  private static final long CHECK_EVERY = Duration.ofSeconds(1).toNanos();

  private final DemoHttp http;
  private final long seed;
  private final Random random;
  private final Map<String, Integer> receipts = new HashMap<>();
  private final Map<String, Integer> receiptsPerSite = new LinkedHashMap<>();
  private final Map<String, Double> lowestFill = new HashMap<>();
  private final Map<String, Long> nextCheck = new HashMap<>();

  TankReceipts(DemoHttp http, long seed) {
    this.http = http;
    this.seed = seed;
    this.random = new Random(seed * 7919 + 17);
  }

  /** Books each tank's opening balance; returns one line per site. */
  List<String> open(List<SiteRun> sites) throws IOException {
    List<String> lines = new ArrayList<>();
    for (SiteRun s : sites) {
      double total = 0;
      for (Tank t : s.seed.tanks()) {
        // the same amount for the same tank on every try, so a retried opening is the same request
        double fill = OPEN_MIN + (OPEN_MAX - OPEN_MIN) * new Random(seed * 31 + t.id().hashCode()).nextDouble();
        double net = Math.round(t.capacityGallons() * fill);
        Map<String, Object> body = Map.of("source", "OPENING", "netGallons", net, "ticket", "opening stock");
        DemoHttp.Reply r = http.post(s.base.resolve("v1/tanks/" + t.id() + "/receipts"), body, "opening-" + t.id());
        if (r.status() != 201 && r.status() != 409) { // 409: it already has a book (the same data again)
          throw new IOException(s.code + " refused the opening balance of " + t.id() + ": " + r.status() + " " + r.body());
        }
        total += net;
      }
      receiptsPerSite.put(s.code, 0);
      lines.add(String.format("site %s: %d tanks opened with 60-80 %% of their capacity (%,.0f net gal in all)",
          s.code, s.seed.tanks().size(), total));
    }
    return lines;
  }

  /** Refills the tanks that ran low; returns what happened, for the event log. */
  List<String> tick(List<SiteRun> sites, long nowNanos) {
    List<String> events = new ArrayList<>();
    for (SiteRun s : sites) {
      if (nowNanos < nextCheck.getOrDefault(s.code, Long.MIN_VALUE)) {
        continue;
      }
      nextCheck.put(s.code, nowNanos + CHECK_EVERY);
      try {
        DemoHttp.Reply r = http.get(s.base.resolve("v1/tanks"));
        if (r.status() != 200) {
          continue;
        }
        for (JsonNode t : r.json()) {
          double capacity = t.get("capacityGallons").asDouble();
          double book = t.get("bookNetGallons").asDouble();
          lowestFill.merge(s.code, book / capacity, Math::min);
          if (book < capacity * REORDER_BELOW) {
            String event = receive(s, t.get("id").asText(), t.get("productCode").asText(), capacity, book);
            if (event != null) {
              events.add(event);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // the agent is restarting (chaos) or stopping: its tanks are read again at the next tick
      }
    }
    return events;
  }

  private String receive(SiteRun s, String tank, String product, double capacity, double book) throws IOException {
    int n = receipts.getOrDefault(s.code + "/" + tank, 0) + 1;
    boolean barge = random.nextDouble() < 0.3;
    double net = Math.floor(capacity * FILL_TO - book);
    Map<String, Object> body = Map.of("source", barge ? "BARGE" : "PIPELINE", "netGallons", net,
        "ticket", (barge ? "BG-" : "PL-") + tank + "-" + n);
    DemoHttp.Reply r = http.post(s.base.resolve("v1/tanks/" + tank + "/receipts"), body,
        "receipt-" + tank + "-" + n);
    if (r.status() != 201) {
      return null; // tried again at the next tick, under the same key
    }
    receipts.put(s.code + "/" + tank, n);
    receiptsPerSite.merge(s.code, 1, Integer::sum);
    double movedNet = r.json().get("deltaNetGallons").asDouble();
    return String.format("%s: %s receipt of %,.0f gal into %s (%s), which was down to %.0f %%", s.code,
        barge ? "barge" : "pipeline", movedNet, tank, product, 100 * book / capacity);
  }

  /** Receipts per site since the opening balance. */
  int receipts(String site) {
    return receiptsPerSite.getOrDefault(site, 0);
  }

  /** The lowest fill (book ÷ capacity) a tank of the site was seen at, or NaN if never read. */
  double lowestFill(String site) {
    return lowestFill.getOrDefault(site, Double.NaN);
  }
}
