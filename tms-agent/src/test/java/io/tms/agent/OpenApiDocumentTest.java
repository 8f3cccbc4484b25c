package io.tms.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the routes stay in step, both ways. */
class OpenApiDocumentTest extends AgentTestBase {
  private static final Pattern ROUTE = Pattern.compile("r\\.(get|post)\\(\"([^\"]+)\"");

  @Test
  void every_route_is_documented_and_every_documented_route_exists() throws IOException {
    String source = Files.readString(Path.of("src/main/java/io/tms/agent/http/TerminalApi.java"))
        + Files.readString(Path.of("src/main/java/io/tms/agent/http/TerminalSecurity.java"));
    Set<String> coded = new TreeSet<>();
    ROUTE.matcher(source).results().forEach(m -> coded.add(m.group(1) + " " + m.group(2)));
    assertThat(coded).hasSizeGreaterThan(15);

    JsonNode doc = client.get("/openapi.json").json();
    Set<String> documented = new TreeSet<>();
    doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(method -> {
      if (Set.of("get", "post", "put", "delete", "patch").contains(method)) {
        documented.add(method + " " + p.getKey());
      }
    }));
    assertThat(documented).isEqualTo(coded);

    for (String route : documented) {
      String[] parts = route.split(" ");
      String path = parts[1].replaceAll("\\{[^}]+}", "X");
      var reply = parts[0].equals("get") ? client.get(path) : client.post(path, "{}");
      if (reply.status() == 404) {
        assertThat(reply.body()).as(route).doesNotContain("no route");
      }
    }
  }
}
