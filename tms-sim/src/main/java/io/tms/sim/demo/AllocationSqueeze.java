package io.tms.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The script's allocation running low: the dispatcher cuts the busiest allocation that several
 * sites lift from to what has been lifted plus three quarters of what the sites still hold. The
 * allocation is then over-committed (DESIGN §4, docs/reserves.md): the cloud grants nothing more
 * and asks the sites holding more than their target to give the surplus back; each site releases
 * what it has unused (never a held or lifted gallon) through its outbox, and only then do the
 * gallons count as back. Nothing is taken behind a site's back, and the sites cannot lift more than
 * the new quantity: what they hold unused is far more than the cut. Used by the demo's control
 * thread only.
 */
final class AllocationSqueeze {
  private static final long MIN_UNUSED_GALLONS = 10_000;

  private final DemoHttp http;
  private final URI cloud;
  private final Jdbi cloudDb;
  private String allocationId;

  AllocationSqueeze(DemoHttp http, URI cloud, Jdbi cloudDb) {
    this.http = http;
    this.cloud = cloud;
    this.cloudDb = cloudDb;
  }

  boolean done() {
    return allocationId != null;
  }

  /** Lowers the quantity; returns the event line (or why nothing was squeezed). */
  String squeeze() throws IOException {
    String id = cloudDb.withHandle(h -> h.createQuery("""
            SELECT allocation_id FROM reserve_account
             GROUP BY allocation_id HAVING count(*) >= 2
             ORDER BY sum(consumed_total) DESC, allocation_id LIMIT 1""").mapTo(String.class).findOne().orElse(null));
    if (id == null) {
      allocationId = "";
      return "cloud: no allocation is shared by two sites yet; nothing to squeeze";
    }
    JsonNode view = view(id);
    long committed = view.get("committedGallons").asLong();
    long consumed = view.get("consumedGallons").asLong();
    long quantity = view.get("quantityGallons").asLong();
    long lowered = (consumed + (committed - consumed) * 3 / 4) / 100 * 100;
    if (lowered >= quantity || committed - consumed < MIN_UNUSED_GALLONS) {
      allocationId = id;
      return "cloud: allocation " + id + " already runs low (" + quantity + " gal, " + committed + " committed)";
    }
    URI uri = cloud.resolve("v1/allocations/" + id);
    DemoHttp.Reply current = http.get(uri).expect(200, "GET allocation " + id);
    ObjectNode body = (ObjectNode) current.json();
    body.remove("version");
    body.put("quantityGallons", lowered);
    http.send("PUT", uri, body, current.etag()).expect(200, "PUT allocation " + id);
    allocationId = id;
    return "cloud: allocation " + id + " cut from " + quantity + " to " + lowered + " gal (" + committed
        + " out in reserves, " + consumed + " lifted): the sites are asked to give reserve back";
  }

  /** The allocation's reserves per site now, one line each (empty before the squeeze). */
  List<String> report() throws IOException {
    List<String> lines = new ArrayList<>();
    if (allocationId == null || allocationId.isEmpty()) {
      return lines;
    }
    JsonNode v = view(allocationId);
    lines.add(String.format("allocation %s: quantity %,d gal, committed %,d, lifted %,d, headroom %,d",
        allocationId, v.get("quantityGallons").asLong(), v.get("committedGallons").asLong(),
        v.get("consumedGallons").asLong(), v.get("headroomGallons").asLong()));
    for (JsonNode s : v.get("sites")) {
      lines.add(String.format("  %-6s granted %,d  asked back %,d  released %,d  lifted %,d  left %,d  target %,d",
          s.get("siteCode").asText(), s.get("grantedGallons").asLong(), s.get("releaseRequestedGallons").asLong(),
          s.get("releasedGallons").asLong(), s.get("consumedGallons").asLong(), s.get("reserveGallons").asLong(),
          s.get("targetGallons").asLong()));
    }
    return lines;
  }

  private JsonNode view(String id) throws IOException {
    return http.get(cloud.resolve("v1/allocations/" + id + "/reserves")).expect(200, "reserves of " + id).json();
  }
}
