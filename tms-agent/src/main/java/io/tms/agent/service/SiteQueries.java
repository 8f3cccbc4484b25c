package io.tms.agent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.store.BolStore;
import io.tms.agent.store.InventoryStore;
import io.tms.agent.store.LoadingStore;
import io.tms.agent.store.LoadingStore.StoredLoad;
import io.tms.agent.store.MasterData;
import io.tms.agent.store.OutboxStore;
import io.tms.domain.inventory.GaugeReading;
import io.tms.domain.loading.PlannedCompartment;
import io.tms.domain.masterdata.Bay;
import io.tms.domain.masterdata.Tank;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.Lane;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** The read side of the terminal API: answered from read-only connections, never through the writer. */
public final class SiteQueries {
  private final Jdbi reader;
  private final Supplier<MasterData> masterData;
  private final ObjectMapper json;
  private final Clock clock;
  private final LoadingStore loads = new LoadingStore();
  private final BolStore bols = new BolStore();
  private final InventoryStore inventory = new InventoryStore();
  private final OutboxStore outbox;

  public SiteQueries(Jdbi reader, Supplier<MasterData> masterData, ObjectMapper json, Clock clock, OutboxStore outbox) {
    this.reader = reader;
    this.masterData = masterData;
    this.json = json;
    this.clock = clock;
    this.outbox = outbox;
  }

  public Optional<BolDocument> bol(String number) {
    return reader.withHandle(h -> bols.document(h, number)).map(j -> read(j, BolDocument.class));
  }

  public List<BolDocument> bols(long afterSeq, int limit) {
    return reader.withHandle(h -> bols.documentsAfter(h, afterSeq, limit)).stream()
        .map(j -> read(j, BolDocument.class))
        .toList();
  }

  public Optional<AuthorizationDecidedV1> authorization(String id) {
    return reader.withHandle(h -> loads.authorization(h, id))
        .map(a -> read(a.decisionJson(), AuthorizationDecidedV1.class));
  }

  /** A load with its compartments. */
  public record LoadView(StoredLoad load, List<PlannedCompartment> compartments) {}

  public Optional<LoadView> load(String id) {
    return reader.withHandle(h -> loads.load(h, id).map(l -> new LoadView(l, loads.compartments(h, id))));
  }

  /** A bay, what it carries, and who is at it. */
  public record BayView(
      String id, String name, boolean active, List<ArmView> arms, String status, String loadId, String vehicleId) {}

  public record ArmView(String id, String meterId, Map<String, String> tankByProduct) {}

  /** A truck authorized and waiting for a bay; {@code bays} are the bays that could take it. */
  public record QueueEntry(
      int position, String authorizationId, String vehicleId, String driverId, Instant decidedAt,
      List<String> products, List<String> bays) {}

  public record Bays(List<BayView> bays, List<QueueEntry> queue) {}

  public Bays bays() {
    MasterData md = masterData.get();
    Instant now = clock.instant();
    return reader.withHandle(h -> {
      Map<String, StoredLoad> active = loads.activeLoads(h).stream()
          .collect(Collectors.toMap(StoredLoad::bayId, Function.identity()));
      List<BayView> bays = new ArrayList<>();
      for (Bay b : md.bays()) {
        StoredLoad l = active.get(b.id());
        bays.add(new BayView(
            b.id(), b.name(), b.active(),
            b.arms().stream().map(a -> new ArmView(a.id(), a.meterId(), new TreeMap<>(a.tankByProduct()))).toList(),
            !b.active() ? "OUT_OF_SERVICE" : l == null ? "IDLE" : "LOADING",
            l == null ? null : l.id(), l == null ? null : l.vehicleId()));
      }
      List<QueueEntry> queue = new ArrayList<>();
      for (var a : loads.waiting(h, now)) {
        AuthorizationDecidedV1 d = read(a.decisionJson(), AuthorizationDecidedV1.class);
        List<String> products = d.compartments().stream().map(AuthorizationDecidedV1.Compartment::productCode)
            .distinct().toList();
        List<String> fit = md.bays().stream().filter(b -> b.active() && b.carriesAll(products)).map(Bay::id).toList();
        queue.add(new QueueEntry(
            queue.size() + 1, a.id(), a.vehicleId(), a.driverId(), a.decidedAt(), products, fit));
      }
      return new Bays(bays, queue);
    });
  }

  /** A tank: its book, last gauge and the difference. */
  public record TankView(
      String id, String productCode, double capacityGallons, double baseDensityKgM3, double bookNetGallons,
      GaugeReading lastGauge, Double bookMinusGaugeGallons) {}

  public List<TankView> tanks() {
    MasterData md = masterData.get();
    var states = reader.withHandle(inventory::tanks).stream()
        .collect(Collectors.toMap(InventoryStore.TankState::tankId, Function.identity()));
    return md.tanks().values().stream()
        .sorted(java.util.Comparator.comparing(Tank::id))
        .map(t -> {
          var s = states.get(t.id());
          double book = s == null ? 0 : s.bookNetGallons();
          GaugeReading g = s == null ? null : s.lastGauge();
          return new TankView(t.id(), t.productCode(), t.capacityGallons(), t.baseDensityKgM3(), book, g,
              g == null ? null : io.tms.domain.Gallons.tenths(book - g.netGallons()));
        })
        .toList();
  }

  /** Outbox state of one lane. */
  public record LaneView(long lastSeq, long ackedSeq, long depth, String oldestUnsentAt) {}

  public Map<Lane, LaneView> outbox() {
    return reader.withHandle(outbox::state).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> {
          var s = e.getValue();
          return new LaneView(s.lastSeq(), s.ackedSeq(), s.depth(), s.oldestUnsentAt());
        }, (a, b) -> a, () -> new java.util.EnumMap<>(Lane.class)));
  }

  public long bolCount() {
    return reader.withHandle(bols::count);
  }

  public int activeLoadCount() {
    return reader.withHandle(loads::activeLoads).size();
  }

  private <T> T read(String text, Class<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt stored " + type.getSimpleName(), e);
    }
  }

}
