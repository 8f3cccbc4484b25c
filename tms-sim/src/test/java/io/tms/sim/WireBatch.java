package io.tms.sim;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tms.protocol.v1.sync.UplinkBatchV1;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads an uplink batch as the tests' {@link UplinkBatchV1}, turning each inlined
 * {@code bodyJson} into the {@code body} string it stands for: the exact bytes between its braces,
 * which is what the site hashed (sync protocol: "bodyJson"). Jackson's record binding alone would
 * drop {@code bodyJson}, and re-serializing a tree of it would not give the hashed bytes back.
 */
final class WireBatch {
  /** Reads one value at a time out of a larger document (the default mapper refuses what follows). */
  private static final ObjectMapper TREES = new ObjectMapper();

  private WireBatch() {}

  static UplinkBatchV1 read(ObjectMapper json, byte[] raw) throws IOException {
    ObjectNode root;
    try (JsonParser p = json.getFactory().createParser(raw)) {
      root = json.createObjectNode();
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("events")) {
          var events = root.putArray("events");
          while (p.nextToken() == JsonToken.START_OBJECT) {
            events.add(event(json, p, raw));
          }
        } else {
          root.set(field, TREES.readTree(p));
        }
      }
    }
    return json.treeToValue(root, UplinkBatchV1.class);
  }

  private static ObjectNode event(ObjectMapper json, JsonParser p, byte[] raw) throws IOException {
    ObjectNode e = json.createObjectNode();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("bodyJson")) {
        expect(value, JsonToken.START_OBJECT);
        int from = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int to = (int) p.currentLocation().getByteOffset();
        e.put("body", new String(raw, from, to - from, StandardCharsets.UTF_8));
      } else {
        e.set(field, TREES.readTree(p));
      }
    }
    return e;
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + ", found " + actual);
    }
  }
}
