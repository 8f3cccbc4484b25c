package io.tms.api.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.Cloud;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import io.tms.api.http.CloudJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mTLS edge listener on real sockets: EST enrollment with a bootstrap token (once), the
 * encodings standard tools read, and every refusal — no certificate, another CA, another site's
 * data, expired (except renewal within grace), revoked.
 */
class PkiEdgeTest {
  private static final ObjectMapper JSON = CloudJson.mapper();
  private static final MovableClock CLOCK = new MovableClock();
  private static final HttpClient PLAIN = HttpClient.newHttpClient();
  private static Cloud cloud;
  private static String admin;
  private static String adminToken;
  private static String edge;
  private static X509Certificate ca;

  @BeforeAll
  static void start() throws Exception {
    cloud = Cloud.start(TestDatabase.freshCloudConfig()
        .withEdge(EdgeSettings.disabled().withCa("a test passphrase", "127.0.0.1", 0)), CLOCK);
    admin = "http://127.0.0.1:" + cloud.port();
    adminToken = TestAuth.adminToken(cloud);
    edge = "https://127.0.0.1:" + cloud.edgePort();
    ca = cloud.pki().ca().certificate();
    for (String site : List.of("HOU1", "DAL1", "AUS1", "ELP1", "SAT1", "REV1")) {
      HttpResponse<String> r = adminPost("/v1/sites", "{\"code\":\"" + site + "\",\"name\":\"Site " + site
          + "\",\"zone\":\"America/Chicago\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  void the_sites_port_listens_with_a_queue_for_a_reconnect_storm() throws Exception {
    assertThat(io.tms.api.ListenQueue.of(cloud.edgePort())).isEqualTo(io.tms.api.http.CloudHttp.ACCEPT_QUEUE);
  }

  @Test
  void a_bootstrap_token_enrolls_once_and_the_answers_are_standard_pkcs7() throws Exception {
    HttpClient anonymous = EdgeTls.client(ca, null, null);
    HttpResponse<byte[]> cacerts = EdgeTls.get(anonymous, URI.create(edge + "/.well-known/est/cacerts"));
    assertThat(cacerts.statusCode()).isEqualTo(200);
    assertThat(cacerts.headers().firstValue("Content-Type").orElse("")).startsWith("application/pkcs7-mime");
    assertThat(EdgeTls.pkcs7(cacerts.body())).containsExactly(ca);

    JsonNode token = token("HOU1");
    assertThat(token.get("token").asText()).endsWith("." + cloud.pki().ca().fingerprint());
    KeyPair key = EdgeTls.p256();
    HttpResponse<byte[]> enrolled = EdgeTls.postCsr(anonymous, URI.create(edge + "/.well-known/est/simpleenroll"),
        EdgeTls.csr(key, "whatever the CSR says"), "Bearer " + token.get("token").asText());
    assertThat(enrolled.statusCode()).as(new String(enrolled.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    X509Certificate cert = EdgeTls.pkcs7(enrolled.body()).getFirst();
    cert.verify(ca.getPublicKey());
    assertThat(SiteIdentity.of(cert)).isEqualTo("HOU1");
    assertThat(cert.getPublicKey()).isEqualTo(key.getPublic());
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    // audited as the site's act, from where it came, with ids and hashes only
    java.util.Map<String, Object> row = auditRow("enroll", CertificateAuthority.serialOf(cert));
    assertThat(row.get("actor")).isEqualTo("site:HOU1");
    assertThat(row.get("roles")).isEqualTo("SITE");
    assertThat(row.get("remote")).isEqualTo("127.0.0.1");
    assertThat(row.get("site_code")).isEqualTo("HOU1");
    assertThat((String) row.get("after")).contains("\"tokenId\"", "\"publicKeySha256\"")
        .doesNotContain(token.get("token").asText().substring(0, token.get("token").asText().indexOf('.')));
    assertThat(Duration.between(CLOCK.instant(), cert.getNotAfter().toInstant())).isBetween(
        Duration.ofDays(30).minusMinutes(1), Duration.ofDays(30));

    // the same token again, even with a good CSR: refused
    HttpResponse<byte[]> again = EdgeTls.postCsr(anonymous, URI.create(edge + "/.well-known/est/simpleenroll"),
        EdgeTls.csr(EdgeTls.p256(), "HOU1"), "Bearer " + token.get("token").asText());
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(problem(again).get("code").asText()).isEqualTo("BOOTSTRAP_TOKEN_REFUSED");

    // and the certificate works
    HttpClient site = EdgeTls.client(ca, key, cert);
    assertThat(EdgeTls.get(site, URI.create(edge + "/edge/v1/sites/HOU1/changes?after=0")).statusCode()).isEqualTo(200);
    assertThat(json(PLAIN.send(TestAuth.bearer(HttpRequest.newBuilder(URI.create(admin + "/v1/sites/HOU1/certificates")), adminToken).build(),
        HttpResponse.BodyHandlers.ofString()).body())).hasSize(1);
  }

  private static java.util.Map<String, Object> auditRow(String action, String serial) {
    return cloud.database().jdbi().withHandle(h -> h.createQuery("""
            SELECT actor, roles, remote, site_code, before, after FROM audit_log
            WHERE entity = 'site_certificate' AND action = ? AND entity_key = ?""")
        .bind(0, action).bind(1, serial).mapToMap().one());
  }

  @Test
  void openssl_makes_a_csr_we_accept_and_reads_what_we_answer(@TempDir Path dir) throws Exception {
    if (!openssl(dir, "version")) {
      return; // the machine has no openssl: the Java-side parsing above still checks the encodings
    }
    assertThat(openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "site.key")).isTrue();
    assertThat(openssl(dir, "req", "-new", "-key", "site.key", "-subj", "/CN=AUS1", "-outform", "DER", "-out", "site.csr"))
        .isTrue();
    String token = token("AUS1").get("token").asText();
    HttpClient anonymous = EdgeTls.client(ca, null, null);
    String basic = "Basic " + Base64.getEncoder().encodeToString(("AUS1:" + token).getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> enrolled = EdgeTls.postCsr(anonymous, URI.create(edge + "/.well-known/est/simpleenroll"),
        Files.readAllBytes(dir.resolve("site.csr")), basic);
    assertThat(enrolled.statusCode()).isEqualTo(200);
    Files.write(dir.resolve("cert.p7.b64"), enrolled.body());
    assertThat(openssl(dir, "base64", "-d", "-in", "cert.p7.b64", "-out", "cert.p7")).isTrue();
    assertThat(openssl(dir, "pkcs7", "-inform", "DER", "-in", "cert.p7", "-print_certs", "-out", "cert.pem")).isTrue();
    assertThat(Files.readString(dir.resolve("cert.pem"))).containsPattern("subject=.*CN ?= ?AUS1").contains("BEGIN CERTIFICATE");
  }

  @Test
  void without_a_client_certificate_only_cacerts_and_enrollment_answer() throws Exception {
    HttpClient anonymous = EdgeTls.client(ca, null, null);
    for (String path : List.of("/edge/v1/sites/HOU1/changes?after=0", "/.well-known/est/simplereenroll")) {
      HttpResponse<byte[]> r = path.contains("reenroll")
          ? EdgeTls.postCsr(anonymous, URI.create(edge + path), EdgeTls.csr(EdgeTls.p256(), "HOU1"), null)
          : EdgeTls.get(anonymous, URI.create(edge + path));
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(problem(r).get("code").asText()).isEqualTo("CLIENT_CERTIFICATE_REQUIRED");
    }
    HttpResponse<String> events = anonymous.send(HttpRequest.newBuilder(URI.create(edge + "/edge/v1/sites/HOU1/events"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(events.statusCode()).isEqualTo(401);
    // no token, no enrollment
    HttpResponse<byte[]> enroll = EdgeTls.postCsr(anonymous, URI.create(edge + "/.well-known/est/simpleenroll"),
        EdgeTls.csr(EdgeTls.p256(), "HOU1"), null);
    assertThat(enroll.statusCode()).isEqualTo(401);
    // and the admin port does not serve the edge routes in plain HTTP
    HttpResponse<String> plain = PLAIN.send(HttpRequest.newBuilder(URI.create(admin + "/edge/v1/sites/HOU1/changes"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(403);
  }

  @Test
  void a_certificate_of_another_ca_fails_the_handshake() throws Exception {
    KeyPair key = EdgeTls.p256();
    HttpClient forged = EdgeTls.client(ca, key, EdgeTls.foreignCertificate(key, "HOU1"));
    assertThatThrownBy(() -> EdgeTls.get(forged, URI.create(edge + "/edge/v1/sites/HOU1/changes?after=0")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void a_site_cannot_read_or_write_another_sites_data() throws Exception {
    KeyPair key = EdgeTls.p256();
    HttpClient dal = EdgeTls.client(ca, key, enroll("DAL1", key));
    assertThat(EdgeTls.get(dal, URI.create(edge + "/edge/v1/sites/DAL1/changes?after=0")).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> feed = EdgeTls.get(dal, URI.create(edge + "/edge/v1/sites/HOU1/changes?after=0"));
    assertThat(feed.statusCode()).isEqualTo(403);
    assertThat(problem(feed).get("code").asText()).isEqualTo("WRONG_SITE");
    for (String what : List.of("events", "heartbeat")) {
      HttpResponse<String> r = dal.send(HttpRequest.newBuilder(URI.create(edge + "/edge/v1/sites/HOU1/" + what))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"siteCode\":\"HOU1\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(what).isEqualTo(403);
    }
  }

  @Test
  void an_expired_certificate_only_renews_and_only_within_grace() throws Exception {
    KeyPair key = EdgeTls.p256();
    X509Certificate cert = enroll("ELP1", key);
    KeyPair late = EdgeTls.p256();
    X509Certificate lateCert = enroll("SAT1", late);
    CLOCK.advance(Duration.ofDays(31)); // both expired a day ago
    try {
      HttpClient old = EdgeTls.client(ca, key, cert);
      HttpResponse<byte[]> feed = EdgeTls.get(old, URI.create(edge + "/edge/v1/sites/ELP1/changes?after=0"));
      assertThat(feed.statusCode()).isEqualTo(401);
      assertThat(problem(feed).get("code").asText()).isEqualTo("CERTIFICATE_EXPIRED");

      KeyPair next = EdgeTls.p256();
      HttpResponse<byte[]> renewed = EdgeTls.postCsr(old, URI.create(edge + "/.well-known/est/simplereenroll"),
          EdgeTls.csr(next, "ELP1"), null);
      assertThat(renewed.statusCode()).isEqualTo(200);
      X509Certificate fresh = EdgeTls.pkcs7(renewed.body()).getFirst();
      assertThat(SiteIdentity.of(fresh)).isEqualTo("ELP1");
      java.util.Map<String, Object> row = auditRow("renew", CertificateAuthority.serialOf(fresh));
      assertThat(row.get("actor")).isEqualTo("site:ELP1");
      assertThat((String) row.get("before")).contains(CertificateAuthority.serialOf(cert));
      assertThat(fresh.getNotAfter()).isAfter(java.util.Date.from(CLOCK.instant().plus(Duration.ofDays(29))));
      assertThat(EdgeTls.get(EdgeTls.client(ca, next, fresh), URI.create(edge + "/edge/v1/sites/ELP1/changes?after=0"))
          .statusCode()).isEqualTo(200);

      CLOCK.advance(Duration.ofDays(30)); // SAT1's certificate is now 31 days past expiry: beyond grace
      HttpResponse<byte[]> tooLate = EdgeTls.postCsr(EdgeTls.client(ca, late, lateCert),
          URI.create(edge + "/.well-known/est/simplereenroll"), EdgeTls.csr(EdgeTls.p256(), "SAT1"), null);
      assertThat(tooLate.statusCode()).isEqualTo(401);
      assertThat(problem(tooLate).get("detail").asText()).contains("new bootstrap token");
    } finally {
      CLOCK.advance(Duration.ofDays(-61));
    }
  }

  @Test
  void a_revoked_site_is_refused_at_once_and_its_unused_tokens_are_spent() throws Exception {
    KeyPair key = EdgeTls.p256();
    X509Certificate cert = enroll("REV1", key);
    HttpClient site = EdgeTls.client(ca, key, cert);
    URI feed = URI.create(edge + "/edge/v1/sites/REV1/changes?after=0");
    assertThat(EdgeTls.get(site, feed).statusCode()).isEqualTo(200);
    String unused = token("REV1").get("token").asText();

    HttpResponse<String> revoked = adminPost("/v1/sites/REV1/certificates/revoke", "");
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(json(revoked.body()).get("revoked").asInt()).isEqualTo(1);

    HttpResponse<byte[]> refused = EdgeTls.get(site, feed);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(problem(refused).get("code").asText()).isEqualTo("CERTIFICATE_REVOKED");
    HttpResponse<byte[]> renewal = EdgeTls.postCsr(site, URI.create(edge + "/.well-known/est/simplereenroll"),
        EdgeTls.csr(EdgeTls.p256(), "REV1"), null);
    assertThat(renewal.statusCode()).isEqualTo(403);
    HttpResponse<byte[]> withOldToken = EdgeTls.postCsr(EdgeTls.client(ca, null, null),
        URI.create(edge + "/.well-known/est/simpleenroll"), EdgeTls.csr(EdgeTls.p256(), "REV1"), "Bearer " + unused);
    assertThat(withOldToken.statusCode()).isEqualTo(401);
    // a new token enrolls the site again
    KeyPair again = EdgeTls.p256();
    assertThat(EdgeTls.get(EdgeTls.client(ca, again, enroll("REV1", again)), feed).statusCode()).isEqualTo(200);
  }

  @Test
  void bad_requests_are_problems_naming_the_field_and_change_nothing() throws Exception {
    HttpResponse<String> unknown = adminPost("/v1/sites/NOPE9/bootstrap-tokens", "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown.body()).get("field").asText()).isEqualTo("site");
    HttpResponse<String> malformed = adminPost("/v1/sites/bad-code/bootstrap-tokens", "");
    assertThat(malformed.statusCode()).isEqualTo(400);
    String token = token("SAT1").get("token").asText();
    HttpResponse<byte[]> garbage = EdgeTls.postCsr(EdgeTls.client(ca, null, null),
        URI.create(edge + "/.well-known/est/simpleenroll"), "not a CSR".getBytes(StandardCharsets.UTF_8),
        "Bearer " + token);
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(problem(garbage).get("field").asText()).isEqualTo("csr");
    // the refused request did not spend the token
    KeyPair key = EdgeTls.p256();
    HttpResponse<byte[]> ok = EdgeTls.postCsr(EdgeTls.client(ca, null, null),
        URI.create(edge + "/.well-known/est/simpleenroll"), EdgeTls.csr(key, "SAT1"), "Bearer " + token);
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  /** Enrolls {@code site} with a fresh token; returns its certificate. */
  static X509Certificate enroll(String site, KeyPair key) throws Exception {
    HttpResponse<byte[]> r = EdgeTls.postCsr(EdgeTls.client(ca, null, null),
        URI.create(edge + "/.well-known/est/simpleenroll"), EdgeTls.csr(key, site),
        "Bearer " + token(site).get("token").asText());
    assertThat(r.statusCode()).isEqualTo(200);
    return EdgeTls.pkcs7(r.body()).getFirst();
  }

  static JsonNode token(String site) throws Exception {
    HttpResponse<String> r = adminPost("/v1/sites/" + site + "/bootstrap-tokens", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r.body());
  }

  static HttpResponse<String> adminPost(String path, String body) throws Exception {
    return PLAIN.send(TestAuth.bearer(HttpRequest.newBuilder(URI.create(admin + path)), adminToken)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode problem(HttpResponse<byte[]> r) throws IOException {
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    return JSON.readTree(r.body());
  }

  private static JsonNode json(String s) throws IOException {
    return JSON.readTree(s);
  }

  /** Runs openssl in {@code dir}; false when it is missing or fails. */
  private static boolean openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.out").toFile()).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
