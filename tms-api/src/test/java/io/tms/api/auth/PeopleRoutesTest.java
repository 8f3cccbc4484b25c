package io.tms.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Users and tokens over real HTTP: a token is shown once, works until revoked or expired or its
 * user is deactivated; bad input is a 400 naming the field; the last admin stays; the bootstrap
 * admin comes from TMS_ADMIN_TOKEN (rotated by changing it) or is generated once on first start.
 */
class PeopleRoutesTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void a_token_works_until_revoked_expired_or_its_user_is_deactivated() throws Exception {
    try (Cloud cloud = Cloud.start(TestDatabase.freshCloudConfig())) {
      String admin = TestAuth.adminToken(cloud);
      assertThat(send(cloud, "POST", "/v1/users", admin,
          "{\"id\": \"dana\", \"name\": \"Dana\", \"roles\": [\"dispatcher\"]}").statusCode()).isEqualTo(201);
      HttpResponse<String> issued = send(cloud, "POST", "/v1/users/dana/tokens", admin, "{\"name\": \"laptop\"}");
      assertThat(issued.statusCode()).isEqualTo(201);
      assertThat(issued.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
      JsonNode t = json.readTree(issued.body());
      String secret = t.get("token").asText();
      assertThat(secret).startsWith("tms_").hasSizeGreaterThanOrEqualTo(4 + 43);
      assertThat(send(cloud, "GET", "/v1/products", secret, null).statusCode()).isEqualTo(200);
      // shown once: the list has no secrets, the database only its hash
      String list = send(cloud, "GET", "/v1/users/dana/tokens", admin, null).body();
      assertThat(list).contains(t.get("id").asText()).doesNotContain(secret);
      long plain = cloud.database().jdbi().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM api_token t WHERE strpos(t::text, :s) > 0").bind("s", secret.substring(4))
          .mapTo(Long.class).one());
      assertThat(plain).isZero();

      assertThat(send(cloud, "DELETE", "/v1/users/dana/tokens/" + t.get("id").asText(), admin, null).statusCode())
          .isEqualTo(200);
      assertThat(send(cloud, "GET", "/v1/products", secret, null).statusCode()).as("revoked").isEqualTo(401);

      String second = json.readTree(send(cloud, "POST", "/v1/users/dana/tokens", admin, "{\"name\": \"phone\"}").body())
          .get("token").asText();
      assertThat(send(cloud, "GET", "/v1/products", second, null).statusCode()).isEqualTo(200);
      cloud.database().jdbi().useHandle(h -> h.createUpdate("UPDATE api_token SET expires_at = :t WHERE sha256 = :s")
          .bind("t", java.time.OffsetDateTime.now().minusSeconds(1)).bind("s", ApiTokens.sha256(second)).execute());
      assertThat(send(cloud, "GET", "/v1/products", second, null).statusCode()).as("expired").isEqualTo(401);

      String third = json.readTree(send(cloud, "POST", "/v1/users/dana/tokens", admin, "{\"name\": \"tablet\"}").body())
          .get("token").asText();
      assertThat(send(cloud, "DELETE", "/v1/users/dana", admin, null).statusCode()).isEqualTo(200);
      assertThat(send(cloud, "GET", "/v1/products", third, null).statusCode()).as("user deactivated").isEqualTo(401);
      assertThat(send(cloud, "POST", "/v1/users/dana/tokens", admin, "{\"name\": \"x\"}").statusCode()).isEqualTo(409);
    }
  }

  @Test
  void bad_input_names_the_field_and_the_last_admin_stays() throws Exception {
    try (Cloud cloud = Cloud.start(TestDatabase.freshCloudConfig())) {
      String admin = TestAuth.adminToken(cloud);
      String[][] bad = {
          {"/v1/users", "{\"id\": \"Bad Id\", \"name\": \"x\", \"roles\": [\"VIEWER\"]}", "id"},
          {"/v1/users", "{\"id\": \"ok\", \"name\": \"x\", \"roles\": [\"KING\"]}", "roles[0]"},
          {"/v1/users", "{\"id\": \"ok\", \"name\": \"x\", \"roles\": []}", "roles"},
          {"/v1/users", "{\"id\": \"ok\", \"name\": \"x\", \"roles\": [\"SITE_OPERATOR\"]}", "sites"},
          {"/v1/users", "{\"id\": \"ok\", \"name\": \"x\", \"roles\": [\"SITE_OPERATOR\"], \"sites\": [\"hou\"]}", "sites[0]"},
          {"/v1/users", "{\"id\": \"ok\", \"name\": \"\", \"roles\": [\"VIEWER\"]}", "name"},
          {"/v1/users", "{\"id\": \"ok\", \"name\": \"x\", \"roles\": [\"VIEWER\"], \"admin\": true}", null},
          {"/v1/users/admin/tokens", "{\"name\": \"x\", \"ttl\": \"forever\"}", "ttl"},
          {"/v1/users/admin/tokens", "{\"name\": \"x\", \"ttl\": \"9999d\"}", "ttl"}};
      for (String[] b : bad) {
        HttpResponse<String> r = send(cloud, "POST", b[0], admin, b[1]);
        assertThat(r.statusCode()).as(b[1]).isEqualTo(400);
        if (b[2] != null) {
          assertThat(json.readTree(r.body()).path("field").asText()).as(b[1]).isEqualTo(b[2]);
        }
      }
      HttpResponse<String> unknownSite = send(cloud, "POST", "/v1/users", admin,
          "{\"id\": \"ops\", \"name\": \"x\", \"roles\": [\"SITE_OPERATOR\"], \"sites\": [\"NOPE1\"]}");
      assertThat(unknownSite.statusCode()).isEqualTo(422);
      assertThat(send(cloud, "PUT", "/v1/users/admin", admin, "{\"roles\": [\"VIEWER\"]}").statusCode()).isEqualTo(409);
      assertThat(send(cloud, "DELETE", "/v1/users/admin", admin, null).statusCode()).isEqualTo(409);
      assertThat(send(cloud, "GET", "/v1/products", admin, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void the_first_admin_comes_from_TMS_ADMIN_TOKEN_or_is_generated_once() throws Exception {
    CloudConfig config = TestDatabase.freshCloudConfig();
    String generated;
    try (Cloud cloud = Cloud.start(config, AuthConfig.defaults())) {
      generated = cloud.firstAdminToken().orElseThrow();
      assertThat(send(cloud, "GET", "/v1/me", generated, null).body()).contains("ADMIN");
    }
    try (Cloud again = Cloud.start(config, AuthConfig.defaults())) {
      assertThat(again.firstAdminToken()).as("shown once").isEmpty();
      assertThat(send(again, "GET", "/v1/me", generated, null).statusCode()).isEqualTo(200);
    }
    String first = ApiTokens.newSecret();
    String rotated = ApiTokens.newSecret();
    try (Cloud cloud = Cloud.start(config, AuthConfig.defaults().withAdminToken(first))) {
      assertThat(cloud.firstAdminToken()).isEmpty();
      assertThat(send(cloud, "GET", "/v1/users", first, null).statusCode()).isEqualTo(200);
    }
    try (Cloud cloud = Cloud.start(config, AuthConfig.defaults().withAdminToken(rotated))) {
      assertThat(send(cloud, "GET", "/v1/users", rotated, null).statusCode()).isEqualTo(200);
      assertThat(send(cloud, "GET", "/v1/users", first, null).statusCode()).as("rotated away").isEqualTo(401);
      assertThat(send(cloud, "GET", "/v1/users", generated, null).statusCode()).as("other tokens stay").isEqualTo(200);
    }
  }

  @Test
  void settings_are_checked_at_start_naming_the_variable() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuthConfig.fromEnvironment(java.util.Map.of(
        "TMS_ADMIN_TOKEN", "short"))).hasMessageContaining("TMS_ADMIN_TOKEN");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuthConfig.fromEnvironment(java.util.Map.of(
        "TMS_OIDC_ISSUER", "https://idp.example"))).hasMessageContaining("TMS_OIDC_JWKS_URL");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuthConfig.fromEnvironment(java.util.Map.of(
        "TMS_OIDC_ISSUER", "https://idp.example", "TMS_OIDC_JWKS_URL", "https://idp.example/jwks")))
        .hasMessageContaining("TMS_OIDC_AUDIENCE");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuthConfig.fromEnvironment(java.util.Map.of(
        "TMS_TOKEN_TTL", "0d"))).hasMessageContaining("TMS_TOKEN_TTL");
    assertThat(AuthConfig.fromEnvironment(java.util.Map.of()).oidc()).isNull();
  }

  private HttpResponse<String> send(Cloud cloud, String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + token);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
