package io.tms.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.agent.seed.SeedRoster;
import io.tms.agent.seed.SeedRoster.DriverEntry;
import io.tms.agent.seed.SeedRoster.Lifting;
import io.tms.agent.seed.SeedRoster.VehicleEntry;
import io.tms.domain.masterdata.Compartment;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The script's master-data change: a dispatcher revokes a driver's card in the cloud (admin API,
 * {@code DELETE /v1/drivers/{id}}), and the demo shows it reaching each site: as soon as a site's
 * feed has passed the change's rev, the driver presents the card with the right PIN at that site's
 * gate and is denied {@code CARD_INACTIVE}. A site that is offline shows it after it reconnects.
 * Used by the demo's control thread only.
 */
final class CardRevocation {
  private final DemoHttp http;
  private final URI cloud;
  private final Jdbi cloudDb;
  private final DriverEntry driver;
  private final VehicleEntry vehicle;
  private final Lifting lifting;
  private final Map<String, String> shown = new LinkedHashMap<>();
  private long rev;
  private long revokedAtNanos;

  CardRevocation(DemoHttp http, URI cloud, Jdbi cloudDb, SeedRoster roster) {
    this.http = http;
    this.cloud = cloud;
    this.cloudDb = cloudDb;
    // an approved driver with a usable truck; the last of them, so early arrivals are not all him
    List<DriverEntry> approved = roster.approvedDrivers();
    this.driver = approved.get(approved.size() - 1);
    this.vehicle = driver.vehicleIds().stream().map(roster::vehicle).flatMap(java.util.Optional::stream)
        .filter(VehicleEntry::usable).findFirst().orElseThrow();
    this.lifting = roster.liftings().getFirst();
  }

  boolean done() {
    return rev > 0;
  }

  /** The change's rev in the feed (0 before the revocation). */
  long rev() {
    return rev;
  }

  /** Revokes the card in the cloud; returns the event line. */
  String revoke() throws IOException {
    URI uri = cloud.resolve("v1/drivers/" + driver.id());
    DemoHttp.Reply current = http.get(uri).expect(200, "GET driver " + driver.id());
    http.send("DELETE", uri, null, current.etag()).expect(200, "DELETE driver " + driver.id());
    revokedAtNanos = System.nanoTime();
    rev = cloudDb.withHandle(h -> h.createQuery(
            "SELECT max(rev) FROM change_log WHERE entity = 'driver' AND key = :id")
        .bind("id", driver.id()).mapTo(Long.class).one());
    return "cloud: driver " + driver.id() + " (" + driver.name() + ") card " + driver.cardNumber()
        + " revoked by the dispatcher (feed rev " + rev + ")";
  }

  /** For each site whose feed has the change and that has not shown it yet: the driver at its gate. */
  List<String> check(List<SiteRun> sites) {
    List<String> events = new ArrayList<>();
    if (rev == 0) {
      return events;
    }
    for (SiteRun s : sites) {
      JsonNode st = s.status();
      if (shown.containsKey(s.code) || st == null || st.path("feedRev").asLong(0) < rev) {
        continue;
      }
      try {
        DemoHttp.Reply r = http.send("POST", s.base.resolve("v1/authorizations"), body(), null);
        JsonNode d = r.json();
        String codes = d.path("denyCodes").toString();
        String line = s.code + ": driver " + driver.id() + " at the gate -> "
            + (d.path("approved").asBoolean() ? "APPROVED (unexpected)" : "denied " + codes) + ", "
            + String.format("%.1f", (System.nanoTime() - revokedAtNanos) / 1e9) + " s after the revocation";
        shown.put(s.code, line);
        events.add(line);
      } catch (IOException | RuntimeException e) {
        // the agent is restarting; try again on the next tick
      }
    }
    return events;
  }

  /** Sites where the driver was approved after the revocation reached them (never expected). */
  List<String> failures() {
    return shown.entrySet().stream().filter(e -> e.getValue().contains("APPROVED"))
        .map(e -> e.getKey() + " approved revoked driver " + driver.id()).toList();
  }

  private Map<String, Object> body() {
    List<Map<String, Object>> compartments = new ArrayList<>();
    for (Compartment c : vehicle.compartments()) {
      compartments.add(Map.of("compartment", c.number(), "customerId", lifting.customerId(),
          "productCode", lifting.productCode()));
    }
    return Map.of("cardNumber", driver.cardNumber(), "pin", driver.pin(), "vehicleId", vehicle.id(),
        "compartments", compartments);
  }
}
