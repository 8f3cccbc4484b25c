package io.tms.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.tms.agent.SiteMetrics;
import io.tms.agent.pdf.BolPdf;
import io.tms.agent.service.BolDocument;
import io.tms.agent.service.InventoryService;
import io.tms.agent.service.LoadingService;
import io.tms.agent.service.Recorded;
import io.tms.agent.service.SiteQueries;
import io.tms.agent.store.IdempotencyStore;
import io.tms.agent.store.WriteContext;
import io.tms.agent.store.WriteQueue;
import io.tms.domain.DomainException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal API routes (v1) plus health, metrics and the OpenAPI document. Mutations run as
 * units of work in the site writer; an {@code Idempotency-Key} makes a retry return the first
 * answer. Reads go to {@link SiteQueries}.
 */
public final class TerminalApi {
  private static final Logger log = LoggerFactory.getLogger(TerminalApi.class);
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final ObjectMapper json;
  private final WriteQueue writer;
  private final LoadingService loading;
  private final InventoryService inventory;
  private final SiteQueries queries;
  private final SiteMetrics metrics;
  private final Supplier<Map<String, Object>> status;
  private final BooleanSupplier ready;
  private final int maxBodyBytes;
  private final TerminalSecurity security;
  private final IdempotencyStore idempotency = new IdempotencyStore();
  private final BolPdf pdf = new BolPdf();
  /** One reader per body type, built once (the mapper looks its deserializer up on every call). */
  private final Map<Class<?>, com.fasterxml.jackson.databind.ObjectReader> readers =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The load cycle's writes, shared by the Javalin routes and {@link LoadCycleHandler}. */
  private final CycleWrite authorize;
  private final CycleWrite startLoad;
  private final CycleWrite completeLoad;

  public TerminalApi(
      ObjectMapper json, WriteQueue writer, LoadingService loading, InventoryService inventory, SiteQueries queries,
      SiteMetrics metrics, Supplier<Map<String, Object>> status, BooleanSupplier ready, int maxBodyBytes,
      TerminalSecurity security) {
    this.json = json;
    this.writer = writer;
    this.loading = loading;
    this.inventory = inventory;
    this.queries = queries;
    this.metrics = metrics;
    this.status = status;
    this.ready = ready;
    this.maxBodyBytes = maxBodyBytes;
    this.security = security;
    this.authorize = (raw, key, id) -> mutate(raw, key, "authorize", 201, Bodies.Authorize.class,
        b -> loading.precheckPin(b.toRequest()), (w, b) -> loading.authorize(w, b.toRequest()));
    this.startLoad = (raw, key, id) -> mutate(raw, key, "start-load", 201, Bodies.StartLoadBody.class, b -> { },
        (w, b) -> loading.startLoad(w, b.toCommand()));
    this.completeLoad = (raw, key, loadId) -> mutate(raw, key, "complete-load:" + loadId, 201,
        Bodies.CompleteLoadBody.class, b -> { }, (w, b) -> loading.completeLoad(w, loadId, b.toReadings()));
  }

  /** Builds the Javalin app; the caller starts it on a host and port. */
  public Javalin create() {
    return Javalin.create(this::configure);
  }

