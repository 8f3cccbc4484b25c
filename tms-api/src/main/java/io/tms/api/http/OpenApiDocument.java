package io.tms.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The cloud's OpenAPI 3.1 document, merged at start-up from fragments so that each part of the
 * service describes its own routes: {@code openapi/cloud/index.txt} on the class path lists the
 * fragment files (one name a line, {@code #} comments), each a partial document with {@code paths},
 * {@code components} and {@code tags}. A path and method described twice, or a component defined
 * twice differently, stops the start-up with both file names.
 */
public final class OpenApiDocument {
  public static final String DIR = "openapi/cloud/";

  private OpenApiDocument() {}

  /** Reads and merges the fragments listed in {@code DIR + "index.txt"}. */
  public static ObjectNode load(ObjectMapper json) {
    ClassLoader loader = OpenApiDocument.class.getClassLoader();
    Map<String, JsonNode> fragments = new LinkedHashMap<>();
    for (String line : read(loader, DIR + "index.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      try {
        fragments.put(name, json.readTree(read(loader, DIR + name)));
      } catch (IOException e) {
        throw new IllegalStateException("OpenAPI fragment " + DIR + name + " is not valid JSON: " + e.getMessage(), e);
      }
    }
    return merge(json, fragments);
  }

  /** Merges fragments (file name to document) in order into one document. */
  public static ObjectNode merge(ObjectMapper json, Map<String, JsonNode> fragments) {
    ObjectNode doc = json.createObjectNode();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "TMS cloud API");
    info.put("version", "1");
    ArrayNode tags = doc.putArray("tags");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode components = doc.putObject("components");
    Map<String, String> origin = new LinkedHashMap<>();
    Set<String> tagNames = new HashSet<>();
    fragments.forEach((file, fragment) -> {
      fragment.path("paths").properties().forEach(p -> {
        ObjectNode target = paths.has(p.getKey()) ? (ObjectNode) paths.get(p.getKey()) : paths.putObject(p.getKey());
        p.getValue().properties().forEach(op -> {
          String where = "path " + p.getKey() + " " + op.getKey();
          claim(origin, where, file, target.has(op.getKey()) && !target.get(op.getKey()).equals(op.getValue()));
          target.set(op.getKey(), op.getValue());
        });
      });
      fragment.path("components").properties().forEach(kind -> {
        ObjectNode target = components.has(kind.getKey())
            ? (ObjectNode) components.get(kind.getKey()) : components.putObject(kind.getKey());
        kind.getValue().properties().forEach(c -> {
          String where = "components." + kind.getKey() + "." + c.getKey();
          claim(origin, where, file, target.has(c.getKey()) && !target.get(c.getKey()).equals(c.getValue()));
          target.set(c.getKey(), c.getValue());
        });
      });
      for (JsonNode tag : fragment.path("tags")) {
        if (tagNames.add(tag.path("name").asText())) {
          tags.add(tag);
        }
      }
    });
    return doc;
  }

  private static void claim(Map<String, String> origin, String where, String file, boolean differs) {
    String before = origin.putIfAbsent(where, file);
    if (before != null && (differs || where.startsWith("path "))) {
      throw new IllegalStateException("OpenAPI " + where + " is described in both " + before + " and " + file);
    }
  }

  private static String read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
