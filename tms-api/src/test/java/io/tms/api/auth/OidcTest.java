package io.tms.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OIDC JWTs against a real replica, with keys made here and a JWKS served on loopback (the identity
 * provider is an outside port, so a stand-in serves its keys): a good token works with the roles
 * and sites of its claims; expired, wrong audience, wrong issuer, bad signature, unknown key, HMAC
 * and unsigned tokens are 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcTest {
  private static final String AUDIENCE = "tms-api";
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private HttpServer idp;
  private String issuer;
  private RSAKey key;
  private Cloud cloud;

  @BeforeAll
  void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    idp.createContext("/jwks", ex -> {
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, jwks.length);
      ex.getResponseBody().write(jwks);
      ex.close();
    });
    idp.start();
    issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/tms";
    AuthConfig.Oidc oidc = new AuthConfig.Oidc(issuer, URI.create("http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks"),
        AUDIENCE, "roles", "tms_sites");
    cloud = Cloud.start(TestDatabase.freshCloudConfig(), AuthConfig.defaults().withOidc(oidc));
    cloud.database().jdbi().useHandle(h -> h.execute(
        "INSERT INTO site (code, name, zone) VALUES ('HOU1', 'Houston', 'America/Chicago'), ('DAL1', 'Dallas', 'America/Chicago')"));
  }

  @AfterAll
  void stop() {
    cloud.close();
    idp.stop(0);
  }

  private JWTClaimsSet.Builder claims(String sub, Object roles) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(issuer).audience(List.of(AUDIENCE, "other")).subject(sub)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).claim("roles", roles);
  }

  private String sign(JWTClaimsSet c, RSAKey with) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT)
        .build(), c);
    jwt.sign(new RSASSASigner(with));
    return jwt.serialize();
  }

  @Test
  void a_valid_token_carries_its_roles_and_sites() throws Exception {
    String alice = sign(claims("alice", List.of("admin")).build(), key);
    HttpResponse<String> me = send("GET", "/v1/me", alice, null);
    assertThat(me.statusCode()).isEqualTo(200);
    JsonNode m = json.readTree(me.body());
    assertThat(m.get("id").asText()).isEqualTo("oidc:alice");
    assertThat(m.get("roles").toString()).contains("ADMIN");
    assertThat(m.get("via").asText()).isEqualTo("oidc");
    assertThat(send("POST", "/v1/customers", alice, "{\"id\": \"C1\", \"name\": \"Acme\"}").statusCode()).isEqualTo(201);
    JsonNode audit = json.readTree(send("GET", "/v1/audit?entity=customer", alice, null).body());
    assertThat(audit.get("items").get(0).get("actor").asText()).isEqualTo("oidc:alice");

    String viewer = sign(claims("vic", "viewer").build(), key);
    assertThat(send("GET", "/v1/customers", viewer, null).statusCode()).isEqualTo(200);
    assertThat(send("POST", "/v1/customers", viewer, "{\"id\": \"C2\", \"name\": \"x\"}").statusCode()).isEqualTo(403);

    String operator = sign(claims("otto", List.of("tms.site-operator")).claim("tms_sites", List.of("HOU1")).build(), key);
    assertThat(send("GET", "/v1/sites/HOU1/tanks", operator, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/sites/DAL1/tanks", operator, null).statusCode()).isEqualTo(403);

    String nobody = sign(claims("nora", List.of("janitor")).build(), key);
    assertThat(send("GET", "/v1/customers", nobody, null).statusCode()).as("no known role").isEqualTo(403);
  }

  @Test
  void expired_wrong_audience_wrong_issuer_and_bad_signatures_are_401() throws Exception {
    Instant past = Instant.now().minus(Duration.ofHours(2));
    List<String> refused = List.of(
        sign(claims("a", "admin").expirationTime(Date.from(past)).build(), key),
        sign(claims("a", "admin").audience("someone-else").build(), key),
        sign(claims("a", "admin").issuer("https://evil.example/realms/tms").build(), key),
        sign(claims("a", "admin").build(), new RSAKeyGenerator(2048).keyID("k1").generate()),
        sign(claims("a", "admin").build(), new RSAKeyGenerator(2048).keyID("k-unknown").generate()),
        hmac(claims("a", "admin").build()),
        new PlainJWT(claims("a", "admin").build()).serialize(),
        tampered(sign(claims("a", "viewer").build(), key)),
        "not.a.jwt");
    for (String token : refused) {
      HttpResponse<String> r = send("GET", "/v1/customers", token, null);
      assertThat(r.statusCode()).as(token).isEqualTo(401);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
      assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    }
    assertThat(send("GET", "/v1/customers", sign(claims("a", "admin").build(), key), null).statusCode()).isEqualTo(200);
  }

  /** Signed with HMAC, the public modulus as the secret: the classic algorithm-confusion attempt. */
  private String hmac(JWTClaimsSet c) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), c);
    jwt.sign(new MACSigner(key.getModulus().decode()));
    return jwt.serialize();
  }

  /** A viewer's token whose payload is swapped for an admin's, signature kept. */
  private String tampered(String jwt) throws Exception {
    String[] parts = jwt.split("\\.");
    String admin = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims("a", "admin").build().toString().getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + admin + "." + parts[2];
  }

  private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + token);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
