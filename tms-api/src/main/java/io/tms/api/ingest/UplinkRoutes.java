package io.tms.api.ingest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.audit.Actor;
import io.tms.api.audit.AuditLog;
import io.tms.api.http.ApiException;
import io.tms.api.fleet.DrainGate;
import io.tms.api.http.CloudHttp;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.UplinkAckV1;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import java.util.zip.GZIPInputStream;

/**
 * HTTP for the uplink: the edge endpoint that takes a site's batches (zstd, gzip or identity) behind the
 * reconnect-storm admission gate ({@link DrainGate}: a few sites apply at a time), the
 * operator's clearing of a chain-broken flag, and the queries of what sites did. Thread-safe.
 */
public final class UplinkRoutes implements Consumer<RoutesConfig> {
  private final CloudHttp http;
  private final UplinkIngest ingest;
  private final SiteActivityQueries queries;
  private final int maxInflatedBytes;
  private final DrainGate gate;
  private final IngestBudget budget;
  private final long budgetWaitNanos;
  private final Jdbi jdbi;
  private final AuditLog audit;

  /**
   * @param budget the inflated bytes of the batches inside at once ({@link IngestBudget})
   * @param budgetWait how long a request admitted by the gate waits for its bytes before a 429
   */
  public UplinkRoutes(CloudHttp http, UplinkIngest ingest, SiteActivityQueries queries, int maxInflatedBytes,
      DrainGate gate, IngestBudget budget, java.time.Duration budgetWait, Jdbi jdbi, AuditLog audit) {
    this.http = http;
    this.budget = budget;
    this.budgetWaitNanos = budgetWait.toNanos();
    this.jdbi = jdbi;
    this.audit = audit;
    this.ingest = ingest;
    this.gate = gate;
    this.queries = queries;
    this.maxInflatedBytes = maxInflatedBytes;
  }

  @Override
  public void accept(RoutesConfig r) {
    r.post("/edge/v1/sites/{site}/events", this::events);
    r.get("/v1/sites/{site}/uplink", ctx -> ctx.json(queries.cursors(SiteActivityQueries.site(ctx.pathParam("site")))));
    r.delete("/v1/sites/{site}/uplink/{lane}/break", ctx -> {
      String site = SiteActivityQueries.site(ctx.pathParam("site"));
      Lane lane = lane(ctx.pathParam("lane"));
      Actor actor = Actor.of(ctx);
      boolean cleared = jdbi.inTransaction(h -> {
        List<SiteActivityQueries.Cursor> before = queries.cursors(h, site);
        if (!ingest.clearBroken(h, site, lane)) {
          return false;
        }
        audit.append(h, actor, "uplink_lane", site + "/" + lane, "clear-break", site, before, queries.cursors(h, site));
        return true;
      });
      if (!cleared) {
        throw new ApiException(404, "NOT_FOUND", "lane", "lane " + ctx.pathParam("lane") + " of " + site + " is not flagged");
      }
      ctx.status(204);
    });
    r.get("/v1/bols", ctx -> ctx.json(queries.bols(ctx)));
    r.get("/v1/bols/{number}", ctx -> ctx.json(queries.bol(ctx.pathParam("number"))));
    r.get("/v1/loads", ctx -> ctx.json(queries.loads(ctx)));
    r.get("/v1/sites/{site}/inventory", ctx -> ctx.json(queries.inventory(SiteActivityQueries.site(ctx.pathParam("site")))));
  }

