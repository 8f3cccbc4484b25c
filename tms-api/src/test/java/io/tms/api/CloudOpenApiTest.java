package io.tms.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document and the routes of a real replica describe the same API. */
class CloudOpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

  @Test
  void everyRouteIsDocumentedEveryDocumentedRouteExistsAndEveryReferenceResolves() throws Exception {
    // with the CA on, so the certificate routes of the admin API are served too
    try (Cloud cloud = Cloud.start(TestDatabase.freshCloudConfig().withEdge(
        io.tms.api.pki.EdgeSettings.plaintextOnly().withCa("openapi test passphrase", "127.0.0.1", 0)))) {
      HttpResponse<String> reply = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + "/openapi.json")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(reply.statusCode()).isEqualTo(200);
      JsonNode doc = new ObjectMapper().readTree(reply.body());

      Set<String> documented = new TreeSet<>();
      doc.get("paths").properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m -> {
        if (METHODS.contains(m)) {
          documented.add(m + " " + p.getKey());
        }
      }));
      Set<String> served = new TreeSet<>();
      cloud.routes().forEach(r -> {
        if (METHODS.contains(r.substring(0, r.indexOf(' ')))) {
          served.add(r);
        }
      });
      assertThat(served).contains("post /edge/v1/sites/{site}/heartbeat", "get /edge/v1/sites/{site}/changes");
      assertThat(documented).isEqualTo(served);

      List<String> refs = new ArrayList<>();
      collectRefs(doc, refs);
      assertThat(refs).isNotEmpty();
      for (String ref : refs) {
        assertThat(doc.at(ref.substring(1)).isMissingNode()).as("unresolved " + ref).isFalse();
      }
    }
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
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
