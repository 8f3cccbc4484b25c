package io.tms.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** A tiny HTTP client for agent tests: JSON in, status and JSON out. */
public final class TerminalClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String credential;

  /** A client that calls as the seed simulator terminal (every test site has it). */
  public TerminalClient(int port) {
    this(port, io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET);
  }

  /** A client that presents {@code credential} ({@code null}: none). */
  public TerminalClient(int port, String credential) {
    this.base = "http://127.0.0.1:" + port;
    this.credential = credential;
  }

  public record Reply(int status, String contentType, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Reply get(String path, Map<String, String> headers) {
    var b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    headers.forEach(b::header);
    return send(b);
  }

  public byte[] getBytes(String path) {
    try {
      return http.send(authorized(HttpRequest.newBuilder(URI.create(base + path)).GET()).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Reply post(String path, Object body) {
    return post(path, body, Map.of());
  }

  public Reply post(String path, Object body, Map<String, String> headers) {
    String text;
    try {
      text = body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text));
    headers.forEach(b::header);
    return send(b);
  }

  /** Posts raw bytes as JSON (they need not be valid UTF-8 or JSON). */
  public Reply postBytes(String path, byte[] body, Map<String, String> headers) {
    var b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return send(b);
  }

  private Reply send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = http.send(authorized(b).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    if (credential != null && b.build().headers().firstValue("Authorization").isEmpty()) {
      b.header("Authorization", "Bearer " + credential);
    }
    return b;
  }

  @Override
  public void close() {
    http.close();
  }

  // ---------------------------------------------------------------- request bodies

  public static Map<String, Object> authorize(String card, String pin, String vehicle, Object... compartments) {
    return Map.of("cardNumber", card, "pin", pin, "vehicleId", vehicle, "compartments", java.util.List.of(compartments));
  }

  public static Map<String, Object> intent(int compartment, String customer, String product) {
    return Map.of("compartment", compartment, "customerId", customer, "productCode", product);
  }

  public static Map<String, Object> intent(int compartment, String customer, String product, long gallons) {
    return Map.of("compartment", compartment, "customerId", customer, "productCode", product,
        "requestedGallons", gallons);
  }

  public static Map<String, Object> start(String authorizationId, String bay, Map<Integer, Long> presets) {
    var list = presets.entrySet().stream()
        .map(e -> Map.of("compartment", e.getKey(), "presetGallons", e.getValue()))
        .toList();
    var m = new java.util.HashMap<String, Object>();
    m.put("authorizationId", authorizationId);
    if (bay != null) {
      m.put("bayId", bay);
    }
    m.put("permissives", Map.of("groundOk", true, "overfillOk", true));
    m.put("compartments", list);
    return m;
  }

  public static Map<String, Object> reading(int compartment, double gross, double tempF) {
    return Map.of("compartment", compartment, "grossGallons", gross, "temperatureF", tempF);
  }

  public static Map<String, Object> complete(Object... readings) {
    return Map.of("compartments", java.util.List.of(readings));
  }
}
