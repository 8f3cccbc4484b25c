package io.tms.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.SiteMetrics;
import io.tms.agent.store.IdempotencyStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The three requests of every load cycle — {@code POST /v1/authorizations}, {@code /v1/loads} and
 * {@code /v1/loads/{id}/complete} — answered by a Jetty handler in front of Javalin, without the
 * servlet layer, the session handler and Javalin's routing, filters and result streams: on the
 * edge's two cores those took about as much CPU per request as everything the agent does for it
 * on the request thread (JFR of {@code tms bench edge}). The same code decides as on the Javalin
 * routes: {@link TerminalSecurity} checks the credential first, {@link TerminalApi}'s writes parse,
 * validate and run the request (idempotency included), {@link TerminalApi#failure} maps a failure
 * to its problem, and each answer is counted in the same request histogram under the same route.
 *
 * <p>Only a plain request takes this path: a POST to exactly one of these paths (a load id of
 * letters, digits, '-' and '_') with a Content-Length within the body limit. Anything else — a
 * chunked, oversized or missing body, an encoded or unusual path, another method — goes on to
 * Javalin, which answers it as it always did. Thread-safe; requests block on the single writer,
 * so they run on Jetty's (virtual) request threads, as Javalin's do.
 */
final class LoadCycleHandler extends Handler.Wrapper {
  private static final String LOADS = "/v1/loads";
  private static final String COMPLETE = "/complete";

  /** The problem a failure is answered with (see {@link TerminalApi#failure}). */
  @FunctionalInterface
  interface Failures {
    Problem of(Throwable e, String method, String path);
  }

  private final TerminalApi.CycleWrite authorize;
  private final TerminalApi.CycleWrite startLoad;
  private final TerminalApi.CycleWrite completeLoad;
  private final TerminalSecurity security;
  private final SiteMetrics metrics;
  private final int maxBodyBytes;
  private final Failures failures;
  private final ObjectMapper json;

  LoadCycleHandler(
      TerminalApi.CycleWrite authorize, TerminalApi.CycleWrite startLoad, TerminalApi.CycleWrite completeLoad,
      TerminalSecurity security, SiteMetrics metrics, int maxBodyBytes, Failures failures, ObjectMapper json) {
    this.authorize = authorize;
    this.startLoad = startLoad;
    this.completeLoad = completeLoad;
    this.security = security;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.failures = failures;
    this.json = json;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long t0 = System.nanoTime();
    if (!"POST".equals(request.getMethod())) {
      return super.handle(request, response, callback);
    }
    long length = request.getLength();
    if (length < 0 || length > maxBodyBytes) {
      return super.handle(request, response, callback);
    }
    String path = request.getHttpURI().getPath();
    TerminalApi.CycleWrite write;
    String route;
    String loadId = null;
    if ("/v1/authorizations".equals(path)) {
      write = authorize;
      route = path;
    } else if (LOADS.equals(path)) {
      write = startLoad;
      route = path;
    } else if ((loadId = completedLoad(path)) != null) {
      write = completeLoad;
      route = "/v1/loads/{id}/complete";
    } else {
      return super.handle(request, response, callback);
    }

    int status;
    String contentType;
    byte[] answer;
    try {
      security.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      IdempotencyStore.Stored stored =
          write.answer(body(request, (int) length), request.getHeaders().get(TerminalApi.IDEMPOTENCY_KEY), loadId);
      status = stored.status();
      contentType = "application/json";
      answer = stored.responseJson().getBytes(StandardCharsets.UTF_8);
    } catch (TerminalSecurity.Unauthenticated e) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, TerminalSecurity.CHALLENGE);
      status = 401;
      contentType = Problem.CONTENT_TYPE;
      answer = write(TerminalSecurity.problem(e));
    } catch (Exception e) {
      Problem p = failures.of(e, "POST", path);
      status = p.status();
      contentType = Problem.CONTENT_TYPE;
      answer = write(p);
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
    response.write(true, ByteBuffer.wrap(answer), callback);
    metrics.request("POST", route, status, System.nanoTime() - t0);
    return true;
  }

  /** The load id of {@code /v1/loads/{id}/complete}, or null for any other path. */
  static String completedLoad(String path) {
    if (path == null || !path.startsWith(LOADS) || path.length() <= LOADS.length() + 1 + COMPLETE.length()
        || path.charAt(LOADS.length()) != '/' || !path.endsWith(COMPLETE)) {
      return null;
    }
    int from = LOADS.length() + 1;
    int to = path.length() - COMPLETE.length();
    for (int i = from; i < to; i++) {
      char c = path.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return null;
      }
    }
    return path.substring(from, to);
  }

  /**
   * Exactly the declared Content-Length (within the limit, checked by the caller), copied from the
   * connection's buffers straight into an array of that length. ({@code Content.Source.asByteBuffer}
   * first gathered it into a buffer of its own, 4–8 KiB from a non-pooling allocator for a body of a
   * few hundred bytes: 13 % of the agent's allocation at the edge benchmark.)
   */
  private static byte[] body(Request request, int length) {
    byte[] raw = new byte[length];
    int read;
    try {
      java.io.InputStream in = Content.Source.asInputStream(request);
      read = in.readNBytes(raw, 0, length);
      if (read == length && in.read() != -1) {
        throw new java.io.IOException("more than the declared " + length + " bytes");
      }
    } catch (Exception e) { // broken framing or a connection cut: the client's fault, not ours
      throw new TerminalApi.BadJson(null, "the body could not be read: " + e.getMessage());
    }
    if (read != length) {
      throw new TerminalApi.BadJson(null, "the body could not be read: " + read + " of " + length + " bytes");
    }
    return raw;
  }

  private byte[] write(Problem p) {
    try {
      return json.writeValueAsBytes(p);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
