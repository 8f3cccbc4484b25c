package io.tms.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Oversized bodies on a raw socket, where the client decides what is sent and when: a request that
 * declares more than the limit gets its 413 while the client still holds back every byte of the
 * body, and a chunked body gets its 413 once it crosses the limit while the client holds back the
 * rest (the agent stops reading there). Nothing changes, and the agent goes on serving. The socket
 * timeout only turns a server that waits for the body into a failure instead of a hang.
 */
class OversizedBodyTest extends AgentTestBase {
  private static final List<String> ROUTES = List.of("/v1/authorizations", "/v1/loads", "/v1/loads/X/complete",
      "/v1/loads/X/cancel", "/v1/tanks/TK1/gauge-readings", "/v1/cards/C1/unlock");
  private static final int LIMIT = 64 * 1024; // AgentConfig's default http.max-body-bytes

  @Test
  void a_declared_length_over_the_limit_is_refused_before_any_of_the_body_is_sent() throws Exception {
    String before = fingerprint();
    for (String path : ROUTES) {
      try (Socket socket = socket()) {
        send(socket.getOutputStream(), head(path, "Content-Length: 1000000000"));
        String answer = answerHead(socket.getInputStream());
        assertThat(answer).as(path).startsWith("HTTP/1.1 413");
        assertThat(answer.toLowerCase(Locale.ROOT)).as(path).contains("content-type: application/problem+json");
      }
    }
    assertThat(fingerprint()).isEqualTo(before);
    assertThat(client.get("/livez").status()).isEqualTo(200);
  }

  @Test
  void a_chunked_body_is_refused_where_it_crosses_the_limit_without_waiting_for_its_end() throws Exception {
    String before = fingerprint();
    byte[] chunk = new byte[8 * 1024];
    Arrays.fill(chunk, (byte) ' ');
    for (String path : ROUTES) {
      try (Socket socket = socket()) {
        OutputStream out = socket.getOutputStream();
        send(out, head(path, "Transfer-Encoding: chunked"));
        out.write("d\r\n{\"operator\":\"\r\n".getBytes(StandardCharsets.US_ASCII)); // a 13-byte first chunk
        for (int sent = 0; sent <= LIMIT; sent += chunk.length) { // past the limit, then no more: no last chunk
          out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        String answer = answerHead(socket.getInputStream());
        assertThat(answer).as(path).startsWith("HTTP/1.1 413");
      }
    }
    assertThat(fingerprint()).isEqualTo(before);
    assertThat(client.get("/v1/status").status()).isEqualTo(200);
  }

  private Socket socket() throws Exception {
    Socket s = new Socket("127.0.0.1", agent.port());
    s.setSoTimeout(30_000);
    return s;
  }

  private static String head(String path, String framing) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer " + io.tms.agent.security.SeedTerminals.SIMULATOR_SECRET + "\r\n" + framing + "\r\n\r\n";
  }

  private static void send(OutputStream out, String text) throws Exception {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The status line and headers of the answer. */
  private static String answerHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1; ) {
      head.append((char) b);
    }
    return head.toString();
  }
}
