package io.tms.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import io.tms.agent.sync.UplinkSettings;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.EventHash;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.GaugeReadingRecordedV1;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.LoadStartedV1;
import io.tms.protocol.v1.TelemetrySamplesV1;
import io.tms.protocol.v1.sync.EdgeEventV1;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The outbox of a large site after an outage (DESIGN §10: ~1,500 loads in 72 h with their events,
 * and the telemetry of those hours), hash-chained per lane as an agent would have written it.
 *
 * <p>The telemetry lane is generated once and shared by every simulated site of the storm: its
 * events do not name the site, so the chains are the same, and its batches are cut and compressed
 * once. Business events do name the site (a BOL number is the site code and a sequence, and the
 * cloud refuses a BOL of another site), so each site's business lane is generated for it, on first use. A
 * batch is compressed as agents send it by default (zstd level 1, in one call: its frame declares
 * its size) and is two frames — a small head naming the site and lane, and the shared,
 * pre-compressed rest — which {@code Content-Encoding: zstd} readers decode as one body (RFC 8878:
 * a stream of frames decodes to their concatenation). Without this the load generator would spend
 * more CPU compressing than the cloud spends applying.
 */
public final class StormBacklog {
  /** Backlog shape: {@code loads} over {@code hours}; telemetry of {@code tanks} gauges and flowing arms. */
  public record Shape(int loads, int hours, int tanks, boolean armTelemetry, int blockMinutes, int batchEvents,
                      int batchBytes) {
    /**
     * The large site's 72 h outage, cut as an agent cuts it: a batch ends at the first event past the
     * agent's default byte budget (bodies + 200 bytes per event, {@link UplinkSettings#DEFAULT_BATCH_BYTES}),
     * with no practical cap on events. (Until 2026-11-27: 1 MiB and 2,000 events.)
     */
    public static Shape largeSite72h() {
      return new Shape(1_500, 72, 40, true, 10, 1 << 20, UplinkSettings.DEFAULT_BATCH_BYTES);
    }

    public static Shape tiny() {
      return new Shape(5, 1, 2, false, 30, 50, 64 * 1024);
    }
  }

  /** A pre-cut batch: events {@code [fromSeq, toSeq]}, the zstd frame of its JSON after the head. */
  public record Batch(Lane lane, long fromSeq, long toSeq, byte[] zstdTail, int rawBytes) {}

  private final Map<Lane, List<EdgeEventV1>> events = new EnumMap<>(Lane.class);
  private final Map<Lane, List<Batch>> batches = new EnumMap<>(Lane.class);
  /** Each site's own business lane: events and pre-cut batches. */
  private final Map<String, SiteLane> business = new java.util.concurrent.ConcurrentHashMap<>();
  private final ObjectMapper json;
  private final Shape shape;
  private final Instant start;
  private long rawBytes;

  private record SiteLane(List<EdgeEventV1> events, List<Batch> batches) {}

  private StormBacklog(ObjectMapper json, Shape shape, Instant start) {
    this.json = json;
    this.shape = shape;
    this.start = start;
  }

  /** The backlog; {@link #events} and the figures are those of a site named {@code STORM}. */
  public static StormBacklog generate(Shape shape, Instant end, ObjectMapper json) {
    StormBacklog b = new StormBacklog(json, shape, end.minus(Duration.ofHours(shape.hours())));
    b.events.put(Lane.BUSINESS, chain(Lane.BUSINESS, business(shape, b.start, json, "STORM")));
    b.events.put(Lane.TELEMETRY, chain(Lane.TELEMETRY, telemetry(shape, b.start, json)));
    for (Lane lane : Lane.values()) {
      b.batches.put(lane, b.cut(lane, b.events.get(lane), shape, true));
    }
    return b;
  }

  /**
   * Generates the business lanes of these sites now, on all cores, so that the storm's load
   * generator does not compete with the cloud (or with its own heartbeats) while it is measured.
   */
  public void prepare(List<String> sites) {
    sites.parallelStream().forEach(this::businessOf);
  }

  private SiteLane businessOf(String site) {
    return business.computeIfAbsent(site, code -> {
      List<EdgeEventV1> evs = chain(Lane.BUSINESS, business(shape, start, json, code));
      return new SiteLane(evs, cut(Lane.BUSINESS, evs, shape, false));
    });
  }

