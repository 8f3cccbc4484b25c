package io.tms.api.fleet;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.http.ApiException;
import io.tms.api.http.CloudHttp;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatAckV1;
import io.tms.protocol.v1.sync.HeartbeatV1;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet's HTTP surface: the heartbeat of the edge API and the fleet view of the admin API.
 * A heartbeat of a known site touches no database: it is validated, answered from memory (clock,
 * feed head, drain place) and left in the {@link HeartbeatBuffer}. Neither passes the
 * {@link DrainGate}.
 */
public final class FleetApi {
  static final int MAX_LIMIT = 1_000;
  static final int TRANSITIONS_SHOWN = 100;

  private final CloudHttp web;
  private final Clock clock;
  private final HeartbeatBuffer buffer;
  private final FleetStore store;
  private final DrainGate gate;
  private final Set<String> knownSites = ConcurrentHashMap.newKeySet();
  private final HeartbeatCodec codec;
  private volatile boolean sitesLoaded;

  public FleetApi(CloudHttp web, Clock clock, HeartbeatBuffer buffer, FleetStore store, DrainGate gate) {
    this.web = web;
    this.clock = clock;
    this.buffer = buffer;
    this.store = store;
    this.gate = gate;
    this.codec = new HeartbeatCodec(web.json().getFactory());
  }

  public void routes(RoutesConfig r) {
    r.post("/edge/v1/sites/{site}/heartbeat", this::heartbeat);
    r.get("/v1/fleet/sites", this::list);
    r.get("/v1/fleet/sites/{code}", this::detail);
    r.get("/v1/fleet/drain", ctx -> ctx.json(gate.snapshot()));
  }

  private void heartbeat(Context ctx) {
    String site = ctx.pathParam("site");
    HeartbeatV1 hb = codec.read(web.bytes(ctx));
    validate(site, hb);
    requireSite(site);
    Instant now = clock.instant();
    long skewMs = Duration.between(hb.sentAt(), now).toMillis();
    long backlog = 0;
    if (hb.outbox() != null) {
      for (HeartbeatV1.LaneBacklog b : hb.outbox().values()) {
        backlog += b.depth();
      }
    }
    gate.reportBacklog(site, backlog);
    DrainGate.Position p = gate.position(site);
    buffer.put(site, new HeartbeatBuffer.Received(hb, now, skewMs, p.place(), p.etaSeconds(), 1));
    byte[] ack = HeartbeatCodec.write(new HeartbeatAckV1(now, buffer.feedRev(), p.place(), p.etaSeconds()));
    // straight to the servlet response: a few dozen bytes need neither Javalin's result stream (an
    // 8 KiB copy buffer per request), nor compression, nor an ETag
    var res = ctx.res();
    res.setContentType("application/json");
    res.setContentLength(ack.length);
    try {
      res.getOutputStream().write(ack);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("heartbeat answer not sent to site " + site, e);
    }
  }

  private void list(Context ctx) {
    String state = ctx.queryParam("state");
    if (state != null && !FleetStore.STATES.contains(state)) {
      throw new ApiException(400, "INVALID_INPUT", "state", "state must be one of " + FleetStore.STATES);
    }
    long limit = CloudHttp.longParam(ctx, "limit", 100);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ApiException(400, "INVALID_INPUT", "limit", "limit must be 1-" + MAX_LIMIT + " (was " + limit + ")");
    }
    ctx.json(store.list(state, ctx.queryParam("after"), (int) limit, clock.instant()));
  }

  private void detail(Context ctx) {
    String code = ctx.pathParam("code");
    ctx.json(store.detail(code, clock.instant(), TRANSITIONS_SHOWN)
        .orElseThrow(() -> unknown(code)));
  }

  private void requireSite(String code) {
    if (knownSites.contains(code)) {
      return;
    }
    if (!sitesLoaded) {
      loadSites();
      if (knownSites.contains(code)) {
        return;
      }
    }
    if (!store.siteExists(code)) {
      throw unknown(code);
    }
    knownSites.add(code); // sites are never deleted (only deactivated), so a positive answer can be kept
  }

  /**
   * Every site code in one query, the first time a heartbeat comes: a replica that starts under a
   * fleet of thousands would otherwise ask the database once per site in its first seconds, and
   * fall behind the offered rate there. A site registered later is looked up on its first heartbeat.
   */
  private synchronized void loadSites() {
    if (!sitesLoaded) {
      knownSites.addAll(store.siteCodes());
      sitesLoaded = true;
    }
  }

  private static ApiException unknown(String code) {
    return new ApiException(404, "NOT_FOUND", "site", "no site " + code);
  }

  /** Refuses a heartbeat that could not have come from a sane agent, naming the field. */
  static void validate(String site, HeartbeatV1 hb) {
    if (hb.siteCode() == null) {
      throw bad("siteCode", "siteCode is required");
    }
    if (!hb.siteCode().equals(site)) {
      throw bad("siteCode", "siteCode " + hb.siteCode() + " does not match the URL's site " + site);
    }
    if (hb.version() == null || hb.version().isBlank() || hb.version().length() > 64) {
      throw bad("version", "version is required (1-64 characters)");
    }
    if (hb.configVersion() != null && hb.configVersion().length() > 64) {
      throw bad("configVersion", "configVersion must be at most 64 characters");
    }
    if (hb.sentAt() == null) {
      throw bad("sentAt", "sentAt is required");
    }
    if (hb.startedAt() == null) {
      throw bad("startedAt", "startedAt is required");
    }
    nonNegative("uptimeSeconds", hb.uptimeSeconds());
    nonNegative("rev", hb.rev());
    nonNegative("diskFreeBytes", hb.diskFreeBytes());
    nonNegative("heapUsedBytes", hb.heapUsedBytes());
    nonNegative("rssBytes", hb.rssBytes());
    if (hb.outbox() != null) {
      for (Map.Entry<Lane, HeartbeatV1.LaneBacklog> e : hb.outbox().entrySet()) {
        String f = "outbox." + e.getKey();
        if (e.getValue() == null) {
          throw bad(f, f + " must be an object");
        }
        nonNegative(f + ".depth", e.getValue().depth());
        nonNegative(f + ".oldestAgeSeconds", e.getValue().oldestAgeSeconds());
        nonNegative(f + ".dropped", e.getValue().dropped());
      }
    }
  }

  private static void nonNegative(String field, long v) {
    if (v < 0) {
      throw bad(field, field + " must be >= 0 (was " + v + ")");
    }
  }

  private static ApiException bad(String field, String detail) {
    return new ApiException(400, "INVALID_INPUT", field, detail);
  }
}