  private static Lane lane(String v) {
    try {
      return Lane.valueOf(v);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "INVALID_INPUT", "lane", "lane must be BUSINESS or TELEMETRY (was " + v + ")");
    }
  }

  private void events(Context ctx) {
    String site = SiteActivityQueries.site(ctx.pathParam("site"));
    // the admission gate comes first: a site waiting for its turn holds no body in memory
    try (DrainGate.Permit permit = gate.enter(site, 0)) {
      byte[] body = http.bytes(ctx);
      String encoding = encoding(ctx.header("Content-Encoding"));
      ctx.header("Accept-Encoding", ACCEPTED_ENCODINGS); // RFC 7694: tells a gzip agent it may send zstd
      ctx.header(FEATURES_HEADER, FEATURES); // an agent sends telemetry ahead only to a cloud that holds it
      ctx.header(UplinkAckV1.MAX_BATCH_HEADER, Integer.toString(maxInflatedBytes)); // agents cut their batches to fit
      long declared = switch (encoding) {
        case "zstd" -> ZstdBodies.declaredSize(body);
        case "identity" -> body.length;
        default -> -1; // gzip's ISIZE is the last member's length mod 2^32: not a size to plan by
      };
      if (declared > maxInflatedBytes) {
        throw BodySizes.tooLarge(maxInflatedBytes);
      }
      // then the bytes it will inflate to: a few large batches inside at once must not exhaust the heap
      try (IngestBudget.Hold hold = budget.reserve(declared < 0 ? Long.MAX_VALUE : declared, budgetWaitNanos)) {
        // inflating, parsing and applying are CPU work: on a platform thread, which the OS preempts, so
        // heartbeats and the admin API (virtual threads) get the cores in time during a storm
        ctx.json(onWorker(() -> {
          byte[] raw = switch (encoding) {
            case "zstd" -> ZstdBodies.decompress(body, declared, maxInflatedBytes);
            case "gzip" -> gunzip(body);
            default -> body;
          };
          UplinkBatchReader.Batch batch = ingest.read(raw);
          permit.events(batch.events() == null ? 0 : batch.events().size());
          return ingest.apply(site, batch);
        }));
      }
    }
  }

  /** {@code zstd}, {@code gzip} or {@code identity} (none given); anything else is a 415. */
  private static String encoding(String header) {
    if (header == null || header.isBlank() || "identity".equalsIgnoreCase(header.trim())) {
      return "identity";
    }
    if ("zstd".equalsIgnoreCase(header.trim())) {
      return "zstd";
    }
    if ("gzip".equalsIgnoreCase(header.trim())) {
      return "gzip";
    }
    throw new ApiException(415, "UNSUPPORTED_ENCODING", "Content-Encoding",
        "Content-Encoding must be zstd, gzip or identity", java.util.Map.of(),
        java.util.Map.of("Accept-Encoding", ACCEPTED_ENCODINGS));
  }

  /**
   * What this cloud's uplink understands beyond the first v1: {@code afterBusinessSeq} (a telemetry
   * batch held until business is that far, {@code UplinkBatchV1}). An agent sends such a batch only
   * after an answer listed it: an older cloud would apply it at once.
   */
  static final String FEATURES_HEADER = "Uplink-Features";
  static final String FEATURES = "afterBusinessSeq";

  /** The request encodings the uplink takes, best first (an agent picks zstd when it sees it here). */
  static final String ACCEPTED_ENCODINGS = "zstd, gzip";

  /** Runs the work on an apply worker and waits; its exceptions are the caller's. */
  private static <T> T onWorker(java.util.concurrent.Callable<T> work) {
    try {
      return APPLIERS.submit(work).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying a batch", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Applies run here; the drain gate bounds how many at once, this pool only has to hold them. */
  private static final java.util.concurrent.ExecutorService APPLIERS = java.util.concurrent.Executors.newCachedThreadPool(
      Thread.ofPlatform().daemon().name("uplink-apply-", 0).factory());

  /**
   * Inflates into an array sized by the gzip trailer's ISIZE (the length mod 2^32, untrusted: capped
   * by {@link BodySizes}, grown if the data is longer), so a 10 MiB batch is not copied through a
   * growing buffer and again at the end.
   */
  private byte[] gunzip(byte[] raw) {
    return gunzip(raw, maxInflatedBytes);
  }

  static byte[] gunzip(byte[] raw, int maxInflatedBytes) {
    long declared = raw.length < 18 ? -1 : (raw[raw.length - 4] & 0xffL) | (raw[raw.length - 3] & 0xffL) << 8
        | (raw[raw.length - 2] & 0xffL) << 16 | (raw[raw.length - 1] & 0xffL) << 24; // ISIZE, unsigned
    byte[] out = new byte[BodySizes.initialCapacity(declared, raw.length, maxInflatedBytes)];
    int n = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 64 * 1024)) {
      for (int r; (r = in.read(out, n, out.length - n)) >= 0; ) {
        n += r;
        if (n > maxInflatedBytes) {
          throw BodySizes.tooLarge(maxInflatedBytes);
        }
        if (n == out.length) { // full: done if the stream ends here (the usual case, ISIZE was right)
          int next = in.read();
          if (next < 0) {
            break;
          }
          out = java.util.Arrays.copyOf(out, (int) Math.min((long) out.length * 2, (long) maxInflatedBytes + 1));
          out[n++] = (byte) next;
        }
      }
    } catch (IOException e) {
      throw new ApiException(400, "INVALID_INPUT", "Content-Encoding", "body is not valid gzip");
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }
}
