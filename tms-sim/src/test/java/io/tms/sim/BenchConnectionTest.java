package io.tms.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The bench terminals' HTTP connection against the JDK's HTTP server on loopback. */
class BenchConnectionTest {

  @Test
  void sendsEveryHeaderAndFindsTheFieldsOfFixedLengthAndChunkedAnswersOnOneConnection() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Integer> remotePorts = new CopyOnWriteArrayList<>();
    String padding = "x".repeat(40_000); // larger than the connection's first read buffer
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      var h = ex.getRequestHeaders();
      seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + h.getFirst("Authorization") + " "
          + h.getFirst("Idempotency-Key") + " " + h.getFirst("Content-Type") + " " + body);
      remotePorts.add(ex.getRemoteAddress().getPort());
      boolean chunked = ex.getRequestURI().getPath().endsWith("/chunked");
      byte[] answer = ("{\"approved\":true,\"pad\":\"" + (chunked ? padding : "") + "\",\"loadId\":\"L-"
          + seen.size() + "\",\"nested\":{\"x\":1},\"approvedLater\":false}").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(201, chunked ? 0 : answer.length);
      ex.getResponseBody().write(answer);
      ex.close();
    });
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    try (BenchConnection c = new BenchConnection(base, "secret-1")) {
      AsciiBuffer id = new AsciiBuffer(8);
      for (int i = 1; i <= 4; i++) {
        String path = i % 2 == 0 ? "/v1/chunked" : "/v1/fixed";
        AsciiBuffer body = new AsciiBuffer(4).append("{\"n\":").append(i).append('}');
        int status = c.post(new AsciiBuffer(4).append(path), body, new AsciiBuffer(4).append("key-").append(i));

        assertThat(status).isEqualTo(201);
        assertThat(c.isTrue(BenchConnection.field("approved"))).isTrue();
        assertThat(c.isTrue(BenchConnection.field("approvedLater"))).isFalse();
        assertThat(c.stringField(BenchConnection.field("loadId"), id.clear())).isTrue();
        assertThat(id.toString()).isEqualTo("L-" + i);
        assertThat(c.stringField(BenchConnection.field("nested"), id.clear())).isFalse();
        assertThat(c.stringField(BenchConnection.field("absent"), id.clear())).isFalse();
        assertThat(c.body()).endsWith("\"approvedLater\":false}");
        assertThat(seen.get(i - 1))
            .isEqualTo("POST " + path + " Bearer secret-1 key-" + i + " application/json {\"n\":" + i + "}");
      }
    } finally {
      server.stop(0);
    }
    assertThat(remotePorts).as("one kept-alive connection").hasSize(4).containsOnly(remotePorts.get(0));
  }

  @Test
  void writesTenthsAndNumbersAsDoubleAndLongToStringDo() {
    assertThat(new AsciiBuffer(1).appendTenths(49_877).toString()).isEqualTo(Double.toString(4987.7));
    assertThat(new AsciiBuffer(1).appendTenths(40).toString()).isEqualTo(Double.toString(4.0));
    assertThat(new AsciiBuffer(1).appendTenths(0).toString()).isEqualTo(Double.toString(0.0));
    assertThat(new AsciiBuffer(1).append(Long.MAX_VALUE).append(',').append(-12).append(',').append(0).toString())
        .isEqualTo(Long.MAX_VALUE + ",-12,0");
  }
}