  /** The events of {@code site}'s lane (business events name the site; telemetry is shared). */
  public List<EdgeEventV1> events(String site, Lane lane) {
    return lane == Lane.BUSINESS ? businessOf(site).events() : events.get(lane);
  }

  private List<Batch> batches(String site, Lane lane) {
    return lane == Lane.BUSINESS ? businessOf(site).batches() : batches.get(lane);
  }

  public List<EdgeEventV1> events(Lane lane) {
    return events.get(lane);
  }

  public long lastSeq(Lane lane) {
    return events.get(lane).size();
  }

  public long totalEvents() {
    return lastSeq(Lane.BUSINESS) + lastSeq(Lane.TELEMETRY);
  }

  /** Uncompressed JSON bytes of all batches of one site. */
  public long rawBytes() {
    return rawBytes;
  }

  /** Compressed bytes of one site's batches. */
  public long compressedBytes() {
    return batches.values().stream().flatMap(List::stream).mapToLong(x -> x.zstdTail().length).sum();
  }

  /** The pre-cut batch starting at {@code fromSeq}, or null when none starts there. */
  public Batch batchFrom(Lane lane, long fromSeq) {
    return batchFrom(batches.get(lane), fromSeq);
  }

  private static Batch batchFrom(List<Batch> list, long fromSeq) {
    int lo = 0;
    int hi = list.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long s = list.get(mid).fromSeq();
      if (s == fromSeq) {
        return list.get(mid);
      } else if (s < fromSeq) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return null;
  }

  /**
   * The zstd body of an UplinkBatchV1 for {@code site} starting at {@code fromSeq} (up to
   * {@code maxEvents}): pre-cut when a batch starts there, else built now (after a 409).
   */
  public byte[] body(String site, Lane lane, long fromSeq, int maxEvents) {
    Batch pre = batchFrom(batches(site, lane), fromSeq);
    if (pre != null) {
      byte[] head = zstd(head(site, lane, fromSeq));
      byte[] out = new byte[head.length + pre.zstdTail().length];
      System.arraycopy(head, 0, out, 0, head.length);
      System.arraycopy(pre.zstdTail(), 0, out, head.length, pre.zstdTail().length);
      return out;
    }
    List<EdgeEventV1> all = events(site, lane);
    int from = (int) (fromSeq - 1);
    int to = (int) Math.min(all.size(), (long) from + maxEvents);
    return zstd(head(site, lane, fromSeq) + tail(all, from, to));
  }

  /** The last seq of the batch {@link #body} sends for {@code site} from {@code fromSeq}. */
  public long batchEnd(String site, Lane lane, long fromSeq, int maxEvents) {
    Batch pre = batchFrom(batches(site, lane), fromSeq);
    return pre != null ? pre.toSeq() : Math.min(lastSeq(lane), fromSeq + maxEvents - 1);
  }

  private static String head(String site, Lane lane, long fromSeq) {
    return "{\"siteCode\":\"" + site + "\",\"lane\":\"" + lane + "\",\"fromSeq\":" + fromSeq + ",";
  }

  /**
   * The batch's rest after its head, with each body inlined as {@code bodyJson}, as agents write
   * it (their bodies are the JSON they hashed, so no string escaping on either side).
   */
  private static String tail(List<EdgeEventV1> all, int from, int to) {
    String prev = from == 0 ? EventHash.GENESIS : all.get(from - 1).hash();
    StringBuilder out = new StringBuilder(64 + (to - from) * 700);
    out.append("\"prevHash\":\"").append(prev).append("\",\"events\":[");
    for (int i = from; i < to; i++) {
      EdgeEventV1 e = all.get(i);
      out.append(i == from ? "{" : ",{").append("\"seq\":").append(e.seq())
          .append(",\"type\":\"").append(e.type())
          .append("\",\"occurredAt\":\"").append(e.occurredAt())
          .append("\",\"hash\":\"").append(e.hash())
          .append("\",\"bodyJson\":").append(e.body()).append('}');
    }
    return out.append("]}").toString();
  }

