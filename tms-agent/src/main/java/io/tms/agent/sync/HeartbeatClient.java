package io.tms.agent.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatAckV1;
import io.tms.protocol.v1.sync.HeartbeatV1;
import io.tms.protocol.v1.sync.HeartbeatV1.LaneBacklog;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the site's reported state (DESIGN §6) to the cloud every few seconds on a virtual thread:
 * version, uptime, outbox backlog per lane, last sync, feed rev, disk, heap, RSS, clock. A failed
 * exchange marks the link offline and waits with {@link Backoff} (jittered, so sites that lost the
 * link together do not come back together); a 429/503 waits at least its {@code Retry-After}. The
 * last ack (cloud clock, feed head, drain place and ETA) is kept for the status page.
 *
 * <p>Thread-safe: one loop thread; {@link #lastAck()} and {@link #close()} from any thread.
 */
public final class HeartbeatClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatClient.class);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final CloudLink link;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration interval;
  private final Instant startedAt;
  private final String version;
  private final Supplier<Map<Lane, LaneBacklog>> backlog;
  private final LongSupplier rev;
  private final Path dataDir;
  private final Backoff backoff;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile HeartbeatAckV1 lastAck;
  private volatile long sent;
  private Thread thread;

  /**
   * @param backlog the outbox backlog per lane (today: depth from the outbox heads; the uplink
   *     client can supply a richer one)
   * @param rev the feed rev the site has applied
   */
  public HeartbeatClient(
      CloudLink link, ObjectMapper json, Clock clock, Duration interval, Instant startedAt, String version,
      Supplier<Map<Lane, LaneBacklog>> backlog, LongSupplier rev, Path dataDir, Backoff backoff) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("heartbeat.interval must be > 0 (was " + interval + ")");
    }
    this.link = link;
    this.json = json;
    this.clock = clock;
    this.interval = interval;
    this.startedAt = startedAt;
    this.version = version == null || version.isBlank() ? "dev" : version;
    this.backlog = backlog;
    this.rev = rev;
    this.dataDir = dataDir;
    this.backoff = backoff;
  }

  /** Starts the loop; the first heartbeat goes out at once. */
  public synchronized HeartbeatClient start() {
    if (thread == null) {
      thread = Thread.ofVirtual().name("heartbeat-" + link.siteCode()).start(this::loop);
    }
    return this;
  }

  private void loop() {
    while (stopped.getCount() > 0) {
      Duration wait = interval;
      try {
        send();
        backoff.succeeded();
      } catch (Refused e) {
        wait = e.retryAfter == null ? backoff.failed() : max(e.retryAfter, backoff.failed());
        log.warn("site={} heartbeat refused: {} {}", link.siteCode(), e.status, e.getMessage());
      } catch (IOException e) {
        link.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        wait = backoff.failed();
        log.debug("site={} heartbeat failed, retry in {} ms", link.siteCode(), wait.toMillis(), e);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        wait = backoff.failed();
        log.warn("site={} heartbeat failed", link.siteCode(), e);
      }
      try {
        if (link.state() == CloudLink.State.ONLINE) {
          if (stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        } else {
          // offline: back off, but report at once when another loop finds the link back
          link.awaitContact(wait);
          if (stopped.getCount() == 0) {
            return;
          }
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends one heartbeat now and returns the cloud's ack. */
  public HeartbeatAckV1 send() throws IOException, InterruptedException {
    HeartbeatV1 hb = heartbeat();
    HttpRequest request = HttpRequest.newBuilder(link.uri("heartbeat"))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(hb)))
        .build();
    HttpResponse<byte[]> r = link.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 200) {
      link.succeeded();
      HeartbeatAckV1 ack = json.readValue(r.body(), HeartbeatAckV1.class);
      lastAck = ack;
      sent++;
      return ack;
    }
    if (r.statusCode() >= 500 && r.statusCode() != 503) {
      throw new IOException("cloud answered " + r.statusCode());
    }
    if (r.statusCode() != 429 && r.statusCode() != 503 && !link.certificateRefused(r.statusCode(), r.body())) {
      link.succeeded(); // the cloud is there; it refused this heartbeat
    }
    Duration retry = r.headers().firstValue("Retry-After").map(HeartbeatClient::seconds).orElse(null);
    throw new Refused(r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8), retry);
  }

  /** The site's state as of now. */
  public HeartbeatV1 heartbeat() {
    Instant now = clock.instant();
    Runtime rt = Runtime.getRuntime();
    return new HeartbeatV1(link.siteCode(), version, null, startedAt,
        Math.max(0, Duration.between(startedAt, now).toSeconds()), backlog.get(), link.lastContact(),
        rev.getAsLong(), diskFree(dataDir), rt.totalMemory() - rt.freeMemory(), rssBytes(), link.certificateExpires(), now);
  }

  /** The last ack, or null before the first. */
  public HeartbeatAckV1 lastAck() {
    return lastAck;
  }

  /** For the status page: the last ack (cloud clock, feed head, place and ETA in the drain queue). */
  public Map<String, Object> describe() {
    HeartbeatAckV1 ack = lastAck;
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("intervalSeconds", interval.toMillis() / 1000.0);
    m.put("acknowledged", sent);
    m.put("serverTime", ack == null ? null : ack.serverTime().toString());
    m.put("feedRev", ack == null ? null : ack.feedRev());
    m.put("drainPlace", ack == null ? null : ack.drainPlace());
    m.put("drainEtaSeconds", ack == null ? null : ack.drainEtaSeconds());
    return m;
  }

  /** Heartbeats the cloud acknowledged. */
  public long sent() {
    return sent;
  }

  /** Free bytes for the site database, or 0 when the file system cannot tell. */
  static long diskFree(Path dir) {
    try {
      return Math.max(0, Files.getFileStore(dir).getUsableSpace());
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** This process's resident set from {@code /proc/self/status} (Linux), or 0 elsewhere. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /**
   * {@code TMS_HEARTBEAT_INTERVAL}: plain seconds ({@code 5}, {@code 0.5}) or a duration as the
   * other agent settings take it ({@code 5s}, {@code 500ms}); the default when unset; fails naming the key.
   */
  public static Duration interval(String value) {
    String key = "TMS_HEARTBEAT_INTERVAL";
    String v = value == null ? null : value.trim();
    Duration d;
    if (v != null && v.matches("[0-9]+(\\.[0-9]+)?")) { // plain seconds, e.g. 5 or 0.5
      d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    } else {
      d = UplinkSettings.duration(k -> v, key, DEFAULT_INTERVAL);
    }
    if (d.isZero() || d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(key + " must be a duration > 0 and <= 1h such as 5s, 500ms or 5 (was "
          + value + ")");
    }
    return d;
  }

  /** A Retry-After in seconds, or null when it is not a number of seconds. */
  private static Duration seconds(String v) {
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public void close() throws InterruptedException {
    stopped.countDown();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      t.join(5_000);
    }
  }

  /** The cloud answered, but not with an ack. */
  public static final class Refused extends IOException {
    final int status;
    final Duration retryAfter;

    Refused(int status, String body, Duration retryAfter) {
      super("HTTP " + status + ": " + body);
      this.status = status;
      this.retryAfter = retryAfter;
    }

    public int status() {
      return status;
    }
  }
}
