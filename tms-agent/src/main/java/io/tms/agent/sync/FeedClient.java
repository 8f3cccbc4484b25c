package io.tms.agent.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.protocol.v1.sync.ChangesV1;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downlink loop (DESIGN §3): long-polls the cloud's change feed for the changes after the
 * site's rev and hands each answer to the sink, which applies it in one write unit together with
 * the new rev and returns that rev. Failures back off with jitter and mark the link OFFLINE; a
 * site keeps loading on the master data it has. One virtual thread; thread-safe to observe.
 */
public final class FeedClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FeedClient.class);

  /** How long each poll may wait in the cloud, and how many changes one answer may carry. */
  public record Settings(Duration pollWait, int limit) {
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(20), 1_000);
    }
  }

  private final CloudLink link;
  private final ObjectMapper json;
  private final LongSupplier storedRev;
  private final ToLongFunction<ChangesV1> sink;
  private final Backoff backoff;
  private final Settings settings;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private volatile long appliedRev = -1;
  private volatile boolean running = true;
  private volatile CompletableFuture<HttpResponse<byte[]>> inFlight;

  /**
   * @param storedRev reads the rev the site last applied (from its database)
   * @param sink applies an answer durably and returns the rev the site is at afterwards
   */
  public FeedClient(
      CloudLink link, ObjectMapper json, LongSupplier storedRev, ToLongFunction<ChangesV1> sink, Backoff backoff,
      Settings settings) {
    this.link = link;
    this.json = json;
    this.storedRev = storedRev;
    this.sink = sink;
    this.backoff = backoff;
    this.settings = settings;
    this.thread = Thread.ofVirtual().name("feed-" + link.siteCode()).unstarted(this::loop);
    this.thread.start();
  }

  /** The rev applied so far (-1 before the loop has read it). */
  public long appliedRev() {
    return appliedRev;
  }

  /** Waits until the site has applied {@code rev} or later; false on timeout. */
  public boolean awaitRev(long rev, Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (appliedRev < rev) {
        if (nanos <= 0) {
          return false;
        }
        nanos = advanced.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void publish(long rev) {
    lock.lock();
    try {
      appliedRev = rev;
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    String site = link.siteCode();
    long rev;
    try {
      rev = storedRev.getAsLong();
    } catch (RuntimeException e) {
      log.error("site={} cannot read its feed rev; the change feed is not running", site, e);
      return;
    }
    publish(rev);
    while (running) {
      try {
        HttpRequest request = HttpRequest.newBuilder(link.uri("changes?after=" + rev + "&waitMs="
                + settings.pollWait().toMillis() + "&limit=" + settings.limit()))
            .timeout(settings.pollWait().plusSeconds(15))
            .header("Accept", "application/json")
            .header("Accept-Encoding", "gzip") // snapshots shrink about tenfold
            .GET()
            .build();
        CompletableFuture<HttpResponse<byte[]>> call =
            link.http().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        inFlight = call;
        HttpResponse<byte[]> response = call.get();
        if (response.statusCode() == 200) {
          link.succeeded();
          ChangesV1 answer = json.readValue(body(response), ChangesV1.class);
          long applied = sink.applyAsLong(answer);
          if (applied != rev || !answer.changes().isEmpty()) {
            log.debug("site={} feed rev {} -> {} ({} changes{})", site, rev, applied, answer.changes().size(),
                answer.snapshot() ? ", snapshot" : "");
          }
          rev = applied;
          publish(rev);
          backoff.succeeded();
        } else if (link.certificateRefused(response.statusCode(), body(response))) {
          log.warn("site={} change feed: the cloud refused the site's certificate ({})", site, response.statusCode());
          pause(backoff.failed());
        } else {
          if (response.statusCode() >= 500) {
            link.failed("change feed answered " + response.statusCode());
          } else {
            link.succeeded(); // the cloud is there; it refuses this site (unknown, inactive)
          }
          log.warn("site={} change feed answered {}: {}", site, response.statusCode(), abbreviate(new String(body(response), StandardCharsets.UTF_8)));
          pause(backoff.failed());
        }
      } catch (InterruptedException e) {
        break;
      } catch (ExecutionException e) {
        if (!running) {
          break;
        }
        link.failed(String.valueOf(e.getCause()));
        log.debug("site={} change feed unreachable: {}", site, e.getCause().toString());
        if (!pause(backoff.failed())) {
          break;
        }
      } catch (IOException | RuntimeException e) {
        if (!running) {
          break;
        }
        // an answer we cannot read or apply: keep the old master data, try again later
        log.error("site={} cannot apply the change feed after rev {}", site, rev, e);
        if (!pause(backoff.failed())) {
          break;
        }
      }
    }
  }

  /** Backs off for {@code d}, or less if another loop finds the link back first. */
  private boolean pause(Duration d) {
    try {
      link.awaitContact(d);
      return running;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private static byte[] body(HttpResponse<byte[]> response) throws IOException {
    if (response.headers().firstValue("Content-Encoding").filter("gzip"::equalsIgnoreCase).isPresent()) {
      try (var in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
        return in.readAllBytes();
      }
    }
    return response.body();
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }

  @Override
  public void close() {
    running = false;
    CompletableFuture<HttpResponse<byte[]>> call = inFlight;
    if (call != null) {
      call.cancel(true);
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
