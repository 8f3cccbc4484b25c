package io.tms.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.javalin.Javalin;
import io.tms.agent.Json;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.protocol.v1.Lane;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplink's codings and batch sizes against a stand-in cloud on loopback that keeps a cursor
 * like the real one (the real cloud is tested in tms-sim's UplinkEndToEndTest): it can be an older
 * cloud, which answers zstd with 415 and lists no codings, or a current one.
 */
class UplinkClientTest {
  private static final String PAD = "x".repeat(480);
  @TempDir Path dir;
  private final ObjectMapper json = Json.mapper();
  private final OutboxStore outbox = new OutboxStore(json);
  private final AtomicBoolean takesZstd = new AtomicBoolean(true);
  private final AtomicLong cursor = new AtomicLong();
  /** The TELEMETRY lane's cursor ({@link #cursor} is BUSINESS's). */
  private final AtomicLong telemetryCursor = new AtomicLong();
  /**
   * When set, the business batch that ends at this seq is answered only once a telemetry batch has
   * arrived (or after 10 s): the stand-in sees whether telemetry comes before business is acknowledged.
   */
  private volatile long holdBusinessEndingAt = -1;
  private final java.util.concurrent.CountDownLatch telemetryArrived = new java.util.concurrent.CountDownLatch(1);
  /** Arrivals, in order: the lane and the batch's last seq. */
  private final List<String> arrivals = new CopyOnWriteArrayList<>();
  /** Whether the stand-in lists {@code afterBusinessSeq} in {@code Uplink-Features}, as today's cloud does. */
  private final AtomicBoolean holdsTelemetry = new AtomicBoolean(true);
  /** The {@code afterBusinessSeq} of each telemetry batch, in order of arrival (-1: none). */
  private final List<Long> afterBusinessSeqs = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger busyAnswers = new AtomicInteger(); // answers 503 to this many batches first
  /** The largest batch, in JSON bytes, the stand-in takes (0: any); a larger one gets a 413. */
  private final AtomicInteger maxBatch = new AtomicInteger();
  /** Whether answers name {@link #maxBatch} in {@code Uplink-Max-Batch-Bytes}, as the cloud does (a proxy does not). */
  private final AtomicBoolean namesMaxBatch = new AtomicBoolean(true);
  private SiteDatabase db;
  private Javalin cloud;

  /** One batch as the stand-in received it: its coding, status, events and JSON bytes. */
  private record Request(String encoding, int status, int events, int jsonBytes) {}

  /** A batch answered 503 (the cloud busy): where it started and how many events it had. */
  private record Busy(long fromSeq, int events) {}

  private final List<Busy> busy = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void loadZstd() {
    // what the agent's loader thread does at its start; until it is done, batches go as gzip
    assertThat(UplinkEncoding.zstdAvailable()).isTrue();
  }

  /** The requests from the first zstd one on (the first batches may be gzip, while the library loads). */
  private List<Request> fromFirstZstd() {
    int first = 0;
    while (first < requests.size() && !"zstd".equals(requests.get(first).encoding())) {
      first++;
    }
    return requests.subList(first, requests.size());
  }

  @BeforeEach
  void start() {
    db = SiteDatabase.open(dir, "HOU1", Clock.systemUTC(), 64);
    db.writer().write(ctx -> {
      outbox.loadDurable(ctx);
      return null;
    });
    cloud = Javalin.create(c -> c.routes.post("/edge/v1/sites/HOU1/events", this::answer)).start("127.0.0.1", 0);
  }

  /** The stand-in's uplink endpoint: a cursor, in-order waiting, 503s, and 415 for zstd when older. */
  private void answer(io.javalin.http.Context ctx) throws Exception {
    String encoding = ctx.header("Content-Encoding");
    if ("zstd".equals(encoding) && !takesZstd.get()) { // as a cloud built before zstd
      requests.add(new Request(encoding, 415, 0, 0));
      ctx.status(415).contentType("application/problem+json")
          .result("{\"status\":415,\"code\":\"UNSUPPORTED_ENCODING\",\"field\":\"Content-Encoding\"}");
      return;
    }
    byte[] raw = decode(encoding, ctx.bodyAsBytes());
    JsonNode batch = json.readTree(raw);
    long from = batch.get("fromSeq").asLong();
    int n = batch.get("events").size();
    boolean telemetry = "TELEMETRY".equals(batch.get("lane").asText());
    arrivals.add(batch.get("lane").asText() + ":" + (from + n - 1));
    if (telemetry) {
      afterBusinessSeqs.add(batch.path("afterBusinessSeq").asLong(-1));
      telemetryArrived.countDown();
    } else if (from + n - 1 == holdBusinessEndingAt) {
      telemetryArrived.await(10, TimeUnit.SECONDS);
      arrivals.add("answered BUSINESS:" + (from + n - 1));
    }
    AtomicLong cursor = telemetry ? telemetryCursor : this.cursor;
    if (maxBatch.get() > 0 && namesMaxBatch.get()) {
      ctx.header(io.tms.protocol.v1.sync.UplinkAckV1.MAX_BATCH_HEADER, Integer.toString(maxBatch.get()));
    }
    if (maxBatch.get() > 0 && raw.length > maxBatch.get()) {
      requests.add(new Request(encoding, 413, n, raw.length));
      ctx.status(413).contentType("application/problem+json").result("{\"status\":413,\"code\":\"BODY_TOO_LARGE\"}");
      return;
    }
    if (busyAnswers.getAndUpdate(b -> Math.max(0, b - 1)) > 0) {
      busy.add(new Busy(from, n));
      ctx.status(503).contentType("application/problem+json").result("{\"status\":503}");
      return;
    }
    synchronized (cursor) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (from > cursor.get() + 1 && System.nanoTime() < deadline) {
        cursor.wait(100); // a batch sent behind one still applying waits for it, as in the cloud
      }
      if (from > cursor.get() + 1) {
        requests.add(new Request(encoding, 409, n, raw.length));
        ctx.status(409).contentType("application/problem+json")
            .result("{\"status\":409,\"expectedFromSeq\":" + (cursor.get() + 1) + "}");
        return;
      }
      long skipped = Math.min(n, Math.max(0, cursor.get() - from + 1)); // known events: skipped, as the cloud does
      long last = from + n - 1;
      cursor.set(Math.max(cursor.get(), last));
      cursor.notifyAll();
      requests.add(new Request(encoding, 200, n, raw.length));
      if (takesZstd.get()) {
        ctx.header("Accept-Encoding", "zstd, gzip");
      }
      if (holdsTelemetry.get()) {
        ctx.header("Uplink-Features", "afterBusinessSeq");
      }
      ctx.contentType("application/json").result("{\"lane\":\"BUSINESS\",\"cursor\":" + cursor.get()
          + ",\"applied\":" + (n - skipped) + ",\"skipped\":" + skipped + "}");
    }
  }

  @AfterEach
  void stop() {
    cloud.stop();
    db.close();
  }

  private static byte[] decode(String encoding, byte[] body) throws IOException {
    try (InputStream in = "zstd".equals(encoding) ? new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(body))
        : new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  private UplinkClient client(UplinkSettings settings) {
    CloudLink link = new CloudLink(URI.create("http://127.0.0.1:" + cloud.port()), "HOU1", Clock.systemUTC());
    UplinkClient uplink = new UplinkClient(link, db.reader(), db.writer(), db.writer().durableOutbox()::through, json,
        Clock.systemUTC(), settings.withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)));
    db.writer().durableOutbox().onAdvance(uplink::wake);
    return uplink.start();
  }

  /** Appends {@code n} business events of ~520 bytes of body each, in units of 100. */
  private void append(int n) {
    for (int done = 0; done < n; done += 100) {
      int unit = Math.min(100, n - done);
      db.writer().write(ctx -> {
        for (int i = 0; i < unit; i++) {
          outbox.append(ctx, Lane.BUSINESS, "test.event.v1", ctx.now(), Map.of("pad", PAD, "i", i));
        }
        return null;
      });
    }
  }

  /** Polls a fact the uplink makes true (an ack recorded through the writer) until a deadline. */
  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  private long ackedInSite() {
    return db.reader().withHandle(h -> h.createQuery("SELECT acked_seq FROM outbox_head WHERE lane = 'BUSINESS'")
        .mapTo(Long.class).findOne().orElse(0L));
  }

  @Test
  void batchesGoAsZstdStartingSmallAndDoublingToTheConfiguredSize() throws Exception {
    append(2_000);
    int max = 256 * 1024;
    try (UplinkClient uplink = client(UplinkSettings.defaults().withBatchBytes(max))) {
      await(() -> ackedInSite() == 2_000, "the site's 2,000 events acknowledged");
    }
    assertThat(cursor.get()).isEqualTo(2_000);
    List<Request> ok = requests.stream().filter(r -> r.status() == 200).toList();
    assertThat(requests).allSatisfy(r -> assertThat(r.encoding()).isIn("gzip", "zstd"));
    assertThat(fromFirstZstd()).as("zstd once loaded, and only zstd").isNotEmpty()
        .allSatisfy(r -> assertThat(r.encoding()).isEqualTo("zstd"));
    assertThat(ok.stream().mapToInt(Request::events).sum()).as("every event sent once").isEqualTo(2_000);
    // a batch ends at the first event past its budget; each event counts its body and 200 bytes
    assertThat(ok.get(0).events()).as("the first batch: 64 KiB of budget").isBetween(fitting(64), fitting(64) + 2);
    assertThat(ok.get(1).events()).as("then 128 KiB").isBetween(fitting(128), fitting(128) + 2);
    assertThat(ok.subList(2, ok.size() - 1)).as("then the configured 256 KiB")
        .allSatisfy(r -> assertThat(r.events()).isBetween(fitting(256), fitting(256) + 2));
  }

  /** Events of this test that fit a budget of {@code kib} KiB (bodies of 2-digit {@code i}, the longest). */
  private int fitting(int kib) throws Exception {
    return kib * 1024 / (json.writeValueAsBytes(Map.of("pad", PAD, "i", 10)).length + 200);
  }

  @Test
  void aBusyCloudIsTriedWithOneSmallBatchKeptAcrossTriesThenTheBatchesGrowAgain() throws Exception {
    append(2_000);
    busyAnswers.set(4);
    try (UplinkClient uplink = client(UplinkSettings.defaults().withBatchBytes(256 * 1024))) {
      await(() -> ackedInSite() == 2_000, "the site's 2,000 events acknowledged after four busy answers");
    }
    // the first batch after start goes alone, as each try after a refusal does: one small batch, again and again
    assertThat(busy).hasSize(4);
    assertThat(busy).allSatisfy(b -> {
      assertThat(b.fromSeq()).isEqualTo(1);
      assertThat(b.events()).isBetween(fitting(64), fitting(64) + 2);
    });
    List<Request> ok = requests.stream().filter(r -> r.status() == 200).toList();
    assertThat(ok.stream().mapToInt(Request::events).sum()).as("every event sent once").isEqualTo(2_000);
    assertThat(ok.get(0).events()).as("the same small batch, accepted").isEqualTo(busy.get(3).events());
    assertThat(ok.get(1).events()).as("then 128 KiB").isBetween(fitting(128), fitting(128) + 2);
    assertThat(ok.get(2).events()).as("then 256 KiB").isBetween(fitting(256), fitting(256) + 2);
  }

  @Test
  void anOlderCloudGetsGzipAfterIts415AndZstdComesBackWhenTheCloudListsIt() throws Exception {
    takesZstd.set(false);
    append(1_000);
    try (UplinkClient uplink = client(UplinkSettings.defaults().withBatchBytes(128 * 1024))) {
      await(() -> ackedInSite() == 1_000, "1,000 events acknowledged by the older cloud");
      assertThat(fromFirstZstd()).as("zstd refused").first().isEqualTo(new Request("zstd", 415, 0, 0));
      assertThat(requests.stream().filter(r -> r.status() == 200))
          .allSatisfy(r -> assertThat(r.encoding()).isEqualTo("gzip"));
      assertThat(requests.stream().filter(r -> r.status() == 200).mapToInt(Request::events).sum())
          .as("every event applied once despite the refusal").isEqualTo(1_000);

      takesZstd.set(true); // the cloud is upgraded: its answers now list zstd
      int upgraded = requests.size();
      append(100);
      await(() -> ackedInSite() == 1_100, "batches the upgraded cloud answers listing zstd");
      assertThat(requests.get(upgraded).encoding()).as("the agent does not know yet").isEqualTo("gzip");
      int before = requests.size();
      append(100);
      await(() -> ackedInSite() == 1_200, "the next batches");
      assertThat(requests.subList(before, requests.size())).as("zstd again").isNotEmpty()
          .allSatisfy(r -> assertThat(r).extracting(Request::encoding, Request::status).containsExactly("zstd", 200));
    }
    assertThat(cursor.get()).isEqualTo(1_200);
  }

  @Test
  void telemetrysFirstBatchIsSentRightBehindBusinesssLastBeforeItsAnswer() throws Exception {
    append(600);
    db.writer().write(ctx -> {
      for (int i = 0; i < 300; i++) {
        outbox.append(ctx, Lane.TELEMETRY, "test.samples.v1", ctx.now(), Map.of("pad", PAD, "i", i));
      }
      return null;
    });
    holdBusinessEndingAt = 600;
    try (UplinkClient uplink = client(UplinkSettings.defaults().withBatchBytes(64 * 1024))) {
      await(() -> ackedInSite() == 600 && telemetryAckedInSite() == 300, "both lanes acknowledged");
    }
    String firstTelemetry = arrivals.stream().filter(a -> a.startsWith("TELEMETRY")).findFirst().orElseThrow();
    // (the stand-in handles requests on several threads, so "BUSINESS:600" itself may be recorded
    // after the telemetry batch sent right behind it: only the answer's place is certain)
    assertThat(arrivals).as("telemetry's first batch arrives before business's last is answered")
        .containsSubsequence(firstTelemetry, "answered BUSINESS:600");
    assertThat(requests.stream().filter(r -> r.status() == 200).mapToInt(Request::events).sum())
        .as("every event of both lanes sent once").isEqualTo(900);
    assertThat(telemetryCursor.get()).isEqualTo(300);
    assertThat(afterBusinessSeqs.getFirst()).as("it names the business seq it must follow").isEqualTo(600);
    assertThat(afterBusinessSeqs.subList(1, afterBusinessSeqs.size())).as("the rest go after business's answers")
        .containsOnly(-1L);
  }

  @Test
  void aCloudThatDoesNotHoldTelemetryGetsItOnlyAfterBusinesssAnswers() throws Exception {
    holdsTelemetry.set(false);
    append(600);
    db.writer().write(ctx -> {
      for (int i = 0; i < 300; i++) {
        outbox.append(ctx, Lane.TELEMETRY, "test.samples.v1", ctx.now(), Map.of("pad", PAD, "i", i));
      }
      return null;
    });
    try (UplinkClient uplink = client(UplinkSettings.defaults().withBatchBytes(64 * 1024))) {
      await(() -> ackedInSite() == 600 && telemetryAckedInSite() == 300, "both lanes acknowledged");
    }
    // a batch sent ahead always names afterBusinessSeq; and BUSINESS:600 is recorded before it is
    // answered, so telemetry sent only after that answer arrives after it
    assertThat(afterBusinessSeqs).as("no telemetry batch sent ahead").containsOnly(-1L);
    String firstTelemetry = arrivals.stream().filter(a -> a.startsWith("TELEMETRY")).findFirst().orElseThrow();
    assertThat(arrivals).containsSubsequence("BUSINESS:600", firstTelemetry);
  }

  private long telemetryAckedInSite() {
    return db.reader().withHandle(h -> h.createQuery("SELECT acked_seq FROM outbox_head WHERE lane = 'TELEMETRY'")
        .mapTo(Long.class).findOne().orElse(0L));
  }

  @Test
  void gzipAsConfiguredIsAllTheCloudSees() throws Exception {
    append(300);
    try (UplinkClient uplink = client(UplinkSettings.defaults().withCompression(UplinkEncoding.GZIP))) {
      await(() -> ackedInSite() == 300, "300 events acknowledged");
    }
    assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r).extracting(Request::encoding, Request::status)
        .containsExactly("gzip", 200));
  }

  /**
   * A cloud that takes batches of at most 100 KiB and says so on its answers: after the first (a
   * 64 KiB budget) the agent cuts every batch to half of that, however large its setting, and none
   * is refused.
   */
  @Test
  void batchesAreCutToTheLargestTheCloudNamesOnItsAnswers() throws Exception {
    maxBatch.set(100 * 1024);
    append(2_000);
    try (UplinkClient uplink = client(UplinkSettings.defaults().withBatchBytes(1024 * 1024))) {
      await(() -> ackedInSite() == 2_000, "the site's 2,000 events acknowledged");
    }
    assertThat(requests).as("none too large").allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(requests.stream().mapToInt(Request::events).sum()).as("every event sent once").isEqualTo(2_000);
    assertThat(requests.subList(1, requests.size() - 1)).as("half of the cloud's largest, not the 1 MiB setting")
        .allSatisfy(r -> assertThat(r.events()).isBetween(fitting(50), fitting(50) + 2));
  }

  /**
   * A limit the agent is not told of (a proxy before the cloud answering 413 on its own): the
   * refused batch's events go again in batches of half its size, later batches stay under it, and
   * the lane never stops.
   */
  @Test
  void aBatchRefusedAsTooLargeIsSentAgainInSmallerBatchesAndTheLaneGoesOn() throws Exception {
    maxBatch.set(100 * 1024);
    namesMaxBatch.set(false);
    append(2_000);
    try (UplinkClient uplink = client(UplinkSettings.defaults().withBatchBytes(1024 * 1024))) {
      await(() -> ackedInSite() == 2_000, "the site's 2,000 events acknowledged");
    }
    // the first batch (64 KiB) goes alone; then the 128 KiB one and the 256 KiB one behind it are refused
    assertThat(requests.get(0).status()).isEqualTo(200);
    assertThat(requests.subList(1, 3)).extracting(Request::status).containsExactly(413, 413);
    assertThat(requests.subList(3, requests.size())).as("after them, every batch fits").isNotEmpty()
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(200))
        .allSatisfy(r -> assertThat(r.jsonBytes()).isLessThanOrEqualTo(requests.get(1).jsonBytes() / 2 + 1024));
    assertThat(requests.stream().filter(r -> r.status() == 200).mapToInt(Request::events).sum())
        .as("every event applied once").isEqualTo(2_000);
    assertThat(requests.get(3).events()).as("the refused batch's events again, at most half of them")
        .isLessThanOrEqualTo(requests.get(1).events() / 2);
  }

  /**
   * A batch one large event makes too large shrinks to that event alone; that one is refused for
   * good (the lane waits for an operator), and everything before it was applied.
   */
  @Test
  void anEventLargerThanTheCloudTakesStopsTheLaneAfterEverythingBeforeIt() throws Exception {
    maxBatch.set(8 * 1024);
    namesMaxBatch.set(false);
    append(10);
    db.writer().write(ctx -> {
      outbox.append(ctx, Lane.BUSINESS, "test.event.v1", ctx.now(), Map.of("pad", "y".repeat(20_000)));
      return null;
    });
    append(10);
    try (UplinkClient uplink = client(UplinkSettings.defaults().withBatchBytes(64 * 1024))) {
      await(() -> ackedInSite() == 10, "the ten events before the large one");
      await(() -> uplink.describe().toString().contains("REFUSED"), "the lane stopped at the large event");
      assertThat(cursor.get()).isEqualTo(10);
    }
    List<Request> tooLarge = requests.stream().filter(r -> r.status() == 413).toList();
    assertThat(tooLarge.getFirst().events()).as("all 21 events at first").isEqualTo(21);
    assertThat(tooLarge.getLast().events()).as("the large event alone, at last").isEqualTo(1);
    assertThat(cursor.get()).as("nothing after it applied").isEqualTo(10);
  }
}
