package io.tms.agent;

import static io.tms.agent.TerminalClient.authorize;
import static io.tms.agent.TerminalClient.complete;
import static io.tms.agent.TerminalClient.intent;
import static io.tms.agent.TerminalClient.reading;
import static io.tms.agent.TerminalClient.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.security.SeedTerminals;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The load cycle's three writes are answered in front of Javalin when they carry a Content-Length
 * (io.tms.agent.http.LoadCycleHandler) and by the Javalin routes otherwise (a chunked body): both
 * ways must give the same answers, share the idempotency records and the credential check, and
 * count in the same request histograms.
 */
class LoadCycleRoutesTest extends AgentTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void a_chunked_retry_of_a_write_gets_the_answer_its_content_length_original_got() throws Exception {
    String body = JSON.writeValueAsString(authorize(TestSite.GOOD_CARD, TestSite.PIN, TestSite.TRUCK,
        intent(1, TestSite.CUSTOMER, TestSite.ULSD)));
    var first = client.post("/v1/authorizations", body, Map.of("Idempotency-Key", "gate-1"));
    assertThat(first.status()).as(first.body()).isEqualTo(201);

    Raw retry = raw("/v1/authorizations", body, "Idempotency-Key: gate-1\r\n", true, true);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.contentType()).isEqualTo("application/json");
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(count("driver_authorization")).isEqualTo(1);

    // the other way round: a chunked first answer, a Content-Length retry
    String authId = first.json().get("authorizationId").asText();
    String startBody = JSON.writeValueAsString(start(authId, "B1", Map.of(1, 1_000L)));
    Raw started = raw("/v1/loads", startBody, "Idempotency-Key: bay-1\r\n", true, true);
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    var again = client.post("/v1/loads", startBody, Map.of("Idempotency-Key", "bay-1"));
    assertThat(again.body()).isEqualTo(started.body());
    assertThat(count("load")).isEqualTo(1);
  }

  @Test
  void bad_input_and_missing_credentials_get_the_same_problems_both_ways() throws Exception {
    for (boolean chunked : new boolean[] {false, true}) {
      Raw bad = raw("/v1/loads", "{\"authorizationId\":\"X\",\"permissives\":{\"groundOk\":true,\"overfillOk\":true},"
          + "\"compartments\":[{\"compartment\":1,\"presetGallons\":-5}]}", "", chunked, true);
      assertThat(bad.status()).as("chunked=" + chunked).isEqualTo(400);
      assertThat(bad.contentType()).isEqualTo("application/problem+json");
      assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("compartments.presetGallons");

      Raw malformed = raw("/v1/loads/L1/complete", "{\"compartments\":[", "", chunked, true);
      assertThat(malformed.status()).as("chunked=" + chunked).isEqualTo(400);
      assertThat(JSON.readTree(malformed.body()).get("code").asText()).isEqualTo("INVALID_INPUT");

      Raw unknownLoad = raw("/v1/loads/L-404/complete", JSON.writeValueAsString(complete(reading(1, 10.0, 60.0))),
          "", chunked, true);
      assertThat(unknownLoad.status()).as("chunked=" + chunked).isEqualTo(404);

      Raw anonymous = raw("/v1/authorizations", "{}", "", chunked, false);
      assertThat(anonymous.status()).as("chunked=" + chunked).isEqualTo(401);
      assertThat(anonymous.head().toLowerCase(Locale.ROOT)).contains("www-authenticate: bearer realm=\"tms-terminal\"");
      assertThat(JSON.readTree(anonymous.body()).get("field").asText()).isEqualTo("Authorization");
    }
    assertThat(count("load")).isZero();
    assertThat(count("driver_authorization")).isZero();
  }

  @Test
  void a_cycle_is_counted_in_the_request_histograms_under_the_routes_of_the_api() {
    String authId = approved(TestSite.GOOD_CARD, TestSite.TRUCK);
    var started = client.post("/v1/loads", start(authId, "B1", Map.of(1, 1_000L)));
    String loadId = started.json().get("loadId").asText();
    var done = client.post("/v1/loads/" + loadId + "/complete", complete(reading(1, 998.0, 70.0)));
    assertThat(done.status()).as(done.body()).isEqualTo(201);

    String metrics = client.get("/metrics").body();
    for (String route : new String[] {"/v1/authorizations", "/v1/loads", "/v1/loads/{id}/complete"}) {
      assertThat(metrics).contains("tms_http_requests_seconds_count{method=\"POST\",route=\"" + route
          + "\",site=\"" + TestSite.CODE + "\",status=\"201\"} 1");
    }
  }

  private record Raw(int status, String head, String contentType, String body) {}

  /** One POST on its own connection, its body sent with a Content-Length or in chunks. */
  private Raw raw(String path, String body, String headers, boolean chunked, boolean credential) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", agent.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + (credential ? "Authorization: Bearer " + SeedTerminals.SIMULATOR_SECRET + "\r\n" : "") + headers
          + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bytes.length + "\r\n")
          + "Connection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      if (chunked) {
        int half = bytes.length / 2;
        chunk(out, bytes, 0, half);
        chunk(out, bytes, half, bytes.length - half);
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        out.write(bytes);
      }
      out.flush();
      return parse(socket.getInputStream());
    }
  }

  private static void chunk(OutputStream out, byte[] bytes, int from, int n) throws Exception {
    if (n > 0) {
      out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, from, n);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** The whole answer (the server closes the connection after it), framed by its Content-Length. */
  private static Raw parse(InputStream in) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String text = all.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String head = text.substring(0, end);
    String contentType = "";
    int length = -1;
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-type:")) {
        contentType = line.substring(13).strip();
      } else if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    String body = text.substring(end + 4);
    assertThat(length).as(head).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
    return new Raw(Integer.parseInt(head.substring(9, 12)), head, contentType, body);
  }
}
