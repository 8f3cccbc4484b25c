package io.tms.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Small JSON-over-HTTP calls of the demo (the cloud's admin API, an agent's status and BOLs), each
 * with the bearer credential registered for its host and port. Thread-safe.
 */
final class DemoHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final java.util.Map<String, String> bearers = new java.util.concurrent.ConcurrentHashMap<>();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, String etag, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    Reply expect(int wanted, String what) {
      if (status != wanted) {
        throw new IllegalStateException(what + " answered " + status + ": " + body);
      }
      return this;
    }
  }

  /** Sends {@code Authorization: Bearer token} on every request to {@code base}'s host and port. */
  void authorize(URI base, String token) {
    bearers.put(base.getAuthority(), token);
  }

  Reply get(URI uri) throws IOException {
    return send(HttpRequest.newBuilder(uri).GET(), uri);
  }

  Reply send(String method, URI uri, Object body, String ifMatch) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    return send(b, uri);
  }

  /** A POST with an {@code Idempotency-Key}: a retry after a lost answer gets the first answer back. */
  Reply post(URI uri, Object body, String idempotencyKey) throws IOException {
    return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))), uri);
  }

  private Reply send(HttpRequest.Builder b, URI uri) throws IOException {
    String token = bearers.get(uri.getAuthority());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().firstValue("ETag").orElse(null), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + uri, e);
    }
  }
}
