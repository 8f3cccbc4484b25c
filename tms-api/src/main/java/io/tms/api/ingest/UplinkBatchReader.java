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
  /** Fast double parser: exact like the JDK's, several times cheaper on the BOL lines' numbers. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private UplinkBatchReader() {}

  /** A batch as read: {@link UplinkBatchV1} with bodies as byte ranges. */
  record Batch(String siteCode, Lane lane, long fromSeq, String prevHash, List<Event> events, Long droppedThroughSeq,
      Long afterBusinessSeq) {
    static Batch of(UplinkBatchV1 b) {
      List<Event> events = null;
      if (b.events() != null) {
        events = new ArrayList<>(b.events().size());
        for (EdgeEventV1 e : b.events()) {
          events.add(e == null ? null : Event.of(e));
        }
      }
      return new Batch(b.siteCode(), b.lane(), b.fromSeq(), b.prevHash(), events, b.droppedThroughSeq(),
          b.afterBusinessSeq());
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
    int eventIndex = -1;
    try (JsonParser p = JSON.createParser(raw)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ApiException(400, "INVALID_INPUT", null, "a JSON object is required");
      }
      String site = null;
      Lane lane = null;
      long fromSeq = 0;
      String prevHash = null;
      Long dropped = null;
      Long afterBusiness = null;
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
          case "afterBusinessSeq" -> afterBusiness = t == JsonToken.VALUE_NULL ? null : number(p, t, field);
          case "events" -> {
            if (t == JsonToken.VALUE_NULL) {
              continue;
            }
            if (t != JsonToken.START_ARRAY) {
              throw new ApiException(400, "INVALID_INPUT", "events", "events must be an array");
            }
            events = new ArrayList<>(1024);
            field = null; // while in events, an error names events[i] (built then, not per event)
            for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
              eventIndex = events.size();
              if (e == JsonToken.VALUE_NULL) {
                events.add(null);
              } else if (e == JsonToken.START_OBJECT) {
                events.add(event(p, raw, eventIndex, bodies));
              } else {
                throw new ApiException(400, "INVALID_INPUT", at(eventIndex), at(eventIndex) + " must be an object");
              }
            }
            eventIndex = -1;
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new ApiException(400, "INVALID_INPUT", null, "the body must hold one JSON object");
      }
      return new Batch(site, lane, fromSeq, prevHash, events, dropped, afterBusiness);
    } catch (IOException e) {
      if (eventIndex >= 0) {
        field = at(eventIndex);
      }
      throw new ApiException(400, "INVALID_INPUT", field, "malformed JSON" + (field == null ? "" : " at " + field)
          + ": " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }

  private static String at(int index) {
    return "events[" + index + "]";
  }

  private static Event event(JsonParser p, byte[] raw, int index, java.util.function.Function<String, ObjectReader> bodies)
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
      JsonToken t = p.nextToken();
      switch (name) {
        case "seq" -> seq = number(p, t, index, name);
        case "type" -> type = text(p, t, index, name);
        case "occurredAt" -> occurredAt = text(p, t, index, name);
        case "hash" -> hash = text(p, t, index, name);
        case "body" -> {
          if (t == JsonToken.VALUE_NULL) {
            continue;
          }
          if (src != null) {
            throw new ApiException(400, "INVALID_INPUT", at(index) + ".body", at(index) + " has body and bodyJson; one of them");
          }
          String v = text(p, t, index, name);
          src = v.getBytes(StandardCharsets.UTF_8);
          off = 0;
          len = src.length;
        }
        case "bodyJson" -> {
          if (t == JsonToken.VALUE_NULL) {
            continue;
          }
          if (src != null) {
            throw new ApiException(400, "INVALID_INPUT", at(index) + ".body", at(index) + " has body and bodyJson; one of them");
          }
          if (t != JsonToken.START_OBJECT) {
            throw new ApiException(400, "INVALID_INPUT", at(index) + ".bodyJson", at(index) + ".bodyJson must be a JSON object");
          }
          long start = p.currentTokenLocation().getByteOffset();
          ObjectReader typed = bodies == null || type == null ? null : bodies.apply(type);
          if (typed == null) {
            p.skipChildren();
          } else {
            try {
              if (!BusinessBodies.handles(type)) {
                decoded = typed.readValue(p);
              } else {
                com.fasterxml.jackson.core.JsonStreamContext event = p.getParsingContext().getParent();
                decoded = BusinessBodies.read(p, type);
                if (decoded == BusinessBodies.NOT_HANDLED) {
                  decoded = bindAsBefore(p, event, typed, raw, start);
                }
              }
            } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
              throw new ApiException(400, "INVALID_INPUT", at(index) + ".body",
                  "body of " + type + " at seq " + seq + " does not parse: " + e.getOriginalMessage());
            } catch (RuntimeException e) {
              throw new ApiException(400, "INVALID_INPUT", at(index) + ".body",
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

  /**
   * A body the fast reader gave up on somewhere inside (not in the sites' form): skipped to its
   * end, where the parser is back in {@code event} (the event object holding it), and bound from its
   * bytes by the cloud's strict mapper, as every body was before.
   */
  private static Object bindAsBefore(JsonParser p, com.fasterxml.jackson.core.JsonStreamContext event,
      ObjectReader typed, byte[] raw, long start) throws IOException {
    while (p.getParsingContext() != event) {
      if (p.nextToken() == null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input in a body");
      }
    }
    long end = p.currentTokenLocation().getByteOffset() + 1;
    return typed.readValue(raw, (int) start, (int) (end - start));
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

  /** As {@link #text(JsonParser, JsonToken, String)} for {@code events[index].name}, the name built only for an error. */
  private static String text(JsonParser p, JsonToken t, int index, String name) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    return text(p, t, at(index) + "." + name);
  }

  private static long number(JsonParser p, JsonToken t, int index, String name) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    return number(p, t, at(index) + "." + name);
  }

  private static long number(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw new ApiException(400, "INVALID_INPUT", field, field + " must be an integer");
    }
    return p.getLongValue();
  }
}
