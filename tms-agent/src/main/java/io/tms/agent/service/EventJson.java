package io.tms.agent.service;

import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.InstantText;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.LoadStartedV1;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The JSON of the four events every load cycle records and of its BOL document, written by hand,
 * byte for byte what the agent's Jackson mapper writes ({@code EventJsonTest} holds them equal over generated events).
 *
 * <p>They are serialized on the single writer thread, and the agent runs C1-compiled code, where
 * Jackson's per-property dispatch was a quarter of the writer's Java time; a straight run of appends
 * costs a fraction of it. Any other event still goes through the mapper.
 */
final class EventJson {
  private final StringBuilder out = new StringBuilder(1024);
  private boolean first;

  private EventJson() {}

  static String authorizationDecided(AuthorizationDecidedV1 e) {
    EventJson j = new EventJson().begin();
    j.str("authorizationId", e.authorizationId()).instant("decidedAt", e.decidedAt())
        .instant("expiresAt", e.expiresAt()).bool("approved", e.approved()).strings("denyCodes", e.denyCodes())
        .str("cardNumber", e.cardNumber()).str("driverId", e.driverId()).str("carrierId", e.carrierId())
        .str("vehicleId", e.vehicleId()).bool("cardLocked", e.cardLocked())
        .objects("compartments", e.compartments(), (o, c) -> o.num("compartment", c.compartment())
            .str("customerId", c.customerId()).str("productCode", c.productCode())
            .str("allocationId", c.allocationId()).num("capacityGallons", c.capacityGallons())
            .num("maxGallons", c.maxGallons()).strings("denyCodes", c.denyCodes()));
    return j.end().out.toString();
  }

  static String loadStarted(LoadStartedV1 e) {
    EventJson j = new EventJson().begin();
    j.str("loadId", e.loadId()).str("authorizationId", e.authorizationId()).str("bayId", e.bayId())
        .str("vehicleId", e.vehicleId()).instant("startedAt", e.startedAt())
        .objects("compartments", e.compartments(), (o, c) -> o.num("compartment", c.compartment())
            .str("customerId", c.customerId()).str("productCode", c.productCode())
            .str("allocationId", c.allocationId()).str("armId", c.armId()).str("meterId", c.meterId())
            .str("tankId", c.tankId()).num("presetGallons", c.presetGallons()));
    return j.end().out.toString();
  }

  static String bolIssued(BolIssuedV1 e) {
    EventJson j = new EventJson().begin();
    j.str("bolNumber", e.bolNumber()).str("siteCode", e.siteCode()).str("loadId", e.loadId()).str("bayId", e.bayId())
        .str("driverId", e.driverId()).str("carrierId", e.carrierId()).str("vehicleId", e.vehicleId())
        .instant("startedAt", e.startedAt()).instant("completedAt", e.completedAt())
        .num("totalGrossGallons", e.totalGrossGallons()).num("totalNetGallons", e.totalNetGallons())
        .objects("lines", e.lines(), (o, l) -> o.num("compartment", l.compartment())
            .str("productCode", l.productCode()).str("customerId", l.customerId())
            .str("allocationId", l.allocationId()).str("armId", l.armId()).str("meterId", l.meterId())
            .str("tankId", l.tankId()).num("presetGallons", l.presetGallons()).num("grossGallons", l.grossGallons())
            .num("netGallons", l.netGallons()).num("temperatureF", l.temperatureF())
            .num("baseDensityKgM3", l.baseDensityKgM3()).num("apiGravity", l.apiGravity()).num("ctl", l.ctl())
            .num("consumedGallons", l.consumedGallons()));
    return j.end().out.toString();
  }

