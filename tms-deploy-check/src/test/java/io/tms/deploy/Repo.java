package io.tms.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the repository is (the tests run in this module's directory) and how to read its YAML. */
final class Repo {
  static final Path ROOT = findRoot();
  static final ObjectMapper YAML = new YAMLMapper();

  private Repo() {}

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  /** Every document of a (multi-document) YAML text, empty documents left out. */
  static List<JsonNode> documents(String yaml) {
    try (var parser = new YAMLFactory().createParser(yaml)) {
      List<JsonNode> docs = new ArrayList<>();
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isMissingNode() && !n.isEmpty()) {
          docs.add(n);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + " is not YAML", e);
    }
  }

  private static Path findRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("deploy"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no deploy/ directory above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
