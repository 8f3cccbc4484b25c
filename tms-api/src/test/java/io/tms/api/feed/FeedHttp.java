package io.tms.api.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.http.CloudJson;
import io.tms.protocol.v1.sync.ChangesV1;
import io.tms.protocol.v1.sync.MasterRecordV1;
import io.tms.protocol.v1.sync.ProductV1;
import io.tms.testkit.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/** Test helpers: ask a cloud's change feed over HTTP, write changes, read a replica's gauges. */
final class FeedHttp {
  static final ObjectMapper JSON = CloudJson.mapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private FeedHttp() {}

  record Reply(int status, String contentType, String body) {
    ChangesV1 changes() {
      try {
        return JSON.readValue(body, ChangesV1.class);
      } catch (IOException e) {
        throw new UncheckedIOException("not ChangesV1: " + body, e);
      }
    }
  }

  static Reply get(String base, String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static ChangesV1 changes(String base, String site, long after, long waitMs, int limit) {
    Reply r = get(base, "/edge/v1/sites/" + site + "/changes?after=" + after + "&waitMs=" + waitMs + "&limit=" + limit);
    if (r.status() != 200) {
      throw new IllegalStateException("feed answered " + r.status() + ": " + r.body());
    }
    return r.changes();
  }

  private static final Pattern WAITING = Pattern.compile("(?m)^tms_feed_waiting_polls(?:\\{[^}]*})? ([0-9.]+)$");

  /** Long polls waiting in the replica at {@code base}, from its Prometheus page. */
  static int waitingPolls(String base) {
    Matcher m = WAITING.matcher(get(base, "/metrics").body());
    return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
  }

  /** Polls {@link #waitingPolls} until it reaches {@code n}, or fails after 30 s. */
  static void awaitWaiting(String base, int n) throws InterruptedException {
    Eventually.until(n + " long poll(s) waiting at " + base, Duration.ofSeconds(30),
        () -> waitingPolls(base) >= n);
  }

  static void site(Jdbi jdbi, String code) {
    jdbi.useHandle(h -> h.execute("INSERT INTO site (code, name, zone) VALUES (?, ?, 'America/Chicago')", code,
        "Site " + code));
  }

  /** Appends one record in its own transaction; returns its rev. */
  static long append(Jdbi jdbi, String site, MasterRecordV1 record) {
    ChangeLog log = new ChangeLog(JSON);
    return jdbi.inTransaction(h -> log.append(h, site, record));
  }

  static ProductV1 product(String code) {
    return new ProductV1(code, "Product " + code, "FUEL_OILS", true);
  }
}
