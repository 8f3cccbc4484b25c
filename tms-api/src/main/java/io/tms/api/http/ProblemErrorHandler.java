package io.tms.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers — requests refused before any route sees them, such as a path with
 * {@code %00} or an ambiguous encoded separator — as {@code application/problem+json} like every
 * other refusal of the cloud, instead of Jetty's HTML page. Thread-safe.
 */
final class ProblemErrorHandler extends ErrorHandler {
  private final ObjectMapper json;

  ProblemErrorHandler(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    Problem p = Problem.of(code, code >= 500 ? "INTERNAL" : "HTTP_" + code, null,
        code >= 500 ? "internal error; the request may be retried" : "the request was refused by the HTTP layer");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
    response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(p)), callback);
  }
}
