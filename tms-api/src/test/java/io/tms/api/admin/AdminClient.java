package io.tms.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.Cloud;
import io.tms.api.TestAuth;
import io.tms.api.http.CloudJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Real HTTP against a running cloud, plus the database facts the admin tests assert on. */
final class AdminClient {
  static final ObjectMapper JSON = CloudJson.mapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Cloud cloud;
  private final String token;

  /** A client with a fresh admin token. */
  AdminClient(Cloud cloud) {
    this(cloud, TestAuth.adminToken(cloud));
  }

  /** A client with the given bearer token ({@code null}: none). */
  AdminClient(Cloud cloud, String token) {
    this.cloud = cloud;
    this.token = token;
  }

  record Reply(int status, String etag, String contentType, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(body, e);
      }
    }

    String field() {
      return json().path("field").asText(null);
    }
  }

  Reply get(String path) {
    return send("GET", path, null, null);
  }

  Reply post(String path, String body) {
    return send("POST", path, body, null);
  }

  Reply put(String path, String body, String ifMatch) {
    return send("PUT", path, body, ifMatch);
  }

  Reply delete(String path, String ifMatch) {
    return send("DELETE", path, null, ifMatch);
  }

  Reply send(String method, String path, String body, String ifMatch) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    if (token != null) {
      TestAuth.bearer(b, token);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().firstValue("ETag").orElse(null),
          r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every item of a collection, following next cursors with the given page size. */
  List<JsonNode> all(String path, int limit) {
    List<JsonNode> items = new ArrayList<>();
    String after = null;
    do {
      Reply page = get(path + "?limit=" + limit + (after == null ? "" : "&after=" + after));
      if (page.status() != 200) {
        throw new AssertionError(page);
      }
      page.json().get("items").forEach(items::add);
      JsonNode next = page.json().get("next");
      after = next.isNull() ? null : next.asText();
    } while (after != null);
    return items;
  }

  long feedRev() {
    return cloud.database().jdbi().withHandle(h -> h.createQuery("SELECT rev FROM feed_head").mapTo(Long.class).one());
  }

  long count(String table) {
    return cloud.database().jdbi().withHandle(h ->
        h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
  }

  /** The change-log rows after {@code rev}: site_code, entity, key and the record as JSON. */
  List<JsonNode> changesAfter(long rev) {
    return cloud.database().jdbi().withHandle(h -> h.createQuery(
            "SELECT json_build_object('rev', rev, 'site', site_code, 'entity', entity, 'key', key, 'record', record)::text"
                + " FROM change_log WHERE rev > :rev ORDER BY rev")
        .bind("rev", rev).mapTo(String.class).list()).stream().map(s -> {
          try {
            return JSON.readTree(s);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }).toList();
  }
}
