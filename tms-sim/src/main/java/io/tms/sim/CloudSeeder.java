package io.tms.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.seed.SeedData;
import io.tms.api.http.CloudJson;
import io.tms.domain.masterdata.Arm;
import io.tms.domain.masterdata.Compartment;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.ToIntFunction;

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
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = CloudJson.mapper();
  private static final int PARALLEL = 8;

  /** Seeds through the admin API at {@code base} with an API token that may write master data and reserves. */
  public CloudSeeder(URI base, String token) {
    this.base = base;
    this.token = java.util.Objects.requireNonNull(token, "an admin API token is required");
  }

  /** Seeds one site; returns how many records were created (existing ones are skipped). */
  public int seed(SeedData d) {
    return seed(d, true);
  }

  /**
   * Seeds one site; with {@code rebalance} false the reserve floors are set but no round is run,
   * so that a fleet seeded site by site can run one round per allocation at the end
   * ({@link #rebalance}) instead of one per allocation and site.
   */
  public int seed(SeedData d, boolean rebalance) {
    String site = d.site().code();
    int created = post("/v1/sites", Map.of("code", site, "name", d.site().name(), "zone", d.site().zone().getId()));
    // the terminal the simulator calls as, with its documented seed secret (demo data, like the PINs)
    created += post("/v1/sites/" + site + "/terminals", Map.of("id", io.tms.agent.security.SeedTerminals.SIMULATOR_ID,
        "name", "Simulated terminals", "kind", "OTHER", "secretSha256",
        io.tms.agent.security.TerminalCredentials.sha256Hex(io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET)));
    created += phase(d.products(), p -> post("/v1/products", Map.of("code", p.code(), "name", p.name(),
        "commodityGroup", p.commodityGroup().name(), "active", p.active())));
    created += phase(d.tanks(), t -> post("/v1/sites/" + site + "/tanks", Map.of("id", t.id(),
        "productCode", t.productCode(), "capacityGallons", t.capacityGallons(), "baseDensityKgM3", t.baseDensityKgM3())));
    created += phase(d.bays(), b -> {
      List<Map<String, Object>> arms = new ArrayList<>();
      for (Arm a : b.arms()) {
        arms.add(Map.of("id", a.id(), "meterId", a.meterId(), "tankByProduct", a.tankByProduct()));
      }
      return post("/v1/sites/" + site + "/bays", Map.of("id", b.id(), "name", b.name(), "active", b.active(), "arms", arms));
    });
    created += phase(d.customers(), c -> post("/v1/customers", Map.of("id", c.id(), "name", c.name(), "active", c.active())));
    created += phase(d.carriers(), c -> post("/v1/carriers", Map.of("id", c.id(), "name", c.name(), "active", c.active(),
        "insuranceExpires", c.insuranceExpires().toString())));
    created += phase(d.drivers(), dr -> {
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
      return post("/v1/drivers", body);
    });
    created += phase(d.vehicles(), v -> {
      List<Map<String, Object>> compartments = new ArrayList<>();
      for (Compartment c : v.compartments()) {
        compartments.add(Map.of("number", c.number(), "capacityGallons", c.capacityGallons()));
      }
      return post("/v1/vehicles", Map.of("id", v.id(), "carrierId", v.carrierId(), "active", v.active(),
          "inspectionExpires", v.inspectionExpires().toString(), "compartments", compartments));
    });
    created += phase(d.liftingRights(),
        r -> send("PUT", "/v1/sites/" + site + "/liftings/" + r.customerId() + "/" + r.productCode(), null));
    created += phase(d.allocations(), a -> post("/v1/allocations", Map.of("id", a.id(), "customerId", a.customerId(),
        "productCode", a.productCode(), "periodStart", a.periodStart().toString(),
        "periodEnd", a.periodEnd().toString(), "quantityGallons", a.quantityGallons())));
    phase(List.copyOf(d.reserveGallons().entrySet()), reserve -> {
      send("PUT", "/v1/allocations/" + reserve.getKey() + "/reserves/" + site,
          Map.of("participating", true, "minimumGallons", reserve.getValue()));
      if (rebalance) {
        send("POST", "/v1/allocations/" + reserve.getKey() + "/rebalance", null);
      }
      return 0;
    });
    return created;
  }

  /**
   * Writes one kind of record, {@value #PARALLEL} requests at a time (each is its own transaction
   * in the cloud; kinds that refer to others wait for the phase before). Returns how many were new.
   */
  private <T> int phase(List<T> items, ToIntFunction<T> write) {
    Semaphore slots = new Semaphore(PARALLEL);
    List<Future<Integer>> done = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (T item : items) {
        done.add(pool.submit(() -> {
          slots.acquire();
          try {
            return write.applyAsInt(item);
          } finally {
            slots.release();
          }
        }));
      }
      int created = 0;
      for (var f : done) {
        created += f.get();
      }
      return created;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while seeding", e);
    }
  }

  /** Runs a reserve round for each allocation now (the sites get their reserves at once). */
  public void rebalance(Iterable<String> allocationIds) {
    for (String id : allocationIds) {
      send("POST", "/v1/allocations/" + id + "/rebalance", null);
    }
  }

  private int post(String path, Object body) {
    return send("POST", path, body);
  }

  /** 1 when something was created or changed, 0 when it existed (409); anything else is an error. */
  private int send(String method, String path, Object body) {
    try {
      HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + token);
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
