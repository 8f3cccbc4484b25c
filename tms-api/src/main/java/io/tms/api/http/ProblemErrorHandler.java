package io.tms.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before any route sees them (a malformed request line, an
 * ambiguous or NUL-encoded path) as {@code application/problem+json}, like every other refusal of
 * the service, instead of Jetty's HTML page; none echoes the request.
 */
final class ProblemErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
  private final ObjectMapper json;

  ProblemErrorHandler(ObjectMapper json) {
    this.json = json;
  }

  private byte[] body(int status) {
    Problem p = status >= 500 ? Problem.of(status, "INTERNAL", null, "internal error")
        : Problem.of(status, status == 413 ? "BODY_TOO_LARGE" : "INVALID_REQUEST", null,
            "the request was refused before it reached a route (malformed request or path)");
    try {
      return json.writeValueAsBytes(p);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
    response.write(true, ByteBuffer.wrap(body(code)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
    return ByteBuffer.wrap(body(status));
  }
}
