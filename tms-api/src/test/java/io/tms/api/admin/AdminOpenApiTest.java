package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.api.audit.AuditLog;
import io.tms.api.feed.ChangeLog;
import java.time.Clock;
import io.tms.api.http.CloudHttp;
import io.tms.api.http.OpenApiDocument;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The admin routes and their OpenAPI fragment stay in step, both ways, and /openapi.json serves the merge. */
class AdminOpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

  @Test
  void everyAdminRouteIsDocumentedAndEveryDocumentedRouteExists() throws IOException {
    CloudHttp web = new CloudHttp(AdminClient.JSON, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 1 << 20);
    // routes are only registered, never called: the database is never reached
    AdminRoutes admin = new AdminRoutes(Jdbi.create("jdbc:postgresql://127.0.0.1:1/none"), new ChangeLog(AdminClient.JSON),
        new AuditLog(AdminClient.JSON, Clock.systemUTC()), web);
    Javalin app = web.create(() -> true, List.of(admin));
    Set<String> registered = new TreeSet<>();
    app.unsafe.internalRouter.allHttpHandlers().forEach(e -> {
      if (e.endpoint.path.startsWith("/v1/")) {
        registered.add(e.endpoint.method.name().toLowerCase() + " " + e.endpoint.path);
      }
    });
    assertThat(registered).hasSizeGreaterThanOrEqualTo(9 * 5 + 4);
    assertThat(operations(fragment("admin.json"))).isEqualTo(registered);
  }

  @Test
  void theServedDocumentIsTheMergeOfEveryFragment() throws Exception {
    try (Cloud cloud = Cloud.start(TestDatabase.freshCloudConfig())) {
      AdminClient.Reply reply = new AdminClient(cloud).get("/openapi.json");
      assertThat(reply.status()).isEqualTo(200);
      JsonNode doc = reply.json();
      assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
      Set<String> served = operations(doc);
      assertThat(served).containsAll(operations(fragment("admin.json"))).contains("get /livez", "get /openapi.json");
      assertThat(doc.at("/components/schemas/DriverInput/properties/pin")).isNotNull();
      assertThat(doc.at("/components/schemas/Driver/properties").has("pin")).isFalse();
      assertThat(doc.at("/components/schemas/Driver/properties").has("pinHash")).isFalse();
      List<String> refs = new ArrayList<>();
      collectRefs(doc, refs);
      assertThat(refs).isNotEmpty();
      for (String ref : refs) {
        assertThat(doc.at(ref.substring(1)).isMissingNode()).as("unresolved " + ref).isFalse();
      }
    }
  }

  @Test
  void fragmentsThatDescribeTheSameOperationOrDifferentSchemasUnderOneNameAreRefused() throws IOException {
    JsonNode a = AdminClient.JSON.readTree("""
        {"paths": {"/x": {"get": {"summary": "a"}}}, "components": {"schemas": {"S": {"type": "string"}}}}""");
    JsonNode sameSchema = AdminClient.JSON.readTree("""
        {"paths": {"/x": {"post": {"summary": "b"}}}, "components": {"schemas": {"S": {"type": "string"}}}}""");
    JsonNode samePath = AdminClient.JSON.readTree("""
        {"paths": {"/x": {"get": {"summary": "a"}}}}""");
    JsonNode otherSchema = AdminClient.JSON.readTree("""
        {"components": {"schemas": {"S": {"type": "integer"}}}}""");

    JsonNode merged = OpenApiDocument.merge(AdminClient.JSON, ordered("a.json", a, "b.json", sameSchema));
    assertThat(operations(merged)).containsExactlyInAnyOrder("get /x", "post /x");
    assertThatThrownBy(() -> OpenApiDocument.merge(AdminClient.JSON, ordered("a.json", a, "c.json", samePath)))
        .hasMessageContaining("path /x get").hasMessageContaining("a.json").hasMessageContaining("c.json");
    assertThatThrownBy(() -> OpenApiDocument.merge(AdminClient.JSON, ordered("a.json", a, "d.json", otherSchema)))
        .hasMessageContaining("components.schemas.S");
  }

  private static Map<String, JsonNode> ordered(String n1, JsonNode d1, String n2, JsonNode d2) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    m.put(n1, d1);
    m.put(n2, d2);
    return m;
  }

  private static JsonNode fragment(String name) throws IOException {
    try (InputStream in = AdminOpenApiTest.class.getClassLoader().getResourceAsStream(OpenApiDocument.DIR + name)) {
      return AdminClient.JSON.readTree(in);
    }
  }

  private static Set<String> operations(JsonNode doc) {
    Set<String> ops = new TreeSet<>();
    doc.path("paths").properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m -> {
      if (METHODS.contains(m)) {
        ops.add(m + " " + p.getKey());
      }
    }));
    return ops;
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals("$ref")) {
          out.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }
}
