package io.tms.api.pki;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.ReplicaProcess;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import io.tms.api.http.CloudJson;
import io.tms.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two cloud replicas as two real processes on one database: they share one CA (a certificate
 * issued by one is accepted by the other), and a site revoked through one is refused by both,
 * without a restart (NOTIFY reaches every replica's listener).
 */
class RevocationAcrossReplicasTest {
  private static final ObjectMapper JSON = CloudJson.mapper();
  private static final HttpClient PLAIN = HttpClient.newHttpClient();
  private ReplicaProcess a;
  private ReplicaProcess b;

  @AfterEach
  void stop() throws InterruptedException {
    for (ReplicaProcess p : new ReplicaProcess[] {a, b}) {
      if (p != null) {
        p.close();
      }
    }
  }

  private static String adminToken;

  @Test
  void a_revoked_site_is_refused_by_every_replica() throws Exception {
    String url = TestDatabase.freshUrl();
    Map<String, String> env = Map.of("TMS_EDGE_PLAINTEXT", "false", "TMS_CA_PASSPHRASE", "two replicas, one CA",
        "TMS_EDGE_PORT", "0");
    // one after the other: two JVMs starting at once on a busy 2-core machine can outlast the start
    // timeout (CaKeystoreTest races the CA's creation itself)
    a = ReplicaProcess.start(url, env);
    b = ReplicaProcess.start(url, env);
    assertThat(a.edge()).isNotNull();
    assertThat(b.edge()).isNotNull();
    adminToken = TestAuth.adminToken(TestDatabase.jdbi(url));

    post(a.base(), "/v1/sites", "{\"code\":\"HOU1\",\"name\":\"Houston\",\"zone\":\"America/Chicago\"}", 201);
    String token = JSON.readTree(post(a.base(), "/v1/sites/HOU1/bootstrap-tokens", "", 201)).get("token").asText();
    X509Certificate ca = EdgeTls.cacertsPinned(b.edge(), token);
    KeyPair key = EdgeTls.p256();
    HttpResponse<byte[]> enrolled = EdgeTls.postCsr(EdgeTls.client(ca, null, null),
        a.edge().resolve("/.well-known/est/simpleenroll"), EdgeTls.csr(key, "HOU1"), "Bearer " + token);
    assertThat(enrolled.statusCode()).isEqualTo(200);
    X509Certificate cert = EdgeTls.pkcs7(enrolled.body()).getFirst();
    HttpClient site = EdgeTls.client(ca, key, cert);
    assertThat(feedStatus(site, a.edge())).isEqualTo(200);
    assertThat(feedStatus(site, b.edge())).isEqualTo(200);

    assertThat(JSON.readTree(post(b.base(), "/v1/sites/HOU1/certificates/revoke", "", 200)).get("revoked").asInt())
        .isEqualTo(1);
    assertThat(feedStatus(site, b.edge())).isEqualTo(403); // the revoking replica: at once
    Eventually.until("replica A refuses the revoked certificate", Duration.ofSeconds(10),
        () -> feedStatus(site, a.edge()) == 403);
    // and on new connections too
    assertThat(feedStatus(EdgeTls.client(ca, key, cert), a.edge())).isEqualTo(403);
    assertThat(feedStatus(EdgeTls.client(ca, key, cert), b.edge())).isEqualTo(403);
  }

  private static int feedStatus(HttpClient site, URI edge) {
    try {
      return EdgeTls.get(site, edge.resolve("/edge/v1/sites/HOU1/changes?after=0")).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String post(URI base, String path, String body, int expected) throws Exception {
    HttpResponse<String> r = PLAIN.send(TestAuth.bearer(HttpRequest.newBuilder(base.resolve(path)), adminToken)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
    return r.body();
  }
}
