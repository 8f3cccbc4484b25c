package io.tms.agent.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before any route sees them (a malformed request line, an
 * ambiguous or NUL-encoded path) as {@code application/problem+json} too, instead of Jetty's HTML
 * page: every refusal of this server has the same shape, and none echoes the request.
 */
public final class ProblemErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {

  static byte[] body(int status) {
    String code = status == 413 ? "BODY_TOO_LARGE" : status < 500 ? "INVALID_REQUEST" : "INTERNAL";
    String detail = status < 500 ? "the request was refused before it reached a route (malformed request or path)"
        : "internal error";
    return ("{\"type\":\"urn:tms:problem:" + code.toLowerCase().replace('_', '-') + "\",\"title\":\""
        + (status < 500 ? "Bad Request" : "Internal Server Error") + "\",\"status\":" + status + ",\"detail\":\""
        + detail + "\",\"code\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
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
