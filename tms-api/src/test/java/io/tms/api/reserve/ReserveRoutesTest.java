package io.tms.api.reserve;

import static io.tms.api.reserve.ReserveFixture.allocation;
import static io.tms.api.reserve.ReserveFixture.feed;
import static io.tms.api.reserve.ReserveFixture.sites;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.Cloud;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoints over real HTTP, on a cloud whose background rounds also run. */
class ReserveRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private Cloud cloud;
  private Jdbi jdbi;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    jdbi = cloud.database().jdbi();
    sites(jdbi, "HOU1", "DAL1");
    allocation(jdbi, "A1", 50_000);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    TestAuth.bearer(b, TestAuth.adminToken(cloud));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static JsonNode site(JsonNode view, String code) {
    for (JsonNode s : view.get("sites")) {
      if (s.get("siteCode").asText().equals(code)) {
        return s;
      }
    }
    throw new AssertionError("no site " + code + " in " + view);
  }

  @Test
  void enrol_a_site_rebalance_and_read_the_reserves() throws Exception {
    HttpResponse<String> put = send("PUT", "/v1/allocations/A1/reserves/HOU1", "{\"minimumGallons\": 6000}");
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(site(json(put), "HOU1").get("participating").asBoolean()).isTrue();
    assertThat(site(json(put), "HOU1").get("targetGallons").asLong()).isEqualTo(6_000);

    HttpResponse<String> post = send("POST", "/v1/allocations/A1/rebalance", null);
    assertThat(post.statusCode()).isEqualTo(200);
    JsonNode reserves = json(post).get("reserves");
    assertThat(site(reserves, "HOU1").get("grantedGallons").asLong()).isEqualTo(6_000);
    assertThat(reserves.get("headroomGallons").asLong()).isEqualTo(44_000);

    HttpResponse<String> again = send("POST", "/v1/allocations/A1/rebalance", null);
    assertThat(json(again).get("moves")).isEmpty();
    HttpResponse<String> get = send("GET", "/v1/allocations/A1/reserves", null);
    assertThat(get.statusCode()).isEqualTo(200);
    JsonNode view = json(get);
    assertThat(view.get("committedGallons").asLong()).isEqualTo(6_000);
    assertThat(view.get("quantityGallons").asLong()).isEqualTo(50_000);
    assertThat(view.get("overCommitted").asBoolean()).isFalse();
    assertThat(site(view, "HOU1").get("reserveGallons").asLong()).isEqualTo(6_000);
    assertThat(feed(jdbi, "HOU1", "A1")).as("granted once, whichever round got there first")
        .containsExactly(new long[] {6_000, 0});

    HttpResponse<String> withdraw = send("PUT", "/v1/allocations/A1/reserves/HOU1", "{\"participating\": false}");
    assertThat(site(json(withdraw), "HOU1").get("targetGallons").asLong()).isZero();
    send("POST", "/v1/allocations/A1/rebalance", null);
    assertThat(feed(jdbi, "HOU1", "A1")).last().isEqualTo(new long[] {6_000, 6_000});
  }

  @Test
  void bad_requests_are_problems_naming_the_field_and_change_nothing() throws Exception {
    assertProblem(send("GET", "/v1/allocations/NOPE/reserves", null), 404, "id");
    assertProblem(send("POST", "/v1/allocations/NOPE/rebalance", null), 404, "id");
    assertProblem(send("PUT", "/v1/allocations/A1/reserves/hou1", "{}"), 400, "site");
    assertProblem(send("PUT", "/v1/allocations/A1/reserves/NOPE1", "{}"), 404, "site");
    assertProblem(send("PUT", "/v1/allocations/NOPE/reserves/HOU1", "{}"), 404, "id");
    assertProblem(send("PUT", "/v1/allocations/A1/reserves/HOU1", "{\"minimumGallons\": -1}"), 400, "minimumGallons");
    assertProblem(send("PUT", "/v1/allocations/A1/reserves/HOU1", "{\"minimumGallons\": \"5\"}"), 400,
        "minimumGallons");
    assertProblem(send("PUT", "/v1/allocations/A1/reserves/HOU1", "{\"minimum\": 5}"), 400, "minimum");
    long enrolled = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM reserve_site").mapTo(Long.class).one());
    assertThat(enrolled).isZero();
  }

  private static void assertProblem(HttpResponse<String> r, int status, String field) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(json(r).path("field").asText()).as(r.body()).isEqualTo(field);
  }
}
