package io.tms.api.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tms.api.http.ApiException;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.EdgeEventV1;
import io.tms.protocol.v1.sync.UplinkBatchV1;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an {@code UplinkBatchV1} request body in one streaming pass, without a string per body:
 * an event's body stays a range of the request bytes, which the hash and the typed landing read in
 * place. Both body forms are accepted (docs/sync-protocol.md): {@code body}, the JSON as a string
 * (the original form, unescaped here into bytes), and {@code bodyJson}, the same JSON inlined
 * (its exact bytes, from its opening to its closing brace). Unknown fields are ignored, as the wire
 * records do; what does not fit is a 400 naming the field. Stateless and thread-safe.
 */
final class UplinkBatchReader {
  private static final JsonFactory JSON = new JsonFactory();

  private UplinkBatchReader() {}

  /** A batch as read: {@link UplinkBatchV1} with bodies as byte ranges. */
  record Batch(String siteCode, Lane lane, long fromSeq, String prevHash, List<Event> events, Long droppedThroughSeq) {
    static Batch of(UplinkBatchV1 b) {
      List<Event> events = null;
      if (b.events() != null) {
        events = new ArrayList<>(b.events().size());
        for (EdgeEventV1 e : b.events()) {
          events.add(e == null ? null : Event.of(e));
        }
      }
      return new Batch(b.siteCode(), b.lane(), b.fromSeq(), b.prevHash(), events, b.droppedThroughSeq());
    }
  }

  /**
   * One event; its body is {@code src[off, off + len)} (UTF-8), or {@code src} is null when it had
   * none. {@code decoded} is the body as its typed record when the reader decoded it on the way
   * (an inlined business body whose type came before it), else null.
   */
  record Event(long seq, String type, String occurredAt, byte[] src, int off, int len, String hash, Object decoded) {
    static Event of(EdgeEventV1 e) {
      byte[] body = e.body() == null ? null : e.body().getBytes(StandardCharsets.UTF_8);
      return new Event(e.seq(), e.type(), e.occurredAt(), body, 0, body == null ? 0 : body.length, e.hash(), null);
    }

    boolean hasBody() {
      return src != null;
    }
  }

  static Batch read(byte[] raw) {
    return read(raw, null);
  }

  /**
   * As {@link #read(byte[])}; with {@code bodies}, an inlined body of a business event type
   * (a reader for its type from {@code bodies}) that follows its {@code type} is decoded into its record in the
   * same pass (one tokenization of it instead of a skip here and a parse later). A body that does
   * not decode is a 400 naming {@code events[i].body}, as it would be later.
   */
  static Batch read(byte[] raw, java.util.function.Function<String, ObjectReader> bodies) {
    if (raw.length == 0) {
      throw new ApiException(400, "INVALID_INPUT", null, "a JSON body is required");
    }
    String field = null;
    try (JsonParser p = JSON.createParser(raw)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ApiException(400, "INVALID_INPUT", null, "a JSON object is required");
      }
      String site = null;
      Lane lane = null;
      long fromSeq = 0;
      String prevHash = null;
      Long dropped = null;
      List<Event> events = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "siteCode" -> site = text(p, t, field);
          case "lane" -> {
            String v = text(p, t, field);
            try {
              lane = v == null ? null : Lane.valueOf(v);
            } catch (IllegalArgumentException e) {
              throw new ApiException(400, "INVALID_INPUT", "lane", "lane must be BUSINESS or TELEMETRY (was " + v + ")");
            }
          }
          case "fromSeq" -> fromSeq = number(p, t, field);
          case "prevHash" -> prevHash = text(p, t, field);
          case "droppedThroughSeq" -> dropped = t == JsonToken.VALUE_NULL ? null : number(p, t, field);
          case "events" -> {
            if (t == JsonToken.VALUE_NULL) {
              continue;
            }
            if (t != JsonToken.START_ARRAY) {
              throw new ApiException(400, "INVALID_INPUT", "events", "events must be an array");
            }
            events = new ArrayList<>(1024);
            for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
              field = "events[" + events.size() + "]";
              if (e == JsonToken.VALUE_NULL) {
                events.add(null);
              } else if (e == JsonToken.START_OBJECT) {
                events.add(event(p, raw, field, bodies));
              } else {
                throw new ApiException(400, "INVALID_INPUT", field, field + " must be an object");
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new ApiException(400, "INVALID_INPUT", null, "the body must hold one JSON object");
      }
      return new Batch(site, lane, fromSeq, prevHash, events, dropped);
    } catch (IOException e) {
      throw new ApiException(400, "INVALID_INPUT", field, "malformed JSON" + (field == null ? "" : " at " + field)
          + ": " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }

  private static Event event(JsonParser p, byte[] raw, String at, java.util.function.Function<String, ObjectReader> bodies)
      throws IOException {
    long seq = 0;
    String type = null;
    String occurredAt = null;
    String hash = null;
    byte[] src = null;
    int off = 0;
    int len = 0;
    Object decoded = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String field = at + "." + name;
      JsonToken t = p.nextToken();
      switch (name) {
        case "seq" -> seq = number(p, t, field);
        case "type" -> type = text(p, t, field);
        case "occurredAt" -> occurredAt = text(p, t, field);
        case "hash" -> hash = text(p, t, field);
        case "body" -> {
          if (t == JsonToken.VALUE_NULL) {
            continue;
          }
          if (src != null) {
            throw new ApiException(400, "INVALID_INPUT", at + ".body", at + " has body and bodyJson; one of them");
          }
          String v = text(p, t, field);
          src = v.getBytes(StandardCharsets.UTF_8);
          off = 0;
          len = src.length;
        }
        case "bodyJson" -> {
          if (t == JsonToken.VALUE_NULL) {
            continue;
          }
          if (src != null) {
            throw new ApiException(400, "INVALID_INPUT", at + ".body", at + " has body and bodyJson; one of them");
          }
          if (t != JsonToken.START_OBJECT) {
            throw new ApiException(400, "INVALID_INPUT", field, field + " must be a JSON object");
          }
          long start = p.currentTokenLocation().getByteOffset();
          ObjectReader typed = bodies == null || type == null ? null : bodies.apply(type);
          if (typed == null) {
            p.skipChildren();
          } else {
            try {
              decoded = typed.readValue(p);
            } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
              throw new ApiException(400, "INVALID_INPUT", at + ".body",
                  "body of " + type + " at seq " + seq + " does not parse: " + e.getOriginalMessage());
            } catch (RuntimeException e) {
              throw new ApiException(400, "INVALID_INPUT", at + ".body",
                  "body of " + type + " at seq " + seq + " does not parse: " + e.getMessage());
            }
          }
          long end = p.currentTokenLocation().getByteOffset() + 1; // just past the closing brace
          src = raw;
          off = (int) start;
          len = (int) (end - start);
        }
        default -> p.skipChildren();
      }
    }
    return new Event(seq, type, occurredAt, src, off, len, hash, decoded);
  }

  private static String text(JsonParser p, JsonToken t, String field) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new ApiException(400, "INVALID_INPUT", field, field + " must be a string");
    }
    return p.getText();
  }

  private static long number(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw new ApiException(400, "INVALID_INPUT", field, field + " must be an integer");
    }
    return p.getLongValue();
  }
}
