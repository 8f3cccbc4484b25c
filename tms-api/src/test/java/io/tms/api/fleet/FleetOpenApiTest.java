package io.tms.api.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** fleet.json and the fleet routes stay in step, both ways, and the merge index names it. */
class FleetOpenApiTest {
  private static final Pattern ROUTE = Pattern.compile("r\\.(get|post)\\(\"([^\"]+)\"");

  @Test
  void every_fleet_route_is_documented_and_every_documented_route_exists() throws Exception {
    String source = Files.readString(Path.of("src/main/java/io/tms/api/fleet/FleetApi.java"));
    Set<String> coded = new TreeSet<>();
    ROUTE.matcher(source).results().forEach(m -> coded.add(m.group(1) + " " + m.group(2)));
    assertThat(coded).hasSize(4);

    JsonNode doc;
    try (InputStream in = FleetOpenApiTest.class.getResourceAsStream("/openapi/cloud/fleet.json")) {
      doc = new ObjectMapper().readTree(in);
    }
    Set<String> documented = new TreeSet<>();
    doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(
        method -> documented.add(method + " " + p.getKey())));
    assertThat(documented).isEqualTo(coded);
    // every $ref resolves
    String text = doc.toString();
    Pattern.compile("#/components/schemas/(\\w+)").matcher(text).results()
        .forEach(m -> assertThat(doc.get("components").get("schemas").has(m.group(1))).as(m.group(1)).isTrue());

    try (InputStream in = FleetOpenApiTest.class.getResourceAsStream("/openapi/cloud/index.txt")) {
      assertThat(new String(in.readAllBytes()).lines()).contains("fleet.json");
    }
  }
}
