package io.tms.api.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.http.CloudJson;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.GaugeReadingRecordedV1;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.LoadStartedV1;
import io.tms.protocol.v1.ReserveReleasedV1;
import io.tms.protocol.v1.TelemetrySamplesV1;
import io.tms.protocol.v1.sync.EdgeEventV1;
import io.tms.protocol.v1.sync.UplinkBatchV1;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** A site's outbox chain built in memory, and a plain HTTP poster of its batches: the test's edge. */
final class UplinkClientFake {
  final ObjectMapper json = CloudJson.mapper();
  final String site;
  final Lane lane;
  final List<EdgeEventV1> events = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private String last = EventHash.GENESIS;
  private final Instant t0 = Instant.parse("2026-05-01T06:00:00Z");

  private final String token;

  UplinkClientFake(String site, Lane lane) {
    this(site, lane, null);
  }

  /** With a bearer token for the admin API's reads ({@link #get}, {@link #delete}). */
  UplinkClientFake(String site, Lane lane, String token) {
    this.site = site;
    this.lane = lane;
    this.token = token;
  }

  EdgeEventV1 append(String type, Object body) {
    try {
      return appendRaw(type, json.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An event whose body is this JSON text, exactly (escapes and all), as a sender may write it. */
  EdgeEventV1 appendRaw(String type, String bodyJson) {
    long seq = events.size() + 1;
    String at = t0.plusSeconds(seq).toString();
    String h = EventHash.next(last, lane, seq, type, at, bodyJson);
    EdgeEventV1 e = new EdgeEventV1(seq, type, at, bodyJson, h);
    events.add(e);
    last = h;
    return e;
  }

  /** A load: started, a BOL of two lines (customer/product given), two inventory movements. */
  void load(int n, String customer, String product) {
    String loadId = site + "-L" + n;
    Instant at = t0.plusSeconds(n * 600L);
    append(EventTypes.LOAD_STARTED, new LoadStartedV1(loadId, "A" + n, "B1", "V" + n, at, List.of(
        new LoadStartedV1.Compartment(1, customer, product, "AL-" + customer, "ARM1", "M1", "T1", 3000))));
    append(EventTypes.BOL_ISSUED, new BolIssuedV1(site + "-" + String.format("%06d", n), site, loadId, "B1", "D1", "C1",
        "V" + n, at, at.plusSeconds(900), 6000, 5970, List.of(
            new BolIssuedV1.Line(1, product, customer, "AL-" + customer, "ARM1", "M1", "T1", 3000, 3000, 2985, 70, 740,
                59.7, 0.995, 3000),
            new BolIssuedV1.Line(2, "ULSD", "CUST9", "AL-CUST9", "ARM2", "M2", "T2", 3000, 3000, 2985, 70, 850, 35,
                0.995, 3000))));
    append(EventTypes.INVENTORY_MOVED, new InventoryMovedV1("T1", at.plusSeconds(900), "LOAD", loadId, -2985,
        100_000 - 2985.0 * n));
    append(EventTypes.INVENTORY_MOVED, new InventoryMovedV1("T2", at.plusSeconds(900), "LOAD", loadId, -2985,
        50_000 - 2985.0 * n));
  }

  void gauge(String tank, double net) {
    append(EventTypes.GAUGE_READING_RECORDED, new GaugeReadingRecordedV1("G" + events.size(), tank,
        t0.plusSeconds(events.size()), net + 10, 1, 70, net, net + 5));
  }

  void release(String allocation, long gal, long total) {
    append(EventTypes.RESERVE_RELEASED, new ReserveReleasedV1(site, allocation, gal, total, t0));
  }

  void telemetry(String source, int samples) {
    List<List<Double>> values = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      values.add(java.util.Arrays.asList(100.0 + i, i % 3 == 0 ? null : 1.5, 70.25, 741.0));
    }
    append(EventTypes.TELEMETRY_SAMPLES, new TelemetrySamplesV1("tank", source, t0, 5000,
        List.of("level_in", "water_in", "temperature_f", "density_kgm3"), values));
  }

  /** The same samples as {@link #telemetry}, in the compact form ({@code encoded}). */
  void telemetryCompact(String source, int samples) {
    append(EventTypes.TELEMETRY_SAMPLES, TelemetrySamplesV1.compact("tank", source, t0, 5000,
        List.of("level_in", "water_in", "temperature_f", "density_kgm3"), compactRows(samples), new int[] {0, 1, 2, 0}));
  }

  static double[][] compactRows(int samples) {
    double[][] rows = new double[samples][];
    for (int i = 0; i < samples; i++) {
      rows[i] = new double[] {100.0 + i, i % 3 == 0 ? Double.NaN : 1.5, 70.25, 741.0};
    }
    return rows;
  }

  /** Events fromSeq..toSeq (inclusive) as a batch. */
  UplinkBatchV1 batch(long fromSeq, long toSeq) {
    String prev = fromSeq == 1 ? EventHash.GENESIS : events.get((int) fromSeq - 2).hash();
    return new UplinkBatchV1(site, lane, fromSeq, prev, List.copyOf(events.subList((int) fromSeq - 1, (int) toSeq)));
  }

  /**
   * Events fromSeq..toSeq as a request body, each body inlined as {@code bodyJson} (the agent's
   * form) where {@code inline} says so and as the {@code body} string otherwise.
   */
  byte[] inlinedBatch(long fromSeq, long toSeq, java.util.function.LongPredicate inline) throws IOException {
    UplinkBatchV1 b = batch(fromSeq, toSeq);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator g = json.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("siteCode", b.siteCode());
      g.writeStringField("lane", b.lane().name());
      g.writeNumberField("fromSeq", b.fromSeq());
      g.writeStringField("prevHash", b.prevHash());
      g.writeArrayFieldStart("events");
      for (EdgeEventV1 e : b.events()) {
        g.writeStartObject();
        g.writeNumberField("seq", e.seq());
        g.writeStringField("type", e.type());
        g.writeStringField("occurredAt", e.occurredAt());
        g.writeStringField("hash", e.hash());
        if (inline.test(e.seq())) {
          g.writeFieldName("bodyJson");
          g.writeRawValue(e.body());
        } else {
          g.writeStringField("body", e.body());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Posts a batch: a record or map serialized as JSON, or a request body as it is ({@code byte[]}). */
  HttpResponse<String> post(URI base, Object batch, boolean gzip) throws IOException, InterruptedException {
    byte[] body = batch instanceof byte[] bytes ? bytes : json.writeValueAsBytes(batch);
    HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve("/edge/v1/sites/" + site + "/events"))
        .header("Content-Type", "application/json");
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(out)) {
        z.write(body);
      }
      body = out.toByteArray();
      rb.header("Content-Encoding", "gzip");
    }
    return http.send(rb.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Posts a request body as it is, with the given {@code Content-Encoding}. */
  HttpResponse<String> postEncoded(URI base, byte[] body, String encoding) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve("/edge/v1/sites/" + site + "/events"))
        .header("Content-Type", "application/json").header("Content-Encoding", encoding)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
    return http.send(authorized(HttpRequest.newBuilder(base.resolve(path))).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(URI base, String path) throws IOException, InterruptedException {
    return http.send(authorized(HttpRequest.newBuilder(base.resolve(path))).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }
}
