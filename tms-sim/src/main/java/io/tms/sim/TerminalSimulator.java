package io.tms.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.seed.SeedRoster;
import io.tms.agent.seed.SeedRoster.BayEntry;
import io.tms.agent.seed.SeedRoster.DriverEntry;
import io.tms.agent.seed.SeedRoster.Lifting;
import io.tms.agent.seed.SeedRoster.VehicleEntry;
import io.tms.domain.masterdata.Compartment;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a site's terminal API with N simulated terminals, each running load cycles: authorize at
 * the gate, start at a bay, complete with metered readings. Two modes:
 *
 * <ul>
 *   <li>{@link Mode#BENCH}: as fast as possible, approved drivers only; terminal i works bay
 *       {@code i mod bays} and terminals sharing a bay take turns at it, as trucks queue.
 *   <li>{@link Mode#REALISTIC}: think and pump times (scaled by {@code speed}), wrong PINs,
 *       drivers and customers that the site denies, bays assigned by the site with trucks waiting
 *       when none is free.
 * </ul>
 *
 * Thread-safe: each terminal runs on its own virtual thread; results are merged at the end.
 */
public final class TerminalSimulator {
  private static final ObjectMapper JSON = new ObjectMapper();

  public enum Mode { BENCH, REALISTIC }

  /**
   * @param maxCycles stop after this many completed cycles in all (0 = no limit)
   * @param speed simulation speed-up of think and pump times in REALISTIC mode (1 = real time)
   * @param pacedCyclesPerSecond in BENCH mode, start cycles at this aggregate rate, spread evenly
   *     over the terminals, instead of back to back (0 = as fast as possible); a terminal that
   *     falls behind its schedule starts its next cycle at once
   */
  public record Options(
      int terminals, Duration duration, long maxCycles, Mode mode, long randomSeed, double speed,
      double pacedCyclesPerSecond) {
    public Options(int terminals, Duration duration, long maxCycles, Mode mode, long randomSeed, double speed) {
      this(terminals, duration, maxCycles, mode, randomSeed, speed, 0);
    }

    public Options {
      if (terminals < 1) {
        throw new IllegalArgumentException("terminals must be >= 1 (was " + terminals + ")");
      }
      if (speed <= 0) {
        throw new IllegalArgumentException("speed must be > 0 (was " + speed + ")");
      }
    }
  }

  /** What happened: counts, deny reasons, HTTP statuses and every request's latency. */
  public record Result(
      long cycles, long requests, long errors, Map<String, Long> denials, Map<Integer, Long> statuses,
      Map<Integer, String> firstRefusals, LatencyRecorder latencies, Duration elapsed) {
    public double cyclesPerSecond() {
      return cycles / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }
  }

  private final URI base;
  private final SeedRoster roster;
  private final Options options;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final LongAdder cycles = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Map<String, LongAdder> denials = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Map<Integer, String> firstRefusals = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> bayTurns = new HashMap<>();
  private final AtomicLong keys = new AtomicLong();
  private final String run = Long.toString(System.nanoTime(), 36);
  private final BenchTerminal.Fleet fleet;

  public TerminalSimulator(URI base, SeedRoster roster, Options options) {
    this.base = base;
    this.roster = roster;
    this.options = options;
    this.fleet = options.mode() == Mode.BENCH ? BenchTerminal.Fleet.of(roster) : null;
    for (BayEntry b : roster.bays()) {
      bayTurns.put(b.id(), new Semaphore(1, true));
    }
  }

  /** Runs until the duration or the cycle limit is reached, or {@link #stop()} is called. */
  public Result run() throws InterruptedException {
    List<LatencyRecorder> recorders = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(options.terminals());
    long t0 = System.nanoTime();
    long deadline = t0 + options.duration().toNanos();
    for (int i = 0; i < options.terminals(); i++) {
      LatencyRecorder rec = new LatencyRecorder();
      recorders.add(rec);
      Terminal t = new Terminal(i, new Random(options.randomSeed() * 1_000_003L + i), rec, deadline);
      // BENCH: a platform thread per terminal, blocking in the kernel on its socket (a virtual
      // thread's park and unpark through the JDK's poller cost the load generator more CPU than the
      // request itself); REALISTIC: virtual threads, which mostly sleep through think times
      (options.mode() == Mode.BENCH ? Thread.ofPlatform().daemon() : Thread.ofVirtual()).name("terminal-" + i).start(() -> {
        try {
          t.run();
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
    Map<String, Long> deny = new java.util.TreeMap<>();
    denials.forEach((k, v) -> deny.put(k, v.sum()));
    Map<Integer, Long> st = new java.util.TreeMap<>();
    statuses.forEach((k, v) -> st.put(k, v.sum()));
    return new Result(cycles.sum(), requests.sum(), errors.sum(), deny, st, new java.util.TreeMap<>(firstRefusals),
        LatencyRecorder.merge(recorders), elapsed);
  }

  public void stop() {
    stop.set(true);
  }

  /** Load cycles completed so far (BOLs issued), while it runs. */
  public long completedSoFar() {
    return cycles.sum();
  }

  /** Denials by first deny code so far, while it runs. */
  public Map<String, Long> denialsSoFar() {
    Map<String, Long> deny = new java.util.TreeMap<>();
    denials.forEach((k, v) -> deny.put(k, v.sum()));
    return deny;
  }

  /** Requests that failed at the transport or with a 5xx so far. */
  public long errorsSoFar() {
    return errors.sum();
  }

  private final class Terminal implements BenchTerminal.Tally {
    final int index;
    final Random random;
    final LatencyRecorder latencies;
    final long deadline;
    final List<DriverEntry> approved = roster.approvedDrivers();
    final LoopbackHttp connection = new LoopbackHttp(base);
    final BayEntry bay;
    final BenchTerminal bench;

    final long startedAt = System.nanoTime();

    Terminal(int index, Random random, LatencyRecorder latencies, long deadline) {
      this.index = index;
      this.random = random;
      this.latencies = latencies;
      this.deadline = deadline;
      this.bay = roster.bays().get(index % roster.bays().size());
      this.bench = options.mode() == Mode.BENCH
          ? new BenchTerminal(base, bay, roster.liftings(), fleet, "sim-" + run + "-" + index + "-", random, this)
          : null;
    }

    boolean going() {
      return !stop.get() && System.nanoTime() < deadline
          && (options.maxCycles() <= 0 || cycles.sum() < options.maxCycles());
    }

    void run() {
      try (connection) {
        loop();
      } finally {
        if (bench != null) {
          bench.close();
        }
      }
    }

    void loop() {
      while (going()) {
        try {
          if (options.mode() == Mode.BENCH) {
            benchCycle();
          } else {
            realisticCycle();
          }
        } catch (IOException e) {
          errors.increment();
          if (stop.get()) {
            return;
          }
          if (options.mode() == Mode.REALISTIC) {
            pauseAfterFailure();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    long cyclesStarted;

    /** A terminal whose agent is unreachable (restarting) tries again a little later, not in a spin. */
    void pauseAfterFailure() {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void benchCycle() throws IOException, InterruptedException {
      if (options.pacedCyclesPerSecond() > 0) {
        double interval = 1e9 / options.pacedCyclesPerSecond();
        long due = startedAt + (long) ((cyclesStarted++ * options.terminals() + index) * interval);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      }
      bench.cycle(bayTurns.get(bay.id()));
    }

    @Override
    public void answered(long nanos, AsciiBuffer path, int status, BenchConnection answer) {
      latencies.record(nanos);
      requests.increment();
      statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
      if (status >= 500) {
        errors.increment();
      }
      if (status >= 400 && !firstRefusals.containsKey(status)) {
        firstRefusals.putIfAbsent(status, path + " -> " + answer.body());
      }
    }

    @Override
    public void denied(BenchConnection answer) {
      try {
        deny(answer == null ? null : JSON.readTree(answer.body()));
      } catch (IOException e) {
        deny(null);
      }
    }

    @Override
    public void refused(BenchConnection answer) {
      refused(new Response(answer.status(), answer.body()));
    }

    @Override
    public void completed() {
      cycles.increment();
    }

    void realisticCycle() throws IOException, InterruptedException {
      think(30, 120); // drive in, walk to the kiosk
      boolean badDriver = random.nextDouble() < 0.06;
      DriverEntry driver = badDriver ? pick(roster.drivers()) : pick(approved);
      Plan plan = plan(driver, null);
      if (plan == null) {
        return;
      }
      if (random.nextDouble() < 0.04) { // a wrong PIN, then the right one
        deny(post("/v1/authorizations", authorizeBody(driver, wrongPin(driver.pin()), plan)));
        think(5, 15);
      }
      if (!badDriver && random.nextDouble() < 0.03 && !roster.deniedLiftings().isEmpty()) {
        var d = roster.deniedLiftings().get(random.nextInt(roster.deniedLiftings().size()));
        deny(post("/v1/authorizations", authorizeBody(driver, driver.pin(),
            new Plan(driver, plan.vehicle(), d.customerId(), d.productCode(), plan.presets()))));
        think(10, 30);
      }
      JsonNode decision = post("/v1/authorizations", authorizeBody(driver, driver.pin(), plan));
      if (decision == null || !decision.get("approved").asBoolean()) {
        deny(decision);
        return;
      }
      String authId = decision.get("authorizationId").asText();
      think(60, 240); // drive to the bay, ground the truck, connect the arms
      while (going()) {
        Response started = send("/v1/loads", startBody(authId, null, plan));
        if (started.status() == 201) {
          String loadId = started.json().get("loadId").asText();
          double gallons = plan.presets().values().stream().mapToLong(Long::longValue).sum();
          sleepSimulated(gallons / 600.0 * 60.0); // about 600 gal/min per arm
          complete(loadId, plan);
          return;
        }
        if (started.status() == 422) {
          refused(started); // e.g. TANK_INSUFFICIENT, RESERVE_INSUFFICIENT: the truck leaves
        }
        if (started.status() != 409) {
          return;
        }
        think(30, 90); // no free bay: wait in the queue
      }
    }

    void complete(String loadId, Plan plan) throws IOException {
      StringBuilder readings = new StringBuilder();
      plan.presets().forEach((c, preset) -> {
        double gross = Math.max(0, preset - random.nextInt(4) - random.nextInt(10) / 10.0);
        double temp = 40 + random.nextInt(550) / 10.0;
        if (readings.length() > 0) {
          readings.append(',');
        }
        readings.append("{\"compartment\":").append(c).append(",\"grossGallons\":").append(gross)
            .append(",\"temperatureF\":").append(temp).append('}');
      });
      String path = "/v1/loads/" + loadId + "/complete";
      String body = "{\"compartments\":[" + readings + "]}";
      String key = nextKey();
      Response done;
      for (int attempt = 1; ; attempt++) {
        try {
          done = send(path, body, key);
          break;
        } catch (IOException e) {
          // REALISTIC: the bay controller retries with the same key (the agent may be restarting);
          // the agent answers a retry with the first answer, so a BOL is never issued twice
          if (options.mode() != Mode.REALISTIC || attempt >= 60 || stop.get()) {
            throw e;
          }
          errors.increment();
          try {
            Thread.sleep(500);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
      if (done.status() == 201) {
        cycles.increment();
      }
    }

    Plan plan(DriverEntry driver, List<String> products) {
      List<VehicleEntry> vehicles = driver.vehicleIds().stream()
          .map(roster::vehicle).flatMap(java.util.Optional::stream)
          .filter(v -> v.usable() || !driver.expectedApproved())
          .toList();
      List<Lifting> liftings = roster.liftings().stream()
          .filter(l -> products == null || products.contains(l.productCode()))
          .filter(l -> options.mode() == Mode.REALISTIC || l.reserveGallons() > 50_000)
          .toList();
      if (vehicles.isEmpty() || liftings.isEmpty()) {
        return null;
      }
      VehicleEntry vehicle = vehicles.get(random.nextInt(vehicles.size()));
      Lifting lifting = liftings.get(random.nextInt(liftings.size()));
      Map<Integer, Long> presets = new java.util.TreeMap<>();
      for (Compartment c : vehicle.compartments()) {
        presets.put(c.number(), c.capacityGallons() - 10L * random.nextInt(20));
      }
      return new Plan(driver, vehicle, lifting.customerId(), lifting.productCode(), presets);
    }

    String authorizeBody(DriverEntry driver, String pin, Plan plan) {
      StringBuilder c = new StringBuilder();
      plan.presets().keySet().forEach(n -> {
        if (c.length() > 0) {
          c.append(',');
        }
        c.append("{\"compartment\":").append(n).append(",\"customerId\":\"").append(plan.customerId())
            .append("\",\"productCode\":\"").append(plan.productCode()).append("\"}");
      });
      return "{\"cardNumber\":\"" + driver.cardNumber() + "\",\"pin\":\"" + pin + "\",\"vehicleId\":\""
          + plan.vehicle().id() + "\",\"compartments\":[" + c + "]}";
    }

    String startBody(String authId, String bayId, Plan plan) {
      StringBuilder c = new StringBuilder();
      plan.presets().forEach((n, g) -> {
        if (c.length() > 0) {
          c.append(',');
        }
        c.append("{\"compartment\":").append(n).append(",\"presetGallons\":").append(g).append('}');
      });
      return "{\"authorizationId\":\"" + authId + "\"," + (bayId == null ? "" : "\"bayId\":\"" + bayId + "\",")
          + "\"permissives\":{\"groundOk\":true,\"overfillOk\":true},\"compartments\":[" + c + "]}";
    }

    JsonNode post(String path, String body) throws IOException {
      Response r = send(path, body);
      return r.status() == 201 ? r.json() : null;
    }

    String nextKey() {
      return "sim-" + run + "-" + index + "-" + keys.incrementAndGet();
    }

    Response send(String path, String body) throws IOException {
      return send(path, body, nextKey());
    }

    Response send(String path, String body, String idempotencyKey) throws IOException {
      long t0 = System.nanoTime();
      LoopbackHttp.Response r = connection.post(path, body, idempotencyKey);
      latencies.record(System.nanoTime() - t0);
      requests.increment();
      statuses.computeIfAbsent(r.status(), k -> new LongAdder()).increment();
      if (r.status() >= 500) {
        errors.increment();
      }
      if (r.status() >= 400) {
        firstRefusals.putIfAbsent(r.status(), path + " -> " + r.body());
      }
      return new Response(r.status(), r.body());
    }

    /** A load the site would not start, counted by the code its problem's detail begins with. */
    void refused(Response r) {
      String reason = "START_REFUSED";
      try {
        String detail = r.json().path("detail").asText("");
        int colon = detail.indexOf(':');
        if (colon > 0 && detail.substring(0, colon).matches("[A-Z_]+")) {
          reason = detail.substring(0, colon);
        }
      } catch (IOException | RuntimeException e) {
        // not a problem document: counted as START_REFUSED
      }
      denials.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    void deny(JsonNode decision) {
      String reason = decision == null ? "ERROR"
          : decision.get("denyCodes").isEmpty() ? "UNKNOWN" : decision.get("denyCodes").get(0).asText();
      denials.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    <T> T pick(List<T> list) {
      return list.get(random.nextInt(list.size()));
    }

    String wrongPin(String pin) {
      return pin.equals("0000") ? "1111" : "0000";
    }

    void think(int minSeconds, int maxSeconds) throws InterruptedException {
      sleepSimulated(minSeconds + random.nextInt(Math.max(1, maxSeconds - minSeconds)));
    }

    void sleepSimulated(double seconds) throws InterruptedException {
      if (options.mode() == Mode.REALISTIC) {
        long millis = (long) (seconds * 1000 / options.speed());
        long until = System.currentTimeMillis() + millis;
        while (going() && System.currentTimeMillis() < until) {
          Thread.sleep(Math.min(200, Math.max(1, until - System.currentTimeMillis())));
        }
      }
    }
  }

  private record Plan(DriverEntry driver, VehicleEntry vehicle, String customerId, String productCode,
      Map<Integer, Long> presets) {}

  private record Response(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }
}
