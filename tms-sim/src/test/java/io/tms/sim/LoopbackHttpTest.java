package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The load generator's HTTP client against the JDK's HTTP server on loopback. */
class LoopbackHttpTest {

  @Test
  void readsFixedLengthAndChunkedAnswersOnOneKeptAliveConnection() throws Exception {
    String big = "x".repeat(40_000); // larger than the client's read buffer
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/fixed", ex -> {
      byte[] body = ("{\"echo\":" + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + ","
          + "\"key\":\"" + ex.getRequestHeaders().getFirst("Idempotency-Key") + "\"}").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(201, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.createContext("/chunked", ex -> {
      ex.sendResponseHeaders(200, 0);
      ex.getResponseBody().write(big.getBytes(StandardCharsets.UTF_8));
      ex.close();
    });
    server.start();
    try (LoopbackHttp http = new LoopbackHttp(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))) {
      for (int i = 0; i < 3; i++) {
        LoopbackHttp.Response fixed = http.post("/fixed", "[" + i + ",\"é\"]", "k-" + i);
        assertThat(fixed.status()).isEqualTo(201);
        assertThat(fixed.body()).isEqualTo("{\"echo\":[" + i + ",\"é\"],\"key\":\"k-" + i + "\"}");
        LoopbackHttp.Response chunked = http.get("/chunked");
        assertThat(chunked.status()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo(big);
      }
    } finally {
      server.stop(0);
    }
  }
}