  private List<Batch> cut(Lane lane, List<EdgeEventV1> all, Shape shape, boolean count) {
    List<Batch> out = new ArrayList<>();
    int from = 0;
    while (from < all.size()) {
      int to = from;
      int bytes = 0;
      while (to < all.size() && to - from < shape.batchEvents() && (bytes < shape.batchBytes() || to == from)) {
        bytes += all.get(to).body().length() + 200;
        to++;
      }
      String tail = tail(all, from, to);
      if (count) {
        rawBytes += tail.length() + 60;
      }
      out.add(new Batch(lane, from + 1, to, zstd(tail), tail.length()));
      from = to;
    }
    return out;
  }

  /**
   * zstd level 1 in one frame that declares its size, as the agent compresses a batch
   * ({@code BatchCompressor}).
   */
  static byte[] zstd(String text) {
    return Zstd.compress(text.getBytes(StandardCharsets.UTF_8), 1);
  }

  private record Raw(Instant at, String type, String body) {}

  private static List<EdgeEventV1> chain(Lane lane, List<Raw> raw) {
    raw.sort(Comparator.comparing(Raw::at));
    List<EdgeEventV1> out = new ArrayList<>(raw.size());
    String prev = EventHash.GENESIS;
    long seq = 0;
    for (Raw r : raw) {
      seq++;
      String at = r.at().toString();
      String hash = EventHash.next(prev, lane, seq, r.type(), at, r.body());
      out.add(new EdgeEventV1(seq, r.type(), at, r.body(), hash));
      prev = hash;
    }
    return out;
  }

  private static List<Raw> business(Shape shape, Instant start, ObjectMapper json, String site) {
    SplittableRandom rnd = new SplittableRandom(72);
    List<Raw> out = new ArrayList<>();
    long spacing = Duration.ofHours(shape.hours()).toMillis() / Math.max(1, shape.loads());
    String[] products = {"ULSD", "RUG87", "PRE91", "JETA"};
    for (int i = 0; i < shape.loads(); i++) {
      Instant at = start.plusMillis(i * spacing + rnd.nextLong(Math.max(1, spacing / 2)));
      String auth = "A" + (100_000 + i);
      String load = "L" + (100_000 + i);
      String product = products[i % products.length];
      String tank = "T" + (1 + i % Math.max(1, shape.tanks()));
      String bay = "B" + (1 + i % 16);
      String customer = "C" + (1 + i % 36);
      String alloc = "AL-" + customer + "-" + product;
      out.add(new Raw(at, EventTypes.AUTHORIZATION_DECIDED, write(json, new AuthorizationDecidedV1(auth, at,
          at.plus(Duration.ofHours(4)), true, List.of(), "CARD" + (i % 120), "D" + (i % 120), "CAR" + (i % 12),
          "V" + (i % 120), false, List.of(
              new AuthorizationDecidedV1.Compartment(1, customer, product, alloc, 3_000, 3_000, List.of()),
              new AuthorizationDecidedV1.Compartment(2, customer, product, alloc, 2_500, 2_500, List.of()))))));
      Instant started = at.plusSeconds(300);
      out.add(new Raw(started, EventTypes.LOAD_STARTED, write(json, new LoadStartedV1(load, auth, bay, "V" + (i % 120),
          started, List.of(
              new LoadStartedV1.Compartment(1, customer, product, alloc, bay + "-A1", bay + "-M1", tank, 3_000),
              new LoadStartedV1.Compartment(2, customer, product, alloc, bay + "-A2", bay + "-M2", tank, 2_500))))));
      Instant done = started.plusSeconds(900);
      double g1 = 2_990 + rnd.nextInt(10);
      double g2 = 2_490 + rnd.nextInt(10);
      out.add(new Raw(done, EventTypes.BOL_ISSUED, write(json, new BolIssuedV1(site + "-" + String.format("%08d", i + 1),
          site, load, bay, "D" + (i % 120), "CAR" + (i % 12), "V" + (i % 120), started, done, g1 + g2,
          (g1 + g2) * 0.995, List.of(
              new BolIssuedV1.Line(1, product, customer, alloc, bay + "-A1", bay + "-M1", tank, 3_000, g1, g1 * 0.995,
                  64.2, 845.3, 35.9, 0.99512, (long) Math.ceil(g1)),
              new BolIssuedV1.Line(2, product, customer, alloc, bay + "-A2", bay + "-M2", tank, 2_500, g2, g2 * 0.995,
                  64.2, 845.3, 35.9, 0.99512, (long) Math.ceil(g2)))))));
      out.add(new Raw(done, EventTypes.INVENTORY_MOVED, write(json, new InventoryMovedV1(tank, done, "LOAD", load,
          -(g1 + g2) * 0.995, 400_000 - i * 10.0))));
    }
    for (int t = 1; t <= shape.tanks(); t++) {
      for (int h = 0; h < shape.hours(); h++) {
        Instant at = start.plus(Duration.ofHours(h)).plusSeconds(t);
        double gross = 400_000 + rnd.nextInt(100_000);
        out.add(new Raw(at, EventTypes.GAUGE_READING_RECORDED, write(json, new GaugeReadingRecordedV1(
            "G" + t + "-" + h, "T" + t, at, gross, 12.5, 64.0, gross * 0.995, gross * 0.994))));
      }
    }
    return out;
  }