  static String bolDocument(BolDocument d) {
    EventJson j = new EventJson().begin();
    j.str("bolNumber", d.bolNumber()).str("siteCode", d.siteCode()).str("siteName", d.siteName())
        .str("siteZone", d.siteZone()).str("loadId", d.loadId()).str("bayId", d.bayId()).str("driverId", d.driverId())
        .str("driverName", d.driverName()).str("carrierId", d.carrierId()).str("carrierName", d.carrierName())
        .str("vehicleId", d.vehicleId()).instant("startedAt", d.startedAt()).instant("completedAt", d.completedAt())
        .num("totalGrossGallons", d.totalGrossGallons()).num("totalNetGallons", d.totalNetGallons())
        .objects("lines", d.lines(), (o, l) -> o.num("compartment", l.compartment())
            .str("productCode", l.productCode()).str("customerId", l.customerId())
            .str("allocationId", l.allocationId()).str("armId", l.armId()).str("meterId", l.meterId())
            .str("tankId", l.tankId()).num("presetGallons", l.presetGallons()).num("grossGallons", l.grossGallons())
            .num("netGallons", l.netGallons()).num("temperatureF", l.temperatureF())
            .num("baseDensityKgM3", l.baseDensityKgM3()).num("apiGravity", l.apiGravity()).num("ctl", l.ctl()));
    return j.names("productNames", d.productNames()).names("customerNames", d.customerNames()).end().out.toString();
  }

  static String inventoryMoved(InventoryMovedV1 e) {
    return new EventJson().begin().str("tankId", e.tankId()).instant("movedAt", e.movedAt())
        .str("reason", e.reason()).str("reference", e.reference()).num("deltaNetGallons", e.deltaNetGallons())
        .num("bookNetGallonsAfter", e.bookNetGallonsAfter()).end().out.toString();
  }

  private EventJson begin() {
    out.append('{');
    first = true;
    return this;
  }

  private EventJson end() {
    out.append('}');
    first = false;
    return this;
  }

  private EventJson comma(int index) {
    if (index > 0) {
      out.append(',');
    }
    return this;
  }

  private void name(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    out.append('"').append(name).append("\":"); // our own names: nothing to escape
  }

  private EventJson str(String name, String value) {
    name(name);
    string(value);
    return this;
  }

  private EventJson instant(String name, Instant value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      InstantText.appendTo(out.append('"'), value).append('"'); // ISO-8601, as the mapper's InstantSerializer
    }
    return this;
  }

  private EventJson bool(String name, boolean value) {
    name(name);
    out.append(value);
    return this;
  }

  private EventJson num(String name, long value) {
    name(name);
    out.append(value);
    return this;
  }

  private EventJson num(String name, double value) {
    name(name);
    if (Double.isFinite(value)) {
      out.append(value); // Double.toString, as the mapper
    } else {
      out.append('"').append(value).append('"'); // the mapper quotes NaN and the infinities
    }
    return this;
  }

  /** A list of objects, each written by {@code fields} between its braces. */
  private <T> EventJson objects(String name, List<T> items, BiConsumer<EventJson, T> fields) {
    name(name);
    if (items == null) {
      out.append("null");
      return this;
    }
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      comma(i).begin();
      fields.accept(this, items.get(i));
      end();
    }
    out.append(']');
    return this;
  }

  private EventJson names(String name, Map<String, String> values) {
    name(name);
    if (values == null) {
      out.append("null");
      return this;
    }
    out.append('{');
    boolean firstEntry = true;
    for (Map.Entry<String, String> e : values.entrySet()) { // the map's own order, as the mapper
      if (!firstEntry) {
        out.append(',');
      }
      firstEntry = false;
      string(e.getKey());
      out.append(':');
      string(e.getValue());
    }
    out.append('}');
    return this;
  }

  private EventJson strings(String name, List<String> values) {
    name(name);
    if (values == null) {
      out.append("null");
      return this;
    }
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      comma(i);
      string(values.get(i));
    }
    out.append(']');
    return this;
  }

  /** A JSON string as Jackson writes it: {@code "} and {@code \} escaped, control characters as escapes. */
  private void string(String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    out.append('"');
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, start, i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
      start = i + 1;
    }
    out.append(s, start, s.length()).append('"');
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
