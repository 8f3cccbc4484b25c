package io.tms.sim;

import static io.tms.sim.AsciiBuffer.ascii;

import io.tms.agent.seed.SeedRoster;
import io.tms.agent.seed.SeedRoster.DriverEntry;
import io.tms.agent.seed.SeedRoster.Lifting;
import io.tms.agent.seed.SeedRoster.VehicleEntry;
import io.tms.agent.security.SeedTerminals;
import io.tms.domain.masterdata.Compartment;
import java.io.IOException;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * The load cycle of one {@link TerminalSimulator} terminal in BENCH mode — authorize → start at its
 * bay → complete with metered readings — with the same choices and the same requests as before
 * (every request with its Idempotency-Key and the terminal credential, every answer checked for its
 * status and the id it must carry), at a fraction of the load generator's CPU: what can be chosen
 * once (the drivers' usable vehicles, the bay's liftings, each vehicle's compartments in order) is,
 * bodies are written as bytes into buffers reused from cycle to cycle, and an answer is read for the
 * status and the one id the next request needs ({@link BenchConnection}), not parsed into a tree.
 * Not thread-safe: one per terminal, on its own thread.
 */
final class BenchTerminal implements AutoCloseable {
  private static final byte[] AUTHORIZATIONS = ascii("/v1/authorizations");
  private static final byte[] LOADS = ascii("/v1/loads");
  private static final byte[] COMPLETE = ascii("/complete");
  private static final byte[] APPROVED = BenchConnection.field("approved");
  private static final byte[] AUTHORIZATION_ID = BenchConnection.field("authorizationId");
  private static final byte[] LOAD_ID = BenchConnection.field("loadId");
  private static final byte[] BOL_NUMBER = BenchConnection.field("bolNumber");

  /** What a cycle's outcome is reported to (the simulator's tallies). */
  interface Tally {
    /** One request answered (its latency, status, and the connection to read a refusal from). */
    void answered(long nanos, AsciiBuffer path, int status, BenchConnection answer);

    /** An authorization not approved ({@code answer} null when it was not even a 201). */
    void denied(BenchConnection answer);

    /** A start refused with a 422. */
    void refused(BenchConnection answer);

    /** A BOL issued. */
    void completed();
  }

  /** A vehicle with its compartments in number order, and each one's number as bytes. */
  record Truck(VehicleEntry vehicle, byte[] id, int[] numbers, long[] capacities) {
    static Truck of(VehicleEntry v) {
      List<Compartment> cs = v.compartments().stream().sorted(Comparator.comparingInt(Compartment::number)).toList();
      return new Truck(v, ascii(v.id()), cs.stream().mapToInt(Compartment::number).toArray(),
          cs.stream().mapToLong(Compartment::capacityGallons).toArray());
    }
  }

  /** A driver with the trucks they may drive (usable ones, for an approved driver) and their card and PIN as bytes. */
  record Driver(DriverEntry entry, byte[] card, byte[] pin, List<Truck> trucks) {}

  /** Drivers and trucks as bench terminals use them; computed once per simulator, shared read-only. */
  record Fleet(List<Driver> approved) {
    static Fleet of(SeedRoster roster) {
      Map<String, Truck> trucks = roster.vehicles().stream()
          .collect(Collectors.toMap(VehicleEntry::id, Truck::of, (a, b) -> a));
      return new Fleet(roster.approvedDrivers().stream().map(d -> new Driver(d, ascii(d.cardNumber()),
          ascii(d.pin()), d.vehicleIds().stream().map(trucks::get).filter(t -> t != null)
              .filter(t -> t.vehicle().usable() || !d.expectedApproved()).toList())).toList());
    }
  }

  /** A customer × product the bay carries, as bytes. */
  private record Product(byte[] customerId, byte[] productCode) {}

  private final Random random;
  private final Tally tally;
  private final Fleet fleet;
  private final List<Product> liftings;
  private final byte[] bayId;
  private final BenchConnection connection;
  private final byte[] keyPrefix;
  private long keys;

  private final AsciiBuffer path = new AsciiBuffer(128);
  private final AsciiBuffer body = new AsciiBuffer(1024);
  private final AsciiBuffer key = new AsciiBuffer(64);
  private final AsciiBuffer id = new AsciiBuffer(64);
  private long[] presets = new long[12];

  /**
   * @param keyPrefix the start of this terminal's Idempotency-Keys (unique per run and terminal)
   */
  BenchTerminal(URI base, SeedRoster.BayEntry bay, List<Lifting> liftings, Fleet fleet, String keyPrefix,
      Random random, Tally tally) {
    this.random = random;
    this.tally = tally;
    this.fleet = fleet;
    this.bayId = ascii(bay.id());
    this.liftings = liftings.stream()
        .filter(l -> bay.productCodes().contains(l.productCode()) && l.reserveGallons() > 50_000)
        .map(l -> new Product(ascii(l.customerId()), ascii(l.productCode()))).toList();
    this.keyPrefix = ascii(keyPrefix);
    this.connection = new BenchConnection(base, SeedTerminals.SIMULATOR_SECRET);
  }

  /** One cycle; start and complete run while this terminal holds its bay's {@code turn} (trucks queue for it). */
  void cycle(Semaphore turn) throws IOException, InterruptedException {
    Driver driver = fleet.approved().get(random.nextInt(fleet.approved().size()));
    if (driver.trucks().isEmpty() || liftings.isEmpty()) {
      return;
    }
    Truck truck = driver.trucks().get(random.nextInt(driver.trucks().size()));
    Product lifting = liftings.get(random.nextInt(liftings.size()));
    int n = truck.numbers().length;
    if (presets.length < n) {
      presets = new long[n];
    }
    for (int i = 0; i < n; i++) {
      presets[i] = truck.capacities()[i] - 10L * random.nextInt(20);
    }

    body.clear().append("{\"cardNumber\":\"").append(driver.card()).append("\",\"pin\":\"").append(driver.pin())
        .append("\",\"vehicleId\":\"").append(truck.id()).append("\",\"compartments\":[");
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "{\"compartment\":" : ",{\"compartment\":").append(truck.numbers()[i])
          .append(",\"customerId\":\"").append(lifting.customerId()).append("\",\"productCode\":\"")
          .append(lifting.productCode()).append("\"}");
    }
    body.append("]}");
    int status = send(path.clear().append(AUTHORIZATIONS));
    id.clear();
    if (status != 201 || !connection.isTrue(APPROVED) || !connection.stringField(AUTHORIZATION_ID, id)) {
      tally.denied(status == 201 ? connection : null);
      return;
    }
    turn.acquire();
    try {
      loadAtBay(truck, n);
    } finally {
      turn.release();
    }
  }

  private void loadAtBay(Truck truck, int n) throws IOException {
    body.clear().append("{\"authorizationId\":\"").append(id).append("\",\"bayId\":\"").append(bayId)
        .append("\",\"permissives\":{\"groundOk\":true,\"overfillOk\":true},\"compartments\":[");
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "{\"compartment\":" : ",{\"compartment\":").append(truck.numbers()[i])
          .append(",\"presetGallons\":").append(presets[i]).append('}');
    }
    body.append("]}");
    int status = send(path.clear().append(LOADS));
    id.clear();
    if (status != 201 || !connection.stringField(LOAD_ID, id)) {
      if (status == 422) {
        tally.refused(connection);
      }
      return;
    }

    body.clear().append("{\"compartments\":[");
    for (int i = 0; i < n; i++) {
      // gross = preset − 0..3 − 0.0..0.9 gal, temperature 40.0..94.9 °F, in tenths
      long grossTenths = Math.max(0, presets[i] * 10 - random.nextInt(4) * 10L - random.nextInt(10));
      long temperatureTenths = 400 + random.nextInt(550);
      body.append(i == 0 ? "{\"compartment\":" : ",{\"compartment\":").append(truck.numbers()[i])
          .append(",\"grossGallons\":").appendTenths(grossTenths)
          .append(",\"temperatureF\":").appendTenths(temperatureTenths).append('}');
    }
    body.append("]}");
    status = send(path.clear().append(LOADS).append('/').append(id).append(COMPLETE));
    AsciiBuffer bol = id.clear();
    if (status == 201 && connection.stringField(BOL_NUMBER, bol)) {
      tally.completed();
    }
  }

  private int send(AsciiBuffer to) throws IOException {
    key.clear().append(keyPrefix).append(++keys);
    long t0 = System.nanoTime();
    int status = connection.post(to, body, key);
    tally.answered(System.nanoTime() - t0, to, status, connection);
    return status;
  }

  @Override
  public void close() {
    connection.close();
  }
}
