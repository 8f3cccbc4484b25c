package io.tms.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.agent.security.EdgeAuditLog;
import io.tms.agent.security.Terminal;
import io.tms.agent.security.TerminalCredentials;
import io.tms.agent.store.WriteContext;
import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The terminal API's side of site security: every {@code /v1} call must present an active terminal
 * credential ({@code Authorization: Bearer <secret>}), checked from memory before anything else
 * (401 otherwise); manual actions are written to the site's audit log under the calling terminal.
 * {@code /livez}, {@code /readyz}, {@code /metrics} and {@code /openapi.json} stay open: probes and
 * the scraper carry no credential, and none of them reveals a driver, load or BOL.
 */
public final class TerminalSecurity {
  static final String TERMINAL = "tms.terminal";

  private final TerminalCredentials credentials;
  private final EdgeAuditLog audit;
  private final Jdbi reader;
  private final ObjectMapper json;

  public TerminalSecurity(TerminalCredentials credentials, EdgeAuditLog audit, Jdbi reader, ObjectMapper json) {
    this.credentials = credentials;
    this.audit = audit;
    this.reader = reader;
    this.json = json;
  }

  void register(RoutesConfig r) {
    r.before("/v1/*", ctx -> ctx.attribute(TERMINAL, authenticate(ctx)));
    r.get("/v1/audit", ctx -> ctx.json(reader.withHandle(h -> audit.list(h,
        Params.nonNegative(ctx, "afterSeq", 0), (int) Math.min(500, Params.nonNegative(ctx, "limit", 100))))));
    r.get("/v1/audit/verify", ctx -> {
      EdgeAuditLog.Verification v = reader.withHandle(audit::verify);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("intact", v.intact());
      answer.put("entries", v.entries());
      answer.put("firstBadSeq", v.intact() ? null : v.firstBad());
      answer.put("lastHash", v.lastHash());
      ctx.json(answer);
    });
    r.exception(Unauthenticated.class, (e, ctx) -> {
      ctx.header("WWW-Authenticate", CHALLENGE);
      ctx.status(401).contentType(Problem.CONTENT_TYPE).result(write(problem(e)));
    });
  }

  private Terminal authenticate(Context ctx) {
    return authenticate(ctx.header("Authorization"));
  }

  /** The terminal whose credential this {@code Authorization} header carries; {@link Unauthenticated} otherwise. */
  Terminal authenticate(String header) {
    if (header == null) {
      throw new Unauthenticated("a terminal credential is required: Authorization: Bearer <secret>");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Unauthenticated("Authorization must be Bearer <secret>");
    }
    return credentials.verify(header.substring(7).strip())
        .orElseThrow(() -> new Unauthenticated("unknown or deactivated terminal credential"));
  }

  /** The problem a call without a valid credential gets, with {@link #CHALLENGE} as its {@code WWW-Authenticate}. */
  static Problem problem(Unauthenticated e) {
    return Problem.of(401, "UNAUTHENTICATED", "Authorization", e.getMessage());
  }

  static final String CHALLENGE = "Bearer realm=\"tms-terminal\"";

  /** The terminal that made this (authenticated) call. */
  static Terminal terminal(Context ctx) {
    Terminal t = ctx.attribute(TERMINAL);
    if (t == null) {
      throw new IllegalStateException("no terminal on an authenticated route");
    }
    return t;
  }

  /** Records a manual action in the audit log, inside the unit of work that did it. */
  void audit(WriteContext w, Terminal terminal, String operator, String action, String subject,
      Map<String, ?> detail) {
    audit.record(w, terminal, operator, action, subject, write(detail));
  }

  /** An optional free-text field (an operator's name): 1-64 characters without control characters. */
  static String optionalText(String field, String value) {
    if (value != null) {
      Bodies.text(field, value);
    }
    return value;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A call without an active terminal credential. */
  static final class Unauthenticated extends RuntimeException {
    Unauthenticated(String message) {
      super(message);
    }
  }

  /** Query parameters of the audit routes. */
  static final class Params {
    private Params() {}

    static long nonNegative(Context ctx, String name, long dflt) {
      String v = ctx.queryParam(name);
      if (v == null) {
        return dflt;
      }
      try {
        long n = Long.parseLong(v);
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new DomainException(ErrorCode.INVALID_INPUT, name, name + " must be a non-negative integer");
    }
  }
}
