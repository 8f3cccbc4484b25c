package io.tms.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.Json;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.agent.store.WriteContext;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.GaugeReadingRecordedV1;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.LoadStartedV1;
import io.tms.protocol.v1.TelemetrySamplesV1;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fills a site's outbox with what a site really emits (DESIGN §10), through the agent's own
 * {@link OutboxStore} so seqs, hashes and bodies are exactly what the agent would send: per load an
 * authorization (3–5 compartments), load.started, a BOL with 3–5 lines and one inventory movement
 * per line; an hourly gauge reading per tank; and telemetry blocks as the site's devices report
 * them: the tank gauge console's poll of every tank (4 values each) every 5 s, in one block per
 * 10 minutes, and a bay's preset controller's 2 values per second for each flowing arm of a load, in
 * one block per load (an arm that has finished is missing from the rest of that block's samples).
 * Deterministic for a given random seed.
 */
public final class OutboxWorkload {
  static final List<String> PRODUCTS = List.of("RUL87", "PUL91", "PUL93", "ULSD", "BIO5", "JETA");
  static final List<String> TANK_METRICS = List.of("level_in", "water_in", "temperature_f", "density_kgm3");
  static final List<String> ARM_METRICS = List.of("flow_gpm", "temperature_f");

  private final ObjectMapper json = Json.mapper();
  private final OutboxStore outbox = new OutboxStore(json);
  private final Random random;
  private final String site;
  private final int tanks;
  private final int arms;
  private final List<String> tankMetrics;
  private boolean jsonTelemetry;

  public OutboxWorkload(String site, int tanks, int arms, long seed) {
    this.site = site;
    this.tanks = tanks;
    this.arms = arms;
    this.random = new Random(seed);
    List<String> metrics = new ArrayList<>(tanks * TANK_METRICS.size());
    for (int t = 1; t <= tanks; t++) {
      for (String metric : TANK_METRICS) {
        metrics.add("TK" + t + "." + metric);
      }
    }
    this.tankMetrics = List.copyOf(metrics);
  }

  /**
   * Telemetry blocks as JSON numbers ({@code values}, the original form) instead of the compact
   * {@code encoded} form (the default).
   */
  public OutboxWorkload jsonTelemetry(boolean json) {
    this.jsonTelemetry = json;
    return this;
  }

  /** What is in the outbox afterwards, per lane. */
  public record Stats(long businessEvents, long businessBytes, long telemetryEvents, long telemetryBytes) {
    public long events() {
      return businessEvents + telemetryEvents;
    }

    public long bytes() {
      return businessBytes + telemetryBytes;
    }
  }

  /**
   * Appends {@code loads} loads spread over {@code hours} ending at {@code end}, the gauge readings
   * of those hours, and (when {@code telemetry}) their telemetry.
   */
  public Stats build(Path dataDir, int loads, int hours, Instant end, boolean telemetry) {
    Instant start = end.minus(Duration.ofHours(hours));
    try (SiteDatabase db = SiteDatabase.open(dataDir, site, Clock.systemUTC(), 64)) {
      long spacing = Math.max(1, Duration.ofHours(hours).toSeconds() / Math.max(1, loads));
      int perUnit = 200;
      for (int first = 0; first < loads; first += perUnit) {
        int from = first;
        int to = Math.min(loads, first + perUnit);
        db.writer().write(ctx -> {
          for (int i = from; i < to; i++) {
            load(ctx, i, start.plusSeconds(i * spacing), telemetry);
          }
          return null;
        });
      }
      db.writer().write(ctx -> {
        for (int h = 0; h < hours; h++) {
          for (int t = 0; t < tanks; t++) {
            gauge(ctx, t, start.plus(Duration.ofHours(h + 1)));
          }
        }
        return null;
      });
      if (telemetry) {
        double[][] farm = tankFarm();
        int blocks = hours * 6;
        for (int b = 0; b < blocks; b += 36) {
          int from = b;
          db.writer().write(ctx -> {
            for (int block = from; block < Math.min(blocks, from + 36); block++) {
              tankBlock(ctx, farm, start.plus(Duration.ofMinutes(10L * block)));
            }
            return null;
          });
        }
      }
      return db.reader().withHandle(h -> {
        Map<String, long[]> m = new java.util.HashMap<>();
        h.createQuery("SELECT lane, count(*), coalesce(sum(length(body)), 0) FROM outbox GROUP BY lane")
            .map((rs, c) -> m.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)})).list();
        long[] b = m.getOrDefault("BUSINESS", new long[2]);
        long[] t = m.getOrDefault("TELEMETRY", new long[2]);
        return new Stats(b[0], b[1], t[0], t[1]);
      });
    }
  }

  private String id(String prefix, int n) {
    return prefix + "-" + site + "-" + n;
  }

  private double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private void load(WriteContext ctx, int n, Instant at, boolean telemetry) {
    int compartments = 3 + random.nextInt(3);
    String authId = id("AUTH", n);
    String loadId = id("LOAD", n);
    String vehicle = "VEH" + (100 + random.nextInt(400));
    String driver = "DRV" + (100 + random.nextInt(400));
    String carrier = "CAR" + (10 + random.nextInt(40));
    String bay = "BAY" + (1 + random.nextInt(16));
    List<AuthorizationDecidedV1.Compartment> ac = new ArrayList<>();
    List<LoadStartedV1.Compartment> lc = new ArrayList<>();
    List<BolIssuedV1.Line> lines = new ArrayList<>();
    double gross = 0;
    double net = 0;
    for (int c = 1; c <= compartments; c++) {
      String product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
      String customer = "CUST" + (10 + random.nextInt(60));
      String allocation = "ALLOC-" + customer + "-" + product + "-2026-05";
      long preset = 2000 + 500L * random.nextInt(6);
      String arm = "ARM" + (1 + random.nextInt(arms));
      String tank = "TK" + (1 + random.nextInt(tanks));
      ac.add(new AuthorizationDecidedV1.Compartment(c, customer, product, allocation, 4500, preset, List.of()));
      lc.add(new LoadStartedV1.Compartment(c, customer, product, allocation, arm, "MTR-" + arm, tank, preset));
      double g = round(preset - random.nextDouble() * 3);
      double temp = round(55 + random.nextDouble() * 30);
      double ctl = Math.round((1 - (temp - 60) * 0.0005) * 100000) / 100000.0;
      double nn = round(g * ctl);
      gross += g;
      net += nn;
      lines.add(new BolIssuedV1.Line(c, product, customer, allocation, arm, "MTR-" + arm, tank, preset, g, nn, temp,
          round(720 + random.nextDouble() * 140), round(30 + random.nextDouble() * 30), ctl, preset));
    }
    Instant started = at.plusSeconds(240);
    Instant completed = started.plusSeconds(60L * (8 + compartments * 3));
    outbox.append(ctx, Lane.BUSINESS, EventTypes.AUTHORIZATION_DECIDED, at, new AuthorizationDecidedV1(authId, at,
        at.plus(Duration.ofHours(4)), true, List.of(), "CARD" + (100000 + random.nextInt(900000)), driver, carrier,
        vehicle, false, ac));
    outbox.append(ctx, Lane.BUSINESS, EventTypes.LOAD_STARTED, started,
        new LoadStartedV1(loadId, authId, bay, vehicle, started, lc));
    outbox.append(ctx, Lane.BUSINESS, EventTypes.BOL_ISSUED, completed, new BolIssuedV1(site + "-" + (100000 + n), site,
        loadId, bay, driver, carrier, vehicle, started, completed, round(gross), round(net), lines));
    for (BolIssuedV1.Line l : lines) {
      outbox.append(ctx, Lane.BUSINESS, EventTypes.INVENTORY_MOVED, completed, new InventoryMovedV1(l.tankId(), completed,
          "LOAD", site + "-" + (100000 + n), -l.netGallons(), round(500_000 - random.nextDouble() * 200_000)));
    }
    if (telemetry) {
      bayBlock(ctx, bay, started, lines);
    }
  }

  private void gauge(WriteContext ctx, int tank, Instant at) {
    double net = round(200_000 + random.nextDouble() * 300_000);
    outbox.append(ctx, Lane.BUSINESS, EventTypes.GAUGE_READING_RECORDED, at, new GaugeReadingRecordedV1(
        "GR-" + site + "-" + tank + "-" + at.getEpochSecond(), "TK" + (tank + 1), at, round(net * 1.004),
        round(random.nextDouble() * 20), round(60 + random.nextDouble() * 20), net, round(net + random.nextDouble() * 40 - 20)));
  }

  /** Each tank's level, water, temperature and density where the gauge console last left them. */
  private double[][] tankFarm() {
    double[][] farm = new double[tanks][];
    for (int t = 0; t < tanks; t++) {
      farm[t] = new double[] {200 + random.nextDouble() * 300, 0.5, 60 + random.nextDouble() * 20,
          720 + random.nextDouble() * 140};
    }
    return farm;
  }

  /** Ten minutes of the tank gauge console: every tank's 4 values every 5 s. */
  private void tankBlock(WriteContext ctx, double[][] farm, Instant first) {
    int samples = 120;
    double[][] values = new double[samples][tanks * TANK_METRICS.size()];
    for (int i = 0; i < samples; i++) {
      for (int t = 0; t < tanks; t++) {
        double[] tank = farm[t];
        tank[0] -= random.nextDouble() * 0.05;
        int m = t * TANK_METRICS.size();
        values[i][m] = round(tank[0]);
        values[i][m + 1] = round(tank[1] + random.nextDouble() * 0.01);
        values[i][m + 2] = round(tank[2] + random.nextGaussian() * 0.1);
        values[i][m + 3] = round(tank[3] + random.nextGaussian() * 0.2);
      }
    }
    outbox.append(ctx, Lane.TELEMETRY, EventTypes.TELEMETRY_SAMPLES, first.plus(Duration.ofMinutes(10)),
        block("gauge", "ATG", first, 5000, tankMetrics, values));
  }

  /**
   * A load at a bay, from its preset controller: each line's arm reports flow and temperature every
   * second while it flows (about a minute per 600 gallons), all arms from the load's start.
   */
  private void bayBlock(WriteContext ctx, String bay, Instant first, List<BolIssuedV1.Line> lines) {
    int[] seconds = new int[lines.size()];
    int samples = 0;
    List<String> metrics = new ArrayList<>(lines.size() * ARM_METRICS.size());
    for (int c = 0; c < seconds.length; c++) {
      BolIssuedV1.Line l = lines.get(c);
      seconds[c] = (int) (l.grossGallons() / 600 * 60);
      samples = Math.max(samples, seconds[c]);
      for (String metric : ARM_METRICS) {
        metrics.add("C" + l.compartment() + "." + l.armId() + "." + metric);
      }
    }
    double[][] values = new double[samples][metrics.size()];
    for (int c = 0; c < seconds.length; c++) {
      double temp = 60 + random.nextDouble() * 20;
      for (int i = 0; i < samples; i++) {
        boolean flowing = i < seconds[c];
        double flow = i < 20 ? 30.0 * i : 600 + random.nextGaussian() * 5;
        values[i][2 * c] = flowing ? round(flow) : Double.NaN;
        values[i][2 * c + 1] = flowing ? round(temp + random.nextGaussian() * 0.05) : Double.NaN;
      }
    }
    outbox.append(ctx, Lane.TELEMETRY, EventTypes.TELEMETRY_SAMPLES, first.plusSeconds(samples),
        block("bay", bay, first, 1000, metrics, values));
  }

  /** Samples are rounded to 2 decimals: the compact form (scale 2) carries them exactly. */
  private TelemetrySamplesV1 block(String kind, String source, Instant first, int intervalMs, List<String> metrics,
      double[][] values) {
    if (jsonTelemetry) {
      return new TelemetrySamplesV1(kind, source, first, intervalMs, metrics, TelemetrySamplesV1.toValues(values));
    }
    int[] scales = new int[metrics.size()];
    java.util.Arrays.fill(scales, 2);
    return TelemetrySamplesV1.compact(kind, source, first, intervalMs, metrics, values, scales);
  }
}
