package io.tms.api.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.http.ApiException;
import io.tms.protocol.v1.AuditRecordedV1;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.CardUnlockedV1;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.GaugeReadingRecordedV1;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.LoadCancelledV1;
import io.tms.protocol.v1.LoadStartedV1;
import io.tms.protocol.v1.ReserveReleasedV1;
import io.tms.protocol.v1.TelemetryBlock;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lands a run of new events (a chunk of a batch) in the typed tables, inside the apply
 * transaction: rows go in per table with one COPY each, loads are folded in memory first (a load
 * started and completed in the same chunk is one row; one that ends in a later chunk or batch is
 * upserted). Telemetry blocks are streamed from their JSON into a binary COPY ({@link TelemetryCopy}),
 * without boxing a number. Decoding ({@link #add}) may run on any thread; not
 * thread-safe: one per chunk, written in seq order.
 */
final class EventLanding {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private final ObjectMapper json;
  private final String site;
  private final CopyRows authorizations = new CopyRows("authorization_decision",
      "site_code, id, seq, decided_at, expires_at, approved, deny_codes, card_number, driver_id, carrier_id, vehicle_id,"
          + " card_locked, compartments");
  /** A BOL and its lines in one row, the lines as parallel arrays (V15; {@code bol_line} is a view of them). */
  private final CopyRows bols = new CopyRows("bol",
      "number, site_code, seq, load_id, bay_id, driver_id, carrier_id, vehicle_id, started_at, completed_at,"
          + " total_gross_gal, total_net_gal, customer_ids, product_codes, line_compartment, line_product_code,"
          + " line_customer_id, line_allocation_id, line_arm_id, line_meter_id, line_tank_id, line_preset_gal,"
          + " line_gross_gal, line_net_gal, line_temperature_f, line_base_density, line_api_gravity, line_ctl,"
          + " line_consumed_gal");
  private final BolLineArrays lineArrays = new BolLineArrays();
  private final CopyRows movements = new CopyRows("inventory_movement",
      "site_code, seq, tank_id, moved_at, reason, reference, delta_net_gal, book_after_gal");
  private final CopyRows gauges = new CopyRows("gauge_reading",
      "site_code, seq, id, tank_id, read_at, gross_gal, water_gal, temperature_f, net_gal, book_net_gal");
  private final CopyRows unlocks = new CopyRows("card_unlock", "site_code, seq, card_number, unlocked_at, operator");
  private final CopyRows releaseRows = new CopyRows("reserve_release",
      "site_code, seq, allocation_id, released_gal, released_total_gal, released_at");
  private final CopyRows audits = new CopyRows("edge_audit",
      "site_code, audit_seq, seq, at, terminal_id, operator, action, subject, detail, prev_hash, hash");
  private final TelemetryCopy telemetry = new TelemetryCopy();
  private final CopyRows loadRows = new CopyRows("site_load",
      "site_code, id, authorization_id, bay_id, vehicle_id, status, started_at, ended_at, bol_number, cancel_reason,"
          + " compartments, seq");

  /** Loads touched by this batch, by id: started here (insert) or only ended here (update). */
  private final Map<String, LoadRow> loads = new LinkedHashMap<>();
  private final List<IngestHook.BolLine> hookLines = new ArrayList<>();
  private final List<IngestHook.Release> hookReleases = new ArrayList<>();

  EventLanding(ObjectMapper json, String site) {
    this.json = json;
    this.site = site;
  }

  private static final class LoadRow {
    boolean startedHere;
    String authorizationId;
    String bayId;
    String vehicleId;
    String status;
    Instant startedAt;
    Instant endedAt;
    String bolNumber;
    String cancelReason;
    int compartments;
    long seq;
  }

  /** One BOL's lines column by column, reused from BOL to BOL (grown for a longer one). */
  private static final class BolLineArrays {
    int[] compartment = new int[0];
    String[] product;
    String[] customer;
    String[] allocation;
    String[] arm;
    String[] meter;
    String[] tank;
    long[] preset;
    double[] gross;
    double[] net;
    double[] temperature;
    double[] density;
    double[] api;
    double[] ctl;
    long[] consumed;

    /**
     * The line columns in the table's order ({@code line_compartment} … {@code line_consumed_gal}).
     * Columns of one type go through one loop, so the JIT inlines each array writer once here rather
     * than at six call sites of the BOL's landing: that method, run once per BOL, is compiled late
     * (in a benchmark's measured window) and its size is what C2 pays for.
     */
    void write(CopyRows rows, int n) {
      rows.int4Array(compartment, n);
      for (String[] column : new String[][] {product, customer, allocation, arm, meter, tank}) {
        rows.textArray(column, n);
      }
      rows.int8Array(preset, n);
      for (double[] column : new double[][] {gross, net, temperature, density, api, ctl}) {
        rows.float8Array(column, n);
      }
      rows.int8Array(consumed, n);
    }

    BolLineArrays of(int n) {
      if (compartment.length < n) {
        int size = Math.max(n, 8);
        compartment = new int[size];
        product = new String[size];
        customer = new String[size];
        allocation = new String[size];
        arm = new String[size];
        meter = new String[size];
        tank = new String[size];
        preset = new long[size];
        gross = new double[size];
        net = new double[size];
        temperature = new double[size];
        density = new double[size];
        api = new double[size];
        ctl = new double[size];
        consumed = new long[size];
      }
      return this;
    }
  }

  /**
   * Room for telemetry blocks whose bodies take {@code bodyBytes} in the batch: their COPY rows
   * (base64 decoded, about three quarters of it) then fill one buffer instead of doubling one from
   * 64 KiB and copying it at each step.
   */
  void reserveTelemetry(long bodyBytes) {
    telemetry.reserve((int) Math.min(bodyBytes, 64L << 20));
  }

  /** Adds one event; {@code index} names it in a 400 when its body does not parse. */
  void add(UplinkBatchReader.Event e, int index) {
    try {
      switch (e.type()) {
        case EventTypes.TELEMETRY_SAMPLES -> telemetry(e, index);
        case EventTypes.AUTHORIZATION_DECIDED -> authorization(e.seq(), read(e, AuthorizationDecidedV1.class));
        case EventTypes.LOAD_STARTED -> loadStarted(e.seq(), read(e, LoadStartedV1.class));
        case EventTypes.LOAD_CANCELLED -> loadCancelled(e.seq(), read(e, LoadCancelledV1.class));
        case EventTypes.BOL_ISSUED -> bol(e.seq(), read(e, BolIssuedV1.class));
        case EventTypes.INVENTORY_MOVED -> movement(e.seq(), read(e, InventoryMovedV1.class));
        case EventTypes.GAUGE_READING_RECORDED -> gauge(e.seq(), read(e, GaugeReadingRecordedV1.class));
        case EventTypes.CARD_UNLOCKED -> unlock(e.seq(), read(e, CardUnlockedV1.class));
        case EventTypes.RESERVE_RELEASED -> release(e.seq(), read(e, ReserveReleasedV1.class));
        case EventTypes.AUDIT_RECORDED -> audit(e.seq(), read(e, AuditRecordedV1.class));
        default -> throw new ApiException(400, "INVALID_INPUT", "events[" + index + "].type",
            "unknown event type " + e.type() + " at seq " + e.seq());
      }
    } catch (IOException | RuntimeException ex) {
      if (ex instanceof ApiException api) {
        throw api;
      }
      throw new ApiException(400, "INVALID_INPUT", "events[" + index + "].body",
          "body of " + e.type() + " at seq " + e.seq() + " does not parse: " + ex.getMessage());
    }
  }

  private <T> T read(UplinkBatchReader.Event e, Class<T> type) throws IOException {
    if (type.isInstance(e.decoded())) { // decoded by the reader already
      return type.cast(e.decoded());
    }
    return json.readValue(e.src(), e.off(), e.len(), type);
  }

  /** The record a business event's body decodes into, by its type; null for telemetry and unknown types. */
  static Class<?> bodyType(String type) {
    return switch (type) {
      case EventTypes.AUTHORIZATION_DECIDED -> AuthorizationDecidedV1.class;
      case EventTypes.LOAD_STARTED -> LoadStartedV1.class;
      case EventTypes.LOAD_CANCELLED -> LoadCancelledV1.class;
      case EventTypes.BOL_ISSUED -> BolIssuedV1.class;
      case EventTypes.INVENTORY_MOVED -> InventoryMovedV1.class;
      case EventTypes.GAUGE_READING_RECORDED -> GaugeReadingRecordedV1.class;
      case EventTypes.CARD_UNLOCKED -> CardUnlockedV1.class;
      case EventTypes.RESERVE_RELEASED -> ReserveReleasedV1.class;
      case EventTypes.AUDIT_RECORDED -> AuditRecordedV1.class;
      default -> null;
    };
  }

  private void authorization(long seq, AuthorizationDecidedV1 a) {
    require(a.authorizationId(), "authorizationId");
    require(a.decidedAt(), "decidedAt");
    authorizations.text(site).text(a.authorizationId()).int8(seq).ts(a.decidedAt()).ts(a.expiresAt())
        .bool(a.approved()).textArray(a.denyCodes() == null ? List.of() : a.denyCodes()).text(a.cardNumber())
        .text(a.driverId()).text(a.carrierId()).text(a.vehicleId()).bool(a.cardLocked())
        .int4(a.compartments() == null ? 0 : a.compartments().size()).end();
  }

  private LoadRow load(String id, long seq) {
    return loads.computeIfAbsent(id, k -> {
      LoadRow r = new LoadRow();
      r.seq = seq;
      return r;
    });
  }

  private void loadStarted(long seq, LoadStartedV1 l) {
    require(l.loadId(), "loadId");
    LoadRow r = load(l.loadId(), seq);
    r.startedHere = true;
    r.seq = seq;
    r.authorizationId = l.authorizationId();
    r.bayId = l.bayId();
    r.vehicleId = l.vehicleId();
    r.startedAt = l.startedAt();
    r.compartments = l.compartments() == null ? 0 : l.compartments().size();
    if (r.status == null) {
      r.status = "LOADING";
    }
  }

  private void loadCancelled(long seq, LoadCancelledV1 l) {
    require(l.loadId(), "loadId");
    LoadRow r = load(l.loadId(), seq);
    r.status = "CANCELLED";
    r.endedAt = l.cancelledAt();
    r.cancelReason = l.reason();
    if (r.bayId == null) {
      r.bayId = l.bayId();
    }
  }

  private void bol(long seq, BolIssuedV1 b) {
    require(b.bolNumber(), "bolNumber");
    if (!b.bolNumber().startsWith(site + "-")) { // a site may only write its own data
      throw new ApiException(422, "FOREIGN_BOL", "events", "BOL " + b.bolNumber() + " at seq " + seq
          + " is not a BOL of site " + site + " (its number must start with " + site + "-)");
    }
    require(b.completedAt(), "completedAt");
    List<BolIssuedV1.Line> lines = b.lines() == null ? List.of() : b.lines();
    int n = lines.size();
    BolLineArrays a = lineArrays.of(n);
    List<String> customers = new ArrayList<>();
    List<String> products = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BolIssuedV1.Line l = lines.get(i);
      if (l == null || l.productCode() == null || l.customerId() == null) { // the name built only for a refusal
        throw new IllegalArgumentException("lines[" + i + "]"
            + (l == null ? "" : l.productCode() == null ? ".productCode" : ".customerId") + " is required");
      }
      for (int j = 0; j < i; j++) {
        if (a.compartment[j] == l.compartment()) { // one line per compartment, as bol_line's key said
          throw new IllegalArgumentException("lines[" + i + "].compartment " + l.compartment() + " appears twice");
        }
      }
      if (!customers.contains(l.customerId())) {
        customers.add(l.customerId());
      }
      if (!products.contains(l.productCode())) {
        products.add(l.productCode());
      }
      a.compartment[i] = l.compartment();
      a.product[i] = l.productCode();
      a.customer[i] = l.customerId();
      a.allocation[i] = l.allocationId();
      a.arm[i] = l.armId();
      a.meter[i] = l.meterId();
      a.tank[i] = l.tankId();
      a.preset[i] = l.presetGallons();
      a.gross[i] = l.grossGallons();
      a.net[i] = l.netGallons();
      a.temperature[i] = l.temperatureF();
      a.density[i] = l.baseDensityKgM3();
      a.api[i] = l.apiGravity();
      a.ctl[i] = l.ctl();
      a.consumed[i] = l.consumedGallons();
      hookLines.add(new IngestHook.BolLine(b.bolNumber(), seq, l.compartment(), l.customerId(), l.productCode(),
          l.allocationId(), l.consumedGallons(), l.grossGallons(), l.netGallons(), b.completedAt()));
    }
    bols.text(b.bolNumber()).text(site).int8(seq).text(b.loadId()).text(b.bayId()).text(b.driverId())
        .text(b.carrierId()).text(b.vehicleId()).ts(b.startedAt()).ts(b.completedAt())
        .float8(b.totalGrossGallons()).float8(b.totalNetGallons()).textArray(customers).textArray(products);
    a.write(bols, n);
    bols.end();
    if (b.loadId() != null) {
      LoadRow r = load(b.loadId(), seq);
      r.status = "COMPLETED";
      r.endedAt = b.completedAt();
      r.bolNumber = b.bolNumber();
      if (r.startedAt == null) {
        r.startedAt = b.startedAt();
      }
      if (r.bayId == null) {
        r.bayId = b.bayId();
      }
      if (r.vehicleId == null) {
        r.vehicleId = b.vehicleId();
      }
    }
  }

  private void movement(long seq, InventoryMovedV1 m) {
    require(m.tankId(), "tankId");
    require(m.movedAt(), "movedAt");
    require(m.reason(), "reason");
    movements.text(site).int8(seq).text(m.tankId()).ts(m.movedAt()).text(m.reason()).text(m.reference())
        .float8(m.deltaNetGallons()).float8(m.bookNetGallonsAfter()).end();
  }

  private void gauge(long seq, GaugeReadingRecordedV1 g) {
    require(g.readingId(), "readingId");
    require(g.tankId(), "tankId");
    require(g.readAt(), "readAt");
    gauges.text(site).int8(seq).text(g.readingId()).text(g.tankId()).ts(g.readAt()).float8(g.grossGallons())
        .float8(g.waterGallons()).float8(g.temperatureF()).float8(g.netGallons()).float8(g.bookNetGallons()).end();
  }

  private void unlock(long seq, CardUnlockedV1 u) {
    require(u.cardNumber(), "cardNumber");
    require(u.unlockedAt(), "unlockedAt");
    unlocks.text(site).int8(seq).text(u.cardNumber()).ts(u.unlockedAt()).text(u.operator()).end();
  }

  /** Landed as the site chained it; the chain is checked by GET /v1/sites/{site}/audit/verify. */
  private void audit(long seq, AuditRecordedV1 a) {
    require(a.at(), "at");
    require(a.terminalId(), "terminalId");
    require(a.action(), "action");
    require(a.subject(), "subject");
    require(a.detail(), "detail");
    require(a.prevHash(), "prevHash");
    require(a.hash(), "hash");
    if (a.auditSeq() < 1) {
      throw new IllegalArgumentException("auditSeq must be >= 1");
    }
    audits.text(site).int8(a.auditSeq()).int8(seq).ts(a.at()).text(a.terminalId()).text(a.operator())
        .text(a.action()).text(a.subject()).text(a.detail()).text(a.prevHash())
        .text(a.hash()).end();
  }

  private void release(long seq, ReserveReleasedV1 r) {
    require(r.allocationId(), "allocationId");
    require(r.releasedAt(), "releasedAt");
    releaseRows.text(site).int8(seq).text(r.allocationId()).int8(r.releasedGallons()).int8(r.releasedTotalGallons())
        .ts(r.releasedAt()).end();
    hookReleases.add(new IngestHook.Release(seq, r));
  }

  /**
   * Streams a {@link io.tms.protocol.v1.TelemetrySamplesV1} body into a binary COPY row. The JSON
   * form: each number is parsed once (Jackson's fast double parser) into a {@code double[]}, checked
   * to be a number or null, and each sample to carry one value per metric. The compact form
   * ({@code encoded}): the block's bytes land as they are in {@code encoded}, after a structural check
   * ({@link TelemetryBlock#validate}: base64, header, one varint per present sample, no trailing
   * bytes) and its metric count against {@code metrics}; no value is decoded.
   */
  private void telemetry(UplinkBatchReader.Event e, int index) throws IOException {
    byte[] encoded = null;
    String kind = null;
    String source = null;
    Instant firstAt = null;
    int interval = -1;
    List<String> metrics = null;
    double[] values = null; // only for the JSON form; the compact form needs none
    boolean[] missing = null;
    boolean anyMissing = false;
    int n = 0;
    int count = 0;
    int width = -1;
    try (JsonParser p = JSON.createParser(e.src(), e.off(), e.len())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "sourceKind" -> kind = t == JsonToken.VALUE_NULL ? null : p.getText();
          case "sourceId" -> source = t == JsonToken.VALUE_NULL ? null : p.getText();
          case "firstAt" -> firstAt = WireInstants.parse(p.getText());
          case "intervalMillis" -> interval = p.getIntValue();
          case "metrics" -> {
            metrics = new ArrayList<>();
            if (t != JsonToken.START_ARRAY) {
              throw new IOException("metrics must be an array");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
              metrics.add(p.getText());
            }
          }
          case "encoded" -> {
            if (t != JsonToken.VALUE_NULL) {
              if (t != JsonToken.VALUE_STRING) {
                throw badBlock(e, index, "encoded must be a base64 string");
              }
              try {
                encoded = base64(p, e);
              } catch (TelemetryBlock.MalformedBlockException ex) {
                throw badBlock(e, index, ex.getMessage());
              }
            }
          }
          case "values" -> {
            if (t == JsonToken.VALUE_NULL) {
              continue;
            }
            if (t != JsonToken.START_ARRAY) {
              throw new IOException("values must be an array");
            }
            if (values == null) {
              values = new double[256];
              missing = new boolean[256];
            }
            while (p.nextToken() == JsonToken.START_ARRAY) {
              int row = 0;
              for (JsonToken v; (v = p.nextToken()) != JsonToken.END_ARRAY; row++) {
                if (n == values.length) {
                  values = java.util.Arrays.copyOf(values, n * 2);
                  missing = java.util.Arrays.copyOf(missing, n * 2);
                }
                if (v == JsonToken.VALUE_NULL) {
                  missing[n] = true;
                  anyMissing = true;
                } else if (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT) {
                  values[n] = p.getDoubleValue();
                } else {
                  throw new IOException("values[" + count + "] holds a non-number");
                }
                n++;
              }
              if (width < 0) {
                width = row;
              } else if (row != width) {
                throw new IOException("values[" + count + "] has " + row + " values, not " + width);
              }
              count++;
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    if (source == null || kind == null || firstAt == null || interval <= 0 || metrics == null) {
      throw new IOException("sourceKind, sourceId, firstAt, intervalMillis > 0 and metrics are required");
    }
    if (encoded != null) {
      if (width >= 0 || count > 0) {
        throw badBlock(e, index, "a block has values or encoded, not both");
      }
      TelemetryBlock.Header h;
      try {
        h = TelemetryBlock.validate(encoded);
      } catch (TelemetryBlock.MalformedBlockException ex) {
        throw badBlock(e, index, ex.getMessage());
      }
      if (h.metrics() != metrics.size()) {
        throw badBlock(e, index, "the block has " + h.metrics() + " metrics, metrics names " + metrics.size());
      }
      telemetry.addEncoded(site, e.seq(), kind, source, firstAt, interval, metrics, h.samples(), encoded);
      return;
    }
    if (count > 0 && width != metrics.size()) {
      throw new IOException("each sample must have one value per metric (" + metrics.size() + ")");
    }
    telemetry.add(site, e.seq(), kind, source, firstAt, interval, metrics, count, Math.max(width, 0),
        values == null ? new double[0] : values, missing == null ? new boolean[0] : missing, anyMissing);
  }

  /**
   * The bytes of the base64 string the parser is at, decoded straight from the body's bytes: a
   * block's text (most of a telemetry batch's bytes) is not made into a {@code char[]}, a
   * {@code String} and Latin-1 bytes again on its way to the decoder, and the parser then skips the
   * string without reading it. A string with an escape (a sender may write {@code \/}) is read as
   * text, as before.
   */
  private static byte[] base64(JsonParser p, UplinkBatchReader.Event e) throws IOException {
    long at = p.currentTokenLocation().getByteOffset(); // the opening quote, from the parser's start
    byte[] src = e.src();
    int open = e.off() + (int) at;
    int end = e.off() + e.len();
    if (at >= 0 && open < end && src[open] == '"') {
      for (int i = open + 1; i < end; i++) {
        byte b = src[i];
        if (b == '"') {
          return TelemetryBlock.base64(src, open + 1, i - open - 1);
        }
        if (b == '\\') {
          break;
        }
      }
    }
    return TelemetryBlock.base64(p.getText());
  }

  private static ApiException badBlock(UplinkBatchReader.Event e, int index, String why) {
    return new ApiException(400, "INVALID_INPUT", "events[" + index + "].body.encoded",
        "telemetry block at seq " + e.seq() + " is malformed: " + why);
  }

  private static void require(Object v, String field) {
    if (v == null) {
      throw new IllegalArgumentException(field + " is required");
    }
  }

  /** BOL lines landed by {@link #write(Connection, List)}, for the {@link IngestHook}. */
  List<IngestHook.BolLine> bolLines() {
    return hookLines;
  }

  List<IngestHook.Release> releases() {
    return hookReleases;
  }

  /** Writes everything added, in this transaction (the caller tells the hook). */
  /**
   * Writes the rows of a batch's chunks, in seq order, in this transaction: one COPY per table for
   * all of them (a COPY is a statement and two round trips; per chunk and table it was a few dozen
   * per batch), then the loads that ended here but started in an earlier chunk or batch.
   */
  static void write(Connection c, List<EventLanding> chunks) throws SQLException {
    for (EventLanding l : chunks) {
      l.loadRows();
    }
    CopyRows.copy(c, chunks.stream().map(l -> l.authorizations).toList());
    CopyRows.copy(c, chunks.stream().map(l -> l.loadRows).toList());
    CopyRows.copy(c, chunks.stream().map(l -> l.bols).toList());
    CopyRows.copy(c, chunks.stream().map(l -> l.movements).toList());
    CopyRows.copy(c, chunks.stream().map(l -> l.gauges).toList());
    CopyRows.copy(c, chunks.stream().map(l -> l.unlocks).toList());
    CopyRows.copy(c, chunks.stream().map(l -> l.releaseRows).toList());
    CopyRows.copy(c, chunks.stream().map(l -> l.audits).toList());
    TelemetryCopy.copy(c, chunks.stream().map(l -> l.telemetry).toList());
    for (EventLanding l : chunks) {
      l.endedLoads(c);
    }
  }

  /** The loads started in this chunk as COPY rows (a load is one row when it also ended here). */
  private void loadRows() {
    loads.forEach((id, r) -> {
      if (r.startedHere) {
        loadRows.text(site).text(id).text(r.authorizationId).text(r.bayId).text(r.vehicleId).text(r.status)
            .ts(r.startedAt).ts(r.endedAt).text(r.bolNumber).text(r.cancelReason).int4(r.compartments)
            .int8(r.seq).end();
      }
    });
  }

  /**
   * Loads this chunk ended but did not start. Its own method, apart from the JDBC of
   * {@link #endedLoads}: the loop over a chunk's thousand loads is compiled on the stack (OSR) with
   * whatever surrounds it, and with the statement inlined that was a 97 KB compilation, redone as
   * its profile moved.
   */
  private List<Map.Entry<String, LoadRow>> endedOnly() {
    List<Map.Entry<String, LoadRow>> ended = new ArrayList<>();
    for (Map.Entry<String, LoadRow> e : loads.entrySet()) {
      if (!e.getValue().startedHere) {
        ended.add(e);
      }
    }
    return ended;
  }

  private void endedLoads(Connection c) throws SQLException {
    List<Map.Entry<String, LoadRow>> ended = endedOnly();
    if (!ended.isEmpty()) {
      // Loads started in an earlier batch and ended in this one. Upsert: a load whose start the
      // cloud never saw (it cannot happen on an intact chain) still lands.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO site_load (site_code, id, bay_id, vehicle_id, status,"
          + " started_at, ended_at, bol_number, cancel_reason, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (site_code, id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at,"
          + " bol_number = coalesce(excluded.bol_number, site_load.bol_number),"
          + " cancel_reason = coalesce(excluded.cancel_reason, site_load.cancel_reason)")) {
        for (Map.Entry<String, LoadRow> e : ended) {
          String id = e.getKey();
          LoadRow r = e.getValue();
          ps.setString(1, site);
          ps.setString(2, id);
          ps.setString(3, r.bayId);
          ps.setString(4, r.vehicleId);
          ps.setString(5, r.status);
          ps.setTimestamp(6, r.startedAt == null ? null : Timestamp.from(r.startedAt));
          ps.setTimestamp(7, r.endedAt == null ? null : Timestamp.from(r.endedAt));
          ps.setString(8, r.bolNumber);
          ps.setString(9, r.cancelReason);
          ps.setLong(10, r.seq);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }
}