  private void configure(JavalinConfig config) {
    config.concurrency.useVirtualThreads = true;
    config.startup.showJavalinBanner = false;
    config.http.maxRequestSize = maxBodyBytes;
    config.jetty.modifyServer(server -> {
      server.setErrorHandler(new ProblemErrorHandler());
      // in front of Javalin (which Javalin attaches inside it): the load cycle's three writes
      server.insertHandler(new LoadCycleHandler(
          authorize, startLoad, completeLoad, security, metrics, maxBodyBytes, this::failure, json));
    });
    config.jsonMapper(new JavalinJackson(json, true));
    config.requestLogger.http((ctx, ms) -> {
      var matched = ctx.endpoints().matchedHttpEndpoint();
      metrics.request(ctx.method().name(), matched == null ? "unmatched" : matched.path, ctx.status().getCode(),
          (long) (ms * 1_000_000));
    });

    var r = config.routes;
    r.get("/livez", ctx -> ctx.result("ok"));
    r.get("/readyz", ctx -> {
      boolean ok = ready.getAsBoolean();
      ctx.status(ok ? 200 : 503).result(ok ? "ready" : "not ready");
    });
    r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    r.get("/openapi.json", ctx -> {
      try (InputStream in = TerminalApi.class.getResourceAsStream("/openapi/terminal-api.json")) {
        ctx.contentType("application/json").result(in.readAllBytes());
      }
    });

    security.register(r); // every /v1 call needs a terminal credential; the routes above stay open
    // normally answered by LoadCycleHandler before Javalin; these take what it leaves (chunked or
    // oversized bodies), with the same code
    r.post("/v1/authorizations", ctx -> answer(ctx, authorize.answer(readBody(ctx), ctx.header(IDEMPOTENCY_KEY), null)));
    r.get("/v1/authorizations/{id}", ctx -> ctx.json(found(queries.authorization(ctx.pathParam("id")), "authorization")));

    r.post("/v1/loads", ctx -> answer(ctx, startLoad.answer(readBody(ctx), ctx.header(IDEMPOTENCY_KEY), null)));
    r.get("/v1/loads/{id}", ctx -> ctx.json(found(queries.load(ctx.pathParam("id")), "load")));
    r.post("/v1/loads/{id}/complete", ctx ->
        answer(ctx, completeLoad.answer(readBody(ctx), ctx.header(IDEMPOTENCY_KEY), ctx.pathParam("id"))));
    r.post("/v1/loads/{id}/cancel", ctx -> {
      String loadId = ctx.pathParam("id");
      var terminal = TerminalSecurity.terminal(ctx);
      mutate(ctx, "cancel-load:" + loadId, 200, Bodies.CancelBody.class, Bodies.CancelBody::validate, (w, b) -> {
        String reason = b.reason() == null ? "cancelled at the bay" : b.reason();
        var cancelled = loading.cancelLoad(w, loadId, reason);
        security.audit(w, terminal, b.operator(), "load.cancelled", "load:" + loadId, Map.of("reason", reason));
        return cancelled;
      });
    });

    r.get("/v1/bols", ctx -> ctx.json(queries.bols(
        longParam(ctx, "afterSeq", 0), (int) Math.min(500, longParam(ctx, "limit", 100)))));
    r.get("/v1/bols/{number}", ctx -> ctx.json(bol(ctx.pathParam("number"))));
    r.get("/v1/bols/{number}/pdf", ctx -> {
      BolDocument doc = bol(ctx.pathParam("number"));
      ctx.contentType("application/pdf")
          .header("Content-Disposition", "inline; filename=\"" + doc.bolNumber() + ".pdf\"")
          .result(pdf.render(doc.toBillOfLading(), doc.siteName(), java.time.ZoneId.of(doc.siteZone()), doc.productNames(),
              doc.customerNames()));
    });

    r.get("/v1/bays", ctx -> ctx.json(queries.bays()));
    r.get("/v1/tanks", ctx -> ctx.json(queries.tanks()));
    r.post("/v1/tanks/{id}/gauge-readings", ctx -> {
      String tankId = ctx.pathParam("id");
      var terminal = TerminalSecurity.terminal(ctx);
      mutate(ctx, "gauge:" + tankId, 201, Bodies.GaugeBody.class, Bodies.GaugeBody::validate, (w, b) -> {
        var reading = inventory.recordGauge(
            w, tankId, b.grossGallons(), b.waterGallons() == null ? 0 : b.waterGallons(), b.temperatureF(), b.readAt());
        var detail = new java.util.LinkedHashMap<String, Object>();
        detail.put("grossGallons", b.grossGallons());
        detail.put("waterGallons", b.waterGallons() == null ? 0 : b.waterGallons());
        detail.put("temperatureF", b.temperatureF());
        security.audit(w, terminal, b.operator(), "gauge.entered", "tank:" + tankId, detail);
        return reading;
      });
    });
    r.post("/v1/tanks/{id}/receipts", ctx -> {
      String tankId = ctx.pathParam("id");
      var terminal = TerminalSecurity.terminal(ctx);
      mutate(ctx, "receipt:" + tankId, 201, Bodies.ReceiptBody.class, Bodies.ReceiptBody::validate, (w, b) -> {
        var moved = inventory.receive(w, tankId, b.sourceValue(), b.netGallons(), b.receivedAt());
        var detail = new java.util.LinkedHashMap<String, Object>();
        detail.put("receipt", moved.reference());
        detail.put("source", b.sourceValue().name());
        detail.put("netGallons", moved.deltaNetGallons());
        if (b.ticket() != null) {
          detail.put("ticket", b.ticket());
        }
        security.audit(w, terminal, b.operator(), "tank.received", "tank:" + tankId, detail);
        return moved;
      });
    });
    r.post("/v1/cards/{card}/unlock", ctx -> {
      String card = ctx.pathParam("card");
      var terminal = TerminalSecurity.terminal(ctx);
      mutate(ctx, "unlock:" + card, 200, Bodies.UnlockBody.class,
          b -> TerminalSecurity.optionalText("operator", b.operator()), (w, b) -> {
            var unlocked = loading.unlockCard(w, card, b.operator() == null ? "site-operator" : b.operator());
            security.audit(w, terminal, b.operator(), "card.unlocked", "card:" + card, Map.of());
            return unlocked;
          });
    });
    r.get("/v1/status", ctx -> ctx.json(status.get()));

    // each type by name: Javalin answers an HttpResponseException itself (text/plain) unless a
    // handler names that very class
    r.exception(DomainException.class, this::problem);
    r.exception(BadJson.class, this::problem);
    r.exception(HttpResponseException.class, this::problem);
    r.exception(Exception.class, this::problem);
    r.error(404, ctx -> {
      if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
        problem(ctx, 404, "NOT_FOUND", null, "no route " + ctx.method() + " " + ctx.path());
      }
    });
    r.error(405, ctx -> problem(ctx, 405, "METHOD_NOT_ALLOWED", null, ctx.method() + " is not allowed here"));
  }

  /**
   * The problem a failed request is answered with (a domain code's status, 400 for a body that is
   * not the expected JSON, 500 logged for anything unexpected): one mapping for the Javalin routes
   * and {@link LoadCycleHandler}.
   */
  Problem failure(Throwable e, String method, String path) {
    if (e instanceof DomainException d) {
      return Problem.of(ErrorStatus.of(d.code()), d.code().name(), d.field(), d.getMessage());
    }
    if (e instanceof BadJson b) {
      return Problem.of(400, "INVALID_INPUT", b.field, b.getMessage());
    }
    if (e instanceof HttpResponseException h) {
      return Problem.of(h.getStatus(), h.getStatus() == 413 ? "BODY_TOO_LARGE" : "HTTP_" + h.getStatus(), null,
          h.getMessage());
    }
    log.error("unhandled error on {} {}", method, path, e);
    return Problem.of(500, "INTERNAL", null, "internal error; the request may be retried with the same Idempotency-Key");
  }

  /** A write of the load cycle: the answer to a raw body, its Idempotency-Key (or null) and the path's id. */
  @FunctionalInterface
  interface CycleWrite {
    IdempotencyStore.Stored answer(byte[] raw, String idempotencyKey, String pathId);
  }

  private void answer(Context ctx, IdempotencyStore.Stored answer) {
    ctx.status(answer.status()).contentType("application/json").result(answer.responseJson());
  }

  /**
   * Parses and validates the body, runs the work in the writer and answers. With an
   * Idempotency-Key, the first answer is stored in the same transaction and any retry gets it back.
   */
  private <B> void mutate(Context ctx, String operation, int status, Class<B> bodyType, Work<B> work) {
    mutate(ctx, operation, status, bodyType, b -> { }, work);
  }

  /** As above, with {@code before} run on the request thread first (slow, side-effect-free work). */
  private <B> void mutate(
      Context ctx, String operation, int status, Class<B> bodyType, java.util.function.Consumer<B> before,
      Work<B> work) {
    answer(ctx, mutate(readBody(ctx), ctx.header(IDEMPOTENCY_KEY), operation, status, bodyType, before, work));
  }

  private <B> IdempotencyStore.Stored mutate(
      byte[] raw, String key, String operation, int status, Class<B> bodyType, java.util.function.Consumer<B> before,
      Work<B> work) {
    B body = parse(raw, bodyType);
    before.accept(body);
    if (key != null) {
      Bodies.text(IDEMPOTENCY_KEY, key);
    }
    String requestHash = key == null ? null : sha256(raw);
    return writer.write(w -> {
      if (key != null) {
        var earlier = idempotency.find(w, key, operation, requestHash);
        if (earlier.isPresent()) {
          return earlier.get();
        }
      }
      Object result = work.run(w, body);
      String text = result instanceof Recorded<?> recorded ? recorded.json() : write(result);
      String bol = result instanceof Recorded<?> recorded && recorded.value() instanceof BolDocument doc
          ? doc.bolNumber() : null;
      String authorization = result instanceof Recorded<?> recorded
          && recorded.value() instanceof io.tms.protocol.v1.AuthorizationDecidedV1 decided
          ? decided.authorizationId() : null; // its stored decision is the answer (LoadingService.authorize)
      IdempotencyStore.Stored fresh = new IdempotencyStore.Stored(status, text, bol, authorization);
      if (key != null) {
        idempotency.remember(w, key, operation, requestHash, fresh);
      }
      return fresh;
    });
  }

  @FunctionalInterface
  private interface Work<B> {
    Object run(WriteContext ctx, B body);
  }

  /**
   * The body, never more than the limit: refused on a declared {@code Content-Length} over it before
   * a byte is read, and a chunked body is read only until it crosses the limit, so a client
   * streaming without end gets its 413 at that point (the connection is then closed, not drained).
   * {@code OversizedBodyTest} holds both to this on a raw socket.
   */
  private byte[] readBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw new HttpResponseException(413, "body of " + declared + " bytes exceeds the limit of " + maxBodyBytes);
    }
    byte[] raw;
    try {
      raw = ctx.bodyAsBytes(); // Javalin reads up to http.maxRequestSize (= the limit) and 413s past it
    } catch (HttpResponseException e) {
      throw e;
    } catch (Exception e) { // broken framing (a bad chunk, a body cut short): the client's fault, not ours
      throw new BadJson(null, "the body could not be read: " + e.getMessage());
    }
    if (raw.length > maxBodyBytes) {
      throw new HttpResponseException(413, "body exceeds the limit of " + maxBodyBytes + " bytes");
    }
    return raw;
  }

  private <B> B parse(byte[] raw, Class<B> type) {
    if (raw.length == 0) {
      throw new BadJson(null, "a JSON body is required");
    }
    try {
      B body = readers.computeIfAbsent(type, json::readerFor).readValue(raw);
      if (body == null) {
        throw new BadJson(null, "a JSON object is required");
      }
      return body;
    } catch (UnrecognizedPropertyException e) {
      throw new BadJson(path(e), "unknown field " + e.getPropertyName());
    } catch (JsonMappingException e) {
      String field = path(e);
      throw new BadJson(field, (field == null ? "body" : field) + ": wrong type or shape");
    } catch (JsonProcessingException e) {
      throw new BadJson(null, "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr());
    } catch (java.io.IOException e) {
      throw new BadJson(null, "unreadable body");
    }
  }

  private static String path(JsonMappingException e) {
    String p = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
    return p.isEmpty() ? null : p;
  }

  private BolDocument bol(String number) {
    return found(queries.bol(number), "BOL");
  }

  private static <T> T found(java.util.Optional<T> value, String what) {
    return value.orElseThrow(() -> new DomainException(io.tms.domain.ErrorCode.NOT_FOUND, null, "no such " + what));
  }

  private static long longParam(Context ctx, String name, long dflt) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new DomainException(io.tms.domain.ErrorCode.INVALID_INPUT, name, name + " must be a non-negative integer");
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void problem(Exception e, Context ctx) {
    Problem p = failure(e, ctx.method().name(), ctx.path());
    ctx.status(p.status()).contentType(Problem.CONTENT_TYPE).result(write(p));
  }

  private void problem(Context ctx, int status, String code, String field, String detail) {
    ctx.status(status).contentType(Problem.CONTENT_TYPE).result(write(Problem.of(status, code, field, detail)));
  }

  // Cloned per request: cheaper than a provider lookup, and requests run on fresh virtual threads.
  private static final MessageDigest SHA256;

  static {
    try {
      SHA256 = MessageDigest.getInstance("SHA-256");
      SHA256.clone();
    } catch (java.security.NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static String sha256(byte[] raw) {
    try {
      return HexFormat.of().formatHex(((MessageDigest) SHA256.clone()).digest(raw));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A body that is not the JSON the route expects. */
  static final class BadJson extends RuntimeException {
    final String field;

    BadJson(String field, String message) {
      super(message);
      this.field = field;
    }
  }

}