  /**
   * The telemetry of the outage as the site's devices report it: the tank gauge console's poll of
   * every tank every 5 s, one block per {@code blockMinutes}; per load, the bay's two arms' flow and
   * temperature every second for 15 minutes, one block.
   */
  private static List<Raw> telemetry(Shape shape, Instant start, ObjectMapper json) {
    SplittableRandom rnd = new SplittableRandom(5);
    List<Raw> out = new ArrayList<>();
    int perBlock = shape.blockMinutes() * 12; // one sample every 5 s
    int blocks = shape.hours() * 60 / shape.blockMinutes();
    List<String> tankMetrics = new ArrayList<>();
    double[] levels = new double[shape.tanks()];
    for (int t = 1; t <= shape.tanks(); t++) {
      for (String metric : List.of("level_in", "water_in", "temperature_f", "density_kgm3")) {
        tankMetrics.add("T" + t + "." + metric);
      }
      levels[t - 1] = 300 + rnd.nextInt(200);
    }
    int[] tankScales = new int[tankMetrics.size()];
    java.util.Arrays.fill(tankScales, 1);
    for (int b = 0; b < blocks; b++) {
      Instant first = start.plus(Duration.ofMinutes((long) b * shape.blockMinutes()));
      double[][] values = new double[perBlock][tankMetrics.size()];
      for (int s = 0; s < perBlock; s++) {
        for (int t = 0; t < levels.length; t++) {
          levels[t] = Math.max(10, levels[t] - rnd.nextInt(3) * 0.1);
          values[s][4 * t] = round1(levels[t]);
          values[s][4 * t + 1] = 2.5;
          values[s][4 * t + 2] = round1(60 + rnd.nextInt(80) * 0.1);
          values[s][4 * t + 3] = 845.3;
        }
      }
      out.add(new Raw(first, EventTypes.TELEMETRY_SAMPLES, write(json,
          TelemetrySamplesV1.compact("gauge", "ATG", first, 5_000, tankMetrics, values, tankScales))));
    }
    if (shape.armTelemetry()) { // two arms per load flow for 15 min, one sample a second
      long spacing = Duration.ofHours(shape.hours()).toMillis() / Math.max(1, shape.loads());
      for (int i = 0; i < shape.loads(); i++) {
        Instant first = start.plusMillis(i * spacing + 300_000);
        String bay = "B" + (1 + i % 16);
        double[][] values = new double[900][4];
        for (int s = 0; s < 900; s++) {
          for (int arm = 0; arm < 2; arm++) {
            values[s][2 * arm] = round1(580 + rnd.nextInt(40));
            values[s][2 * arm + 1] = round1(60 + rnd.nextInt(80) * 0.1);
          }
        }
        out.add(new Raw(first, EventTypes.TELEMETRY_SAMPLES, write(json, TelemetrySamplesV1.compact("bay", bay, first,
            1_000, List.of(bay + "-A1.flow_gpm", bay + "-A1.temperature_f", bay + "-A2.flow_gpm",
                bay + "-A2.temperature_f"), values, ONE_DECIMAL_4))));
      }
    }
    return out;
  }

  /** Telemetry goes in the compact form ({@code encoded}); samples have one decimal. */
  private static final int[] ONE_DECIMAL_4 = {1, 1, 1, 1};

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static String write(ObjectMapper json, Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
