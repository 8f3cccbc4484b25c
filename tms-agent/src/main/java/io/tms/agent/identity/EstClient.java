package io.tms.agent.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The agent's EST calls (RFC 7030) on the cloud's edge listener: {@code cacerts},
 * {@code simpleenroll} with the bootstrap token, {@code simplereenroll} with the current
 * certificate (presented by the shared TLS context). PKCS#10 goes out base64, PKCS#7 comes back.
 */
final class EstClient {
  /** The cloud refused (4xx): the status and its problem text. */
  static final class Refused extends IOException {
    final int status;

    Refused(int status, String body) {
      super("HTTP " + status + ": " + body);
      this.status = status;
    }
  }

  private final URI base;
  private final Supplier<HttpClient> http;

  EstClient(URI base, Supplier<HttpClient> http) {
    this.base = base;
    this.http = http;
  }

  List<X509Certificate> cacerts() throws IOException, InterruptedException {
    return pkcs7(send(HttpRequest.newBuilder(base.resolve("/.well-known/est/cacerts")).GET()));
  }

  X509Certificate enroll(byte[] csr, String token) throws IOException, InterruptedException {
    return pkcs7(send(post("/.well-known/est/simpleenroll", csr).header("Authorization", "Bearer " + token))).getFirst();
  }

  X509Certificate reenroll(byte[] csr) throws IOException, InterruptedException {
    return pkcs7(send(post("/.well-known/est/simplereenroll", csr))).getFirst();
  }

  private HttpRequest.Builder post(String path, byte[] csr) {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/pkcs10")
        .header("Content-Transfer-Encoding", "base64")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Base64.getMimeEncoder().encode(csr)));
  }

  private byte[] send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.get().send(b.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new Refused(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    }
    return r.body();
  }

  private static List<X509Certificate> pkcs7(byte[] base64) throws IOException {
    try {
      byte[] der = Base64.getMimeDecoder().decode(base64);
      List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(der)).stream().map(c -> (X509Certificate) c).toList();
      if (certs.isEmpty()) {
        throw new IOException("the EST answer holds no certificate");
      }
      return certs;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("the EST answer is not a base64 PKCS#7", e);
    }
  }
}
