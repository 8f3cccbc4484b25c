package io.tms.api.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tms.api.CloudConfig;
import io.tms.api.http.CloudHttp;
import io.tms.api.http.CloudJson;
import io.tms.api.store.CloudDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;

/**
 * One cloud replica with the fleet part only, built as {@code Cloud} builds it but on a clock the
 * test moves, with its background jobs left unstarted (the test flushes and ticks). Real
 * PostgreSQL, real HTTP on loopback.
 */
final class FleetReplica implements AutoCloseable {
  final CloudDatabase db;
  final Fleet fleet;
  final Javalin http;
  final ObjectMapper json = CloudJson.mapper();
  private final HttpClient client = HttpClient.newHttpClient();

  FleetReplica(CloudConfig config, Clock clock, FleetConfig fleetConfig) {
    this.db = CloudDatabase.open(config);
    CloudHttp web = new CloudHttp(json, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config.maxBodyBytes());
    this.fleet = new Fleet(db.jdbi(), web, clock, fleetConfig);
    this.http = web.create(() -> true, List.of(fleet::routes)).start("127.0.0.1", 0);
  }

  void addSite(String code, String name) {
    db.jdbi().useHandle(h -> h.execute("INSERT INTO site (code, name, zone) VALUES (?, ?, 'America/Chicago')", code, name));
  }

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  Answer post(String path, String body) throws IOException, InterruptedException {
    return answer(client.send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  Answer get(String path) throws IOException, InterruptedException {
    return answer(client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + http.port() + path);
  }

  private Answer answer(HttpResponse<String> r) throws IOException {
    return new Answer(r.statusCode(), r.body().isEmpty() ? null : json.readTree(r.body()), r);
  }

  @Override
  public void close() {
    http.stop();
    fleet.close();
    db.close();
  }
}
