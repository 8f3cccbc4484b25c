package io.tms.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's HTTP server: one Javalin app on virtual threads with the error handling every route
 * shares (problem+json, 4xx for bad input, never a stack trace), health, metrics and the OpenAPI
 * document. Each part of the service adds its routes through a {@code Consumer<RoutesConfig>}.
 */
public final class CloudHttp {
  private static final Logger log = LoggerFactory.getLogger(CloudHttp.class);

  /**
   * Connections a listening port holds before they are accepted. Jetty's default (0) leaves it to
   * the JDK, which asks the kernel for 50: when a reconnect storm opened a few hundred connections
   * at once, the kernel dropped the SYNs past 50 and those clients tried again after TCP's initial
   * retransmission timeout, one second — the storm's ~1 s heartbeat stalls. The kernel caps it at
   * {@code net.core.somaxconn} (4096 by default since Linux 5.4).
   */
  public static final int ACCEPT_QUEUE = 1024;

  private final ObjectMapper json;
  private final PrometheusMeterRegistry metrics;
  private final int maxBodyBytes;
  private final java.util.concurrent.ConcurrentHashMap<TimerKey, Timer> timers =
      new java.util.concurrent.ConcurrentHashMap<>();

  public CloudHttp(ObjectMapper json, PrometheusMeterRegistry metrics, int maxBodyBytes) {
    this.json = json;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  public Javalin create(BooleanSupplier ready, List<Consumer<RoutesConfig>> parts) {
    return Javalin.create(config -> configure(config, ready, parts));
  }

  /** As {@link #create(BooleanSupplier, List)}, then {@code extra} adjusts the server (e.g. a TLS connector). */
  public Javalin create(BooleanSupplier ready, List<Consumer<RoutesConfig>> parts, Consumer<JavalinConfig> extra) {
    return Javalin.create(config -> {
      configure(config, ready, parts);
      extra.accept(config);
    });
  }

  private void configure(JavalinConfig config, BooleanSupplier ready, List<Consumer<RoutesConfig>> parts) {
    config.concurrency.useVirtualThreads = true;
    config.startup.showJavalinBanner = false;
    config.http.maxRequestSize = maxBodyBytes;
    config.jsonMapper(new JavalinJackson(json, true));
    // refusals by Jetty itself (e.g. %00 in a path) answer problem+json too
    config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler(json)));
    // every listening port (the plain one and the sites' mTLS one) with a deep accept queue, set as
    // the server starts, when every connector has been added and none is bound yet
    config.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        for (Connector c : server.getConnectors()) {
          if (c instanceof ServerConnector listening) {
            listening.setAcceptQueueSize(ACCEPT_QUEUE);
          }
        }
      }
    }));
    config.requestLogger.http((ctx, ms) -> {
      var matched = ctx.endpoints().matchedHttpEndpoint();
      timer(ctx.method().name(), matched == null ? "unmatched" : matched.path, ctx.status().getCode())
          .record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS);
    });

    RoutesConfig r = config.routes;
    r.get("/livez", ctx -> ctx.result("ok"));
    r.get("/readyz", ctx -> {
      boolean ok = ready.getAsBoolean();
      ctx.status(ok ? 200 : 503).result(ok ? "ready" : "not ready");
    });
    r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    byte[] openApi = openApi();
    r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    parts.forEach(p -> p.accept(r));

    r.exception(ApiException.class, (e, ctx) -> {
      e.headers().forEach(ctx::header);
      problem(ctx, e.problem());
    });
    r.exception(DomainException.class, (e, ctx) ->
        problem(ctx, Problem.of(status(e.code()), e.code().name(), e.field(), e.getMessage())));
    r.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, Problem.of(e.getStatus(),
        e.getStatus() == 413 ? "BODY_TOO_LARGE" : "HTTP_" + e.getStatus(), null, e.getMessage())));
    r.exception(Exception.class, (e, ctx) -> {
      log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
      problem(ctx, Problem.of(500, "INTERNAL", null, "internal error; the request may be retried"));
    });
    r.error(404, ctx -> {
      if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
        problem(ctx, Problem.of(404, "NOT_FOUND", null, "no route " + ctx.method() + " " + ctx.path()));
      }
    });
    r.error(405, ctx -> problem(ctx, Problem.of(405, "METHOD_NOT_ALLOWED", null, ctx.method() + " is not allowed here")));
  }

  /**
   * The request timer of a method, route and status, built once: building and registering one per
   * request (tags, histogram, a registry lookup) was a visible part of a heartbeat's cost.
   */
  private Timer timer(String method, String route, int status) {
    TimerKey key = new TimerKey(method, route, status);
    Timer known = timers.get(key);
    if (known != null) {
      return known;
    }
    return timers.computeIfAbsent(key, k -> Timer.builder("tms_cloud_http_requests")
        .tag("method", k.method())
        .tag("route", k.route())
        .tag("status", Integer.toString(k.status()))
        .publishPercentileHistogram()
        .register(metrics));
  }

  private record TimerKey(String method, String route, int status) {}

  /** The merged OpenAPI document, read once at start-up (a broken fragment stops the start). */
  private byte[] openApi() {
    try {
      return json.writeValueAsBytes(OpenApiDocument.load(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The one table from domain error codes to HTTP statuses. */
  public static int status(ErrorCode code) {
    return switch (code) {
      case INVALID_INPUT -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case RULE_VIOLATED, IDEMPOTENCY_KEY_REUSED -> 422;
      case UNAVAILABLE -> 503;
    };
  }

  /** Reads and parses a JSON body, answering 400 naming the field or 413 when it is too large. */
  public <B> B body(Context ctx, Class<B> type) {
    return parse(bytes(ctx), type);
  }

  /** The raw body, refused with 413 over the limit. */
  public byte[] bytes(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw new HttpResponseException(413, "body of " + declared + " bytes exceeds the limit of " + maxBodyBytes);
    }
    byte[] raw;
    if (declared > 0) {
      // straight into an array of the declared length: bodyAsBytes grows a buffer from a few KiB and
      // copies it once more at the end, twice a 2 MiB uplink batch in copies
      raw = new byte[(int) declared];
      try {
        int n = ctx.req().getInputStream().readNBytes(raw, 0, raw.length);
        if (n < raw.length) {
          throw new ApiException(400, "INVALID_INPUT", null, "body ended after " + n + " of its " + declared + " bytes");
        }
      } catch (java.io.IOException e) {
        throw new ApiException(400, "INVALID_INPUT", null, "body could not be read: " + e.getMessage());
      }
    } else {
      raw = ctx.bodyAsBytes();
    }
    if (raw.length > maxBodyBytes) {
      throw new HttpResponseException(413, "body exceeds the limit of " + maxBodyBytes + " bytes");
    }
    return raw;
  }

  /** Parses JSON into {@code type}; every failure is a 400 that names the field where it can. */
  public <B> B parse(byte[] raw, Class<B> type) {
    if (raw.length == 0) {
      throw new ApiException(400, "INVALID_INPUT", null, "a JSON body is required");
    }
    try {
      B body = json.readValue(raw, type);
      if (body == null) {
        throw new ApiException(400, "INVALID_INPUT", null, "a JSON object is required");
      }
      return body;
    } catch (UnrecognizedPropertyException e) {
      throw new ApiException(400, "INVALID_INPUT", path(e), "unknown field " + e.getPropertyName());
    } catch (JsonMappingException e) {
      String field = path(e);
      throw new ApiException(400, "INVALID_INPUT", field, (field == null ? "body" : field) + ": wrong type or shape");
    } catch (StreamConstraintsException e) {
      // nesting deeper than Jackson allows (1000), a number or string too long: no location to name
      throw new ApiException(400, "INVALID_INPUT", null, "JSON too deep or too long: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "INVALID_INPUT", null, e.getLocation() == null ? "malformed JSON"
          : "malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw new ApiException(400, "INVALID_INPUT", null, "unreadable body");
    }
  }

  private static String path(JsonMappingException e) {
    String p = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
    return p.isEmpty() ? null : p;
  }

  /** A non-negative integer query parameter, or {@code dflt} when absent; 400 naming it otherwise. */
  public static long longParam(Context ctx, String name, long dflt) {
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
      throw new DomainException(ErrorCode.INVALID_INPUT, name, name + " must be a non-negative integer");
    }
  }

  public void problem(Context ctx, Problem p) {
    try {
      ctx.status(p.status()).contentType(Problem.CONTENT_TYPE).result(json.writeValueAsString(p));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public ObjectMapper json() {
    return json;
  }
}
