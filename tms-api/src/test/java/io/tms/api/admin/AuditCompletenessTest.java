package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.api.Cloud;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import io.tms.api.admin.AdminClient.Reply;
import io.tms.api.auth.RoutePermissions;
import io.tms.api.pki.EdgeSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of the permission matrix that changes state, called once with a request it accepts,
 * leaves at least one audit row in the hash-chained log, and none of those rows carries a secret
 * (terminal secret, bootstrap token, API token). A write route added to the matrix without a step
 * here (or an entry in {@link #NOT_AUDITED} with its reason) fails the test, so no change escapes
 * the audit by being forgotten.
 */
class AuditCompletenessTest {
  /** Write routes that leave no row, and why. Empty: every write route is audited. */
  private static final Map<String, String> NOT_AUDITED = Map.of();

  private Cloud cloud;
  private AdminClient admin;
  private Jdbi jdbi;
  private final Map<String, List<JsonNode>> rowsByRoute = new LinkedHashMap<>();
  private final List<String> secrets = new ArrayList<>();

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig()
        .withEdge(EdgeSettings.disabled().withCa("audit completeness", "127.0.0.1", 0)));
    admin = new AdminClient(cloud, TestAuth.adminToken(cloud));
    jdbi = cloud.database().jdbi();
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void every_write_route_of_the_matrix_leaves_an_audit_row_without_secrets() {
    String tank = "{\"id\": \"T1\", \"productCode\": \"ULSD\", \"capacityGallons\": 100000, \"baseDensityKgM3\": 850}";
    String bay = "{\"id\": \"B1\", \"name\": \"Bay 1\", \"active\": true, \"arms\": [{\"id\": \"A1\", \"meterId\": \"M1\","
        + " \"tankByProduct\": {\"ULSD\": \"T1\"}}]}";
    step("post /v1/sites", "POST", "/v1/sites", "{\"code\": \"HOU1\", \"name\": \"Houston\", \"zone\": \"America/Chicago\"}", null);
    step("put /v1/sites/{code}", "PUT", "/v1/sites/HOU1", "{\"name\": \"Houston 1\", \"zone\": \"America/Chicago\"}", "\"1\"");
    step("post /v1/products", "POST", "/v1/products", "{\"code\": \"ULSD\", \"name\": \"Diesel\", \"commodityGroup\": \"FUEL_OILS\"}", null);
    step("put /v1/products/{code}", "PUT", "/v1/products/ULSD", "{\"name\": \"ULS diesel\", \"commodityGroup\": \"FUEL_OILS\"}", "\"1\"");
    step("post /v1/customers", "POST", "/v1/customers", "{\"id\": \"C1\", \"name\": \"Acme\"}", null);
    step("put /v1/customers/{id}", "PUT", "/v1/customers/C1", "{\"name\": \"Acme Inc\"}", "\"1\"");
    step("post /v1/carriers", "POST", "/v1/carriers", "{\"id\": \"K1\", \"name\": \"Kwik\", \"insuranceExpires\": \"2027-06-30\"}", null);
    step("put /v1/carriers/{id}", "PUT", "/v1/carriers/K1", "{\"name\": \"Kwik Ltd\", \"insuranceExpires\": \"2027-06-30\"}", "\"1\"");
    step("post /v1/drivers", "POST", "/v1/drivers", "{\"id\": \"D1\", \"name\": \"Ann\", \"cardNumber\": \"CARD-1\", \"pin\": \"4821\","
        + " \"carrierIds\": [\"K1\"], \"certifications\": {\"HAZMAT\": \"2027-01-01\"}}", null);
    step("put /v1/drivers/{id}", "PUT", "/v1/drivers/D1", "{\"name\": \"Ann B\", \"cardNumber\": \"CARD-1\", \"pin\": \"4821\","
        + " \"carrierIds\": [\"K1\"], \"certifications\": {\"HAZMAT\": \"2027-01-01\"}}", "\"1\"");
    step("post /v1/vehicles", "POST", "/v1/vehicles", "{\"id\": \"V1\", \"carrierId\": \"K1\", \"active\": true, "
        + "\"inspectionExpires\": \"2027-01-01\", \"compartments\": [{\"number\": 1, \"capacityGallons\": 3000}]}", null);
    step("put /v1/vehicles/{id}", "PUT", "/v1/vehicles/V1", "{\"carrierId\": \"K1\", \"active\": true, "
        + "\"inspectionExpires\": \"2027-02-01\", \"compartments\": [{\"number\": 1, \"capacityGallons\": 3000}]}", "\"1\"");
    step("post /v1/allocations", "POST", "/v1/allocations", "{\"id\": \"A1\", \"customerId\": \"C1\", \"productCode\": \"ULSD\","
        + " \"periodStart\": \"2026-01-01\", \"periodEnd\": \"2099-12-31\", \"quantityGallons\": 100000}", null);
    step("put /v1/allocations/{id}", "PUT", "/v1/allocations/A1", "{\"customerId\": \"C1\", \"productCode\": \"ULSD\","
        + " \"periodStart\": \"2026-01-01\", \"periodEnd\": \"2099-12-31\", \"quantityGallons\": 120000}", "\"1\"");
    step("post /v1/sites/{code}/tanks", "POST", "/v1/sites/HOU1/tanks", tank, null);
    step("put /v1/sites/{code}/tanks/{id}", "PUT", "/v1/sites/HOU1/tanks/T1",
        tank.replace("100000", "110000").replace("\"id\": \"T1\", ", ""), "\"1\"");
    step("post /v1/sites/{code}/bays", "POST", "/v1/sites/HOU1/bays", bay, null);
    step("put /v1/sites/{code}/bays/{id}", "PUT", "/v1/sites/HOU1/bays/B1",
        bay.replace("Bay 1", "Bay one").replace("\"id\": \"B1\", ", ""), "\"1\"");
    step("put /v1/sites/{code}/liftings/{customerId}/{productCode}", "PUT", "/v1/sites/HOU1/liftings/C1/ULSD", null, null);
    step("delete /v1/sites/{code}/liftings/{customerId}/{productCode}", "DELETE", "/v1/sites/HOU1/liftings/C1/ULSD", null, "*");
    step("put /v1/allocations/{id}/reserves/{site}", "PUT", "/v1/allocations/A1/reserves/HOU1", "{\"minimumGallons\": 6000}", null);
    step("post /v1/allocations/{id}/rebalance", "POST", "/v1/allocations/A1/rebalance", null, null);

    // terminal credentials: the secret is answered once and must never reach the audit log
    secrets.add(step("post /v1/sites/{code}/terminals", "POST", "/v1/sites/HOU1/terminals",
        "{\"id\": \"K1\", \"name\": \"Gate kiosk\", \"kind\": \"KIOSK\"}", null).json().get("secret").asText());
    secrets.add(step("post /v1/sites/{code}/terminals/{id}/rotate", "POST", "/v1/sites/HOU1/terminals/K1/rotate", null, null)
        .json().get("secret").asText());
    step("post /v1/sites/{code}/terminals/{id}/deactivate", "POST", "/v1/sites/HOU1/terminals/K1/deactivate", null, null);

    // site certificates: a bootstrap token (never in the log, only its id), then revocation
    String token = step("post /v1/sites/{site}/bootstrap-tokens", "POST", "/v1/sites/HOU1/bootstrap-tokens", null, null)
        .json().get("token").asText();
    secrets.add(token);
    secrets.add(token.substring(0, token.indexOf('.')));
    step("post /v1/sites/{site}/certificates/revoke", "POST", "/v1/sites/HOU1/certificates/revoke", null, null);

    // a lane the cloud flagged as chain-broken, cleared by an operator
    jdbi.useHandle(h -> h.execute("INSERT INTO edge_cursor (site_code, lane, seq, hash, broken_at, broken_seq, broken_reason)"
        + " VALUES ('HOU1', 'BUSINESS', 0, ?, now(), 1, 'test')", "0".repeat(64)));
    step("delete /v1/sites/{site}/uplink/{lane}/break", "DELETE", "/v1/sites/HOU1/uplink/BUSINESS/break", null, null);

    // people
    step("post /v1/users", "POST", "/v1/users", "{\"id\": \"vic\", \"name\": \"Vic\", \"roles\": [\"VIEWER\"]}", null);
    step("put /v1/users/{id}", "PUT", "/v1/users/vic", "{\"name\": \"Victor\", \"roles\": [\"VIEWER\"]}", null);
    Reply issued = step("post /v1/users/{id}/tokens", "POST", "/v1/users/vic/tokens", "{\"name\": \"laptop\", \"ttl\": \"1d\"}", null);
    secrets.add(issued.json().get("token").asText());
    step("delete /v1/users/{id}/tokens/{tokenId}", "DELETE", "/v1/users/vic/tokens/" + issued.json().get("id").asText(), null, null);
    step("delete /v1/users/{id}", "DELETE", "/v1/users/vic", null, null);

    // deactivations last: they need the records above
    step("delete /v1/sites/{code}/bays/{id}", "DELETE", "/v1/sites/HOU1/bays/B1", null, "\"2\"");
    step("delete /v1/sites/{code}/tanks/{id}", "DELETE", "/v1/sites/HOU1/tanks/T1", null, "\"2\"");
    step("delete /v1/allocations/{id}", "DELETE", "/v1/allocations/A1", null, "*");
    step("delete /v1/vehicles/{id}", "DELETE", "/v1/vehicles/V1", null, "\"2\"");
    step("delete /v1/drivers/{id}", "DELETE", "/v1/drivers/D1", null, "\"2\"");
    step("delete /v1/carriers/{id}", "DELETE", "/v1/carriers/K1", null, "\"2\"");
    step("delete /v1/customers/{id}", "DELETE", "/v1/customers/C1", null, "\"2\"");
    step("delete /v1/products/{code}", "DELETE", "/v1/products/ULSD", null, "\"2\"");
    step("delete /v1/sites/{code}", "DELETE", "/v1/sites/HOU1", null, "*");

    Set<String> writes = new TreeSet<>();
    RoutePermissions.all().stream().filter(r -> !r.method().equals("get")).forEach(r -> writes.add(r.key()));
    Set<String> covered = new TreeSet<>(rowsByRoute.keySet());
    covered.addAll(NOT_AUDITED.keySet());
    assertThat(covered).as("write routes of the matrix without an audit check here").containsAll(writes);
    assertThat(writes).as("steps for routes the matrix does not have").containsAll(covered);

    // who, what, before/after and from where, for the security changes this test was written for
    JsonNode tokenRow = only("post /v1/sites/{site}/bootstrap-tokens");
    assertThat(tokenRow.get("entity").asText()).isEqualTo("bootstrap_token");
    assertThat(tokenRow.get("actor").asText()).isEqualTo("admin");
    assertThat(tokenRow.get("remote").asText()).isEqualTo("127.0.0.1");
    assertThat(tokenRow.get("site").asText()).isEqualTo("HOU1");
    assertThat(tokenRow.get("after").get("tokenId").asText()).hasSize(16);
    JsonNode rotate = only("post /v1/sites/{code}/terminals/{id}/rotate");
    assertThat(rotate.get("action").asText()).isEqualTo("rotate");
    assertThat(rotate.get("before").get("secretFingerprint").asText())
        .isNotEqualTo(rotate.get("after").get("secretFingerprint").asText());
    JsonNode deactivate = only("post /v1/sites/{code}/terminals/{id}/deactivate");
    assertThat(deactivate.get("before").get("active").asBoolean()).isTrue();
    assertThat(deactivate.get("after").get("active").asBoolean()).isFalse();
    JsonNode revoke = only("post /v1/sites/{site}/certificates/revoke");
    assertThat(revoke.get("action").asText()).isEqualTo("revoke");
    assertThat(revoke.get("after").get("tokensSpent").asInt()).isEqualTo(1);

    String everything = admin.get("/v1/audit?limit=1000").body();
    for (String s : secrets) {
      assertThat(everything).as("a secret in the audit log").doesNotContain(s);
    }
    assertThat(admin.get("/v1/audit/verify").json().get("ok").asBoolean()).isTrue();
  }

  /** Sends one accepted request and keeps the audit rows it added (at least one). */
  private Reply step(String route, String method, String path, String body, String ifMatch) {
    long before = head();
    Reply r = admin.send(method, path, body, ifMatch);
    assertThat(r.status()).as("%s %s → %s", method, path, r.body()).isBetween(200, 299);
    long after = head();
    assertThat(after).as("audit rows of %s %s", method, path).isGreaterThan(before);
    List<JsonNode> rows = new ArrayList<>();
    admin.get("/v1/audit?limit=1000").json().get("items").forEach(row -> {
      if (row.get("seq").asLong() > before && row.get("seq").asLong() <= after) {
        rows.add(row);
      }
    });
    assertThat(rows).as("audit rows of %s %s", method, path).isNotEmpty();
    rowsByRoute.put(route, rows);
    return r;
  }

  private JsonNode only(String route) {
    assertThat(rowsByRoute.get(route)).hasSize(1);
    return rowsByRoute.get(route).getFirst();
  }

  private long head() {
    return jdbi.withHandle(h -> h.createQuery("SELECT seq FROM audit_head WHERE id = 1").mapTo(Long.class).one());
  }
}
