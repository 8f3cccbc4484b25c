package io.tms.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.seed.SeedData;
import io.tms.api.http.CloudJson;
import io.tms.domain.masterdata.Arm;
import io.tms.domain.masterdata.Bay;
import io.tms.domain.masterdata.Compartment;
import io.tms.domain.masterdata.Vehicle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a generated site's master data into the cloud through the admin API, as a dispatcher
 * would: the site, products, tanks, bays, customers, carriers, drivers (imported with their
 * existing PIN hashes, so the simulator's PINs work), vehicles, lifting rights and allocations; then
 * sets each allocation's reserve floor for the site to the seed's reserve and runs a reserve round,
 * so the site has reserves to load against as soon as it syncs. An entity that exists already
 * (409) is left as it is, so seeding twice, or several sites sharing products and customers, is fine.
 */
public final class CloudSeeder {
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = CloudJson.mapper();

  public CloudSeeder(URI base) {
    this.base = base;
  }

  /** Seeds one site; returns how many records were created (existing ones are skipped). */
  public int seed(SeedData d) {
    String site = d.site().code();
    int created = 0;
    created += post("/v1/sites", Map.of("code", site, "name", d.site().name(), "zone", d.site().zone().getId()));
    // the terminal the simulator calls as, with its documented seed secret (demo data, like the PINs)
    created += post("/v1/sites/" + site + "/terminals", Map.of("id", io.tms.agent.security.SeedTerminals.SIMULATOR_ID,
        "name", "Simulated terminals", "kind", "OTHER", "secretSha256",
        io.tms.agent.security.TerminalCredentials.sha256Hex(io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET)));
    for (var p : d.products()) {
      created += post("/v1/products", Map.of("code", p.code(), "name", p.name(),
          "commodityGroup", p.commodityGroup().name(), "active", p.active()));
    }
    for (var t : d.tanks()) {
      created += post("/v1/sites/" + site + "/tanks", Map.of("id", t.id(), "productCode", t.productCode(),
          "capacityGallons", t.capacityGallons(), "baseDensityKgM3", t.baseDensityKgM3()));
    }
    for (Bay b : d.bays()) {
      List<Map<String, Object>> arms = new ArrayList<>();
      for (Arm a : b.arms()) {
        arms.add(Map.of("id", a.id(), "meterId", a.meterId(), "tankByProduct", a.tankByProduct()));
      }
      created += post("/v1/sites/" + site + "/bays",
          Map.of("id", b.id(), "name", b.name(), "active", b.active(), "arms", arms));
    }
    for (var c : d.customers()) {
      created += post("/v1/customers", Map.of("id", c.id(), "name", c.name(), "active", c.active()));
    }
    for (var c : d.carriers()) {
      created += post("/v1/carriers", Map.of("id", c.id(), "name", c.name(), "active", c.active(),
          "insuranceExpires", c.insuranceExpires().toString()));
    }
    for (var dr : d.drivers()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", dr.id());
      body.put("name", dr.name());
      body.put("cardNumber", dr.cardNumber());
      body.put("cardActive", dr.cardActive());
      body.put("pinHash", dr.pinHash().encoded());
      body.put("carrierIds", dr.carrierIds());
      Map<String, String> certs = new LinkedHashMap<>();
      dr.certifications().forEach((k, v) -> certs.put(k, v.toString()));
      body.put("certifications", certs);
      created += post("/v1/drivers", body);
    }
    for (Vehicle v : d.vehicles()) {
      List<Map<String, Object>> compartments = new ArrayList<>();
      for (Compartment c : v.compartments()) {
        compartments.add(Map.of("number", c.number(), "capacityGallons", c.capacityGallons()));
      }
      created += post("/v1/vehicles", Map.of("id", v.id(), "carrierId", v.carrierId(), "active", v.active(),
          "inspectionExpires", v.inspectionExpires().toString(), "compartments", compartments));
    }
    for (var r : d.liftingRights()) {
      created += send("PUT", "/v1/sites/" + site + "/liftings/" + r.customerId() + "/" + r.productCode(), null);
    }
    for (var a : d.allocations()) {
      created += post("/v1/allocations", Map.of("id", a.id(), "customerId", a.customerId(),
          "productCode", a.productCode(), "periodStart", a.periodStart().toString(),
          "periodEnd", a.periodEnd().toString(), "quantityGallons", a.quantityGallons()));
    }
    for (var reserve : d.reserveGallons().entrySet()) {
      send("PUT", "/v1/allocations/" + reserve.getKey() + "/reserves/" + site,
          Map.of("participating", true, "minimumGallons", reserve.getValue()));
      send("POST", "/v1/allocations/" + reserve.getKey() + "/rebalance", null);
    }
    return created;
  }

  private int post(String path, Object body) {
    return send("POST", path, body);
  }

  /** 1 when something was created or changed, 0 when it existed (409); anything else is an error. */
  private int send(String method, String path, Object body) {
    try {
      HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json");
      rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 409) {
        return 0;
      }
      if (r.statusCode() >= 300) {
        JsonNode problem = r.body().isEmpty() ? null : json.readTree(r.body());
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": "
            + (problem == null ? "" : problem.path("detail").asText()));
      }
      return 1;
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
