package io.tms.api.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.tms.api.http.ApiException;
import io.tms.api.ingest.WireInstants;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.sync.HeartbeatAckV1;
import io.tms.protocol.v1.sync.HeartbeatV1;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads a {@link HeartbeatV1} and writes its {@link HeartbeatAckV1} by hand, on the streaming parser.
 *
 * <p>Why: a replica takes about a thousand heartbeats a second (DESIGN §10's fleet), and profiling
 * {@code tms bench fleet} showed the databind path — bean deserializer, {@code InstantDeserializer}
 * going through {@code DateTimeFormatter}, the serializer for the answer — as the largest cost of
 * the handler that is ours. The rules are those of the cloud's JSON ({@code CloudJson}) for this
 * record: wrong types, nulls for numbers, fractions for integers, numbers for text and trailing
 * tokens are refused naming the field; unknown fields are skipped (a newer agent may add some), as
 * the record's annotation says. Stateless and thread-safe.
 */
final class HeartbeatCodec {
  private final JsonFactory factory;

  HeartbeatCodec(JsonFactory factory) {
    this.factory = factory;
  }

  HeartbeatV1 read(byte[] raw) {
    if (raw.length == 0) {
      throw bad(null, "a JSON body is required");
    }
    try (JsonParser p = factory.createParser(raw)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw bad(null, "a JSON object is required");
      }
      String siteCode = null;
      String version = null;
      String configVersion = null;
      Instant startedAt = null;
      Instant lastSyncAt = null;
      Instant certificateExpires = null;
      Instant sentAt = null;
      long uptime = 0;
      long rev = 0;
      long disk = 0;
      long heap = 0;
      long rss = 0;
      Map<Lane, HeartbeatV1.LaneBacklog> outbox = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (field) {
          case "siteCode" -> siteCode = text(p, t, field);
          case "version" -> version = text(p, t, field);
          case "configVersion" -> configVersion = text(p, t, field);
          case "startedAt" -> startedAt = instant(p, t, field);
          case "uptimeSeconds" -> uptime = number(p, t, field);
          case "outbox" -> outbox = outbox(p, t);
          case "lastSyncAt" -> lastSyncAt = instant(p, t, field);
          case "rev" -> rev = number(p, t, field);
          case "diskFreeBytes" -> disk = number(p, t, field);
          case "heapUsedBytes" -> heap = number(p, t, field);
          case "rssBytes" -> rss = number(p, t, field);
          case "certificateExpires" -> certificateExpires = instant(p, t, field);
          case "sentAt" -> sentAt = instant(p, t, field);
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw bad(null, "malformed JSON: one object expected");
      }
      return new HeartbeatV1(siteCode, version, configVersion, startedAt, uptime, outbox, lastSyncAt, rev, disk, heap,
          rss, certificateExpires, sentAt);
    } catch (JsonProcessingException e) {
      throw bad(null, e.getLocation() == null ? "malformed JSON"
          : "malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw bad(null, "unreadable body");
    }
  }

  /** The answer, as {@code CloudJson} would write it (ISO-8601 instant). */
  static byte[] write(HeartbeatAckV1 ack) {
    return ("{\"serverTime\":\"" + ack.serverTime() + "\",\"feedRev\":" + ack.feedRev() + ",\"drainPlace\":"
        + ack.drainPlace() + ",\"drainEtaSeconds\":" + ack.drainEtaSeconds() + "}").getBytes(StandardCharsets.US_ASCII);
  }

  private static Map<Lane, HeartbeatV1.LaneBacklog> outbox(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      throw bad("outbox", "outbox: wrong type or shape");
    }
    Map<Lane, HeartbeatV1.LaneBacklog> out = new EnumMap<>(Lane.class);
    String name;
    while ((name = p.nextFieldName()) != null) {
      String f = "outbox." + name;
      Lane lane;
      try {
        lane = Lane.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw bad("outbox", "outbox: no lane " + name);
      }
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NULL) {
        out.put(lane, null);
        continue;
      }
      if (v != JsonToken.START_OBJECT) {
        throw bad(f, f + ": wrong type or shape");
      }
      long depth = 0;
      long age = 0;
      long dropped = 0;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken n = p.nextToken();
        switch (field) {
          case "depth" -> depth = number(p, n, f + ".depth");
          case "oldestAgeSeconds" -> age = number(p, n, f + ".oldestAgeSeconds");
          case "dropped" -> dropped = number(p, n, f + ".dropped");
          default -> p.skipChildren();
        }
      }
      out.put(lane, new HeartbeatV1.LaneBacklog(depth, age, dropped));
    }
    return out;
  }

  private static String text(JsonParser p, JsonToken t, String field) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw bad(field, field + ": wrong type or shape");
    }
    return p.getText();
  }

  private static long number(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw bad(field, field + ": wrong type or shape");
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw bad(field, field + ": out of range");
    }
    return p.getLongValue();
  }

  private static Instant instant(JsonParser p, JsonToken t, String field) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw bad(field, field + ": wrong type or shape");
    }
    try {
      return WireInstants.parse(p.getText());
    } catch (DateTimeException e) {
      throw bad(field, field + ": not an ISO-8601 instant");
    }
  }

  private static ApiException bad(String field, String detail) {
    return new ApiException(400, "INVALID_INPUT", field, detail);
  }
}
