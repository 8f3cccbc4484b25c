package io.tms.agent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.store.BolStore;
import io.tms.agent.store.InventoryStore;
import io.tms.agent.store.LoadingStore;
import io.tms.agent.store.LoadingStore.StoredAuthorization;
import io.tms.agent.store.LoadingStore.StoredLoad;
import io.tms.agent.store.MasterData;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.PreparedSql;
import io.tms.agent.store.SequenceStore;
import io.tms.agent.store.WriteContext;
import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.Gallons;
import io.tms.domain.allocation.Reserve;
import io.tms.domain.authorization.AuthorizationDecision;
import io.tms.domain.authorization.AuthorizationDecision.CompartmentDecision;
import io.tms.domain.authorization.AuthorizationRequest;
import io.tms.domain.authorization.Authorizer;
import io.tms.domain.authorization.CardState;
import io.tms.domain.authorization.DenyCode;
import io.tms.domain.authorization.PinOutcome;
import io.tms.domain.inventory.TankStock;
import io.tms.domain.loading.BillOfLading;
import io.tms.domain.loading.BolLine;
import io.tms.domain.loading.BolNumber;
import io.tms.domain.loading.LoadCompletion;
import io.tms.domain.loading.LoadPlanner;
import io.tms.domain.loading.MeterReading;
import io.tms.domain.loading.Permissives;
import io.tms.domain.loading.PlannedCompartment;
import io.tms.domain.masterdata.Bay;
import io.tms.domain.masterdata.Customer;
import io.tms.domain.masterdata.Product;
import io.tms.protocol.v1.AuthorizationDecidedV1;
import io.tms.protocol.v1.BolIssuedV1;
import io.tms.protocol.v1.CardUnlockedV1;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.Lane;
import io.tms.protocol.v1.LoadCancelledV1;
import io.tms.protocol.v1.LoadStartedV1;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Authorize → start → complete → BOL (DESIGN §2). Each public method is one unit of work: it must be
 * called inside the writer (it takes the {@link WriteContext}), so its reads, its business change
 * and its outbox events commit together or not at all. What it reads of the edge-born state (card
 * states, reserves, tank books, loads in progress, approvals waiting for their load) the writer keeps
 * in memory and the stores write through (see {@code WriterMemory}): the load cycle's reads are map
 * lookups, its SQL the writes.
 */
public final class LoadingService {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LoadingService.class);
  private final Supplier<MasterData> masterData;
  private final Authorizer authorizer;
  private final io.tms.domain.authorization.PinCheck pinCheck;
  private final Duration authorizationTtl;
  private final ObjectMapper json;
  private final LoadingStore loads = new LoadingStore();
  private final BolStore bols = new BolStore();
  private final InventoryStore inventory = new InventoryStore();
  private final SequenceStore sequences = new SequenceStore();
  private final OutboxStore outbox;
  private final SiteEvents events;

  public LoadingService(
      Supplier<MasterData> masterData, int maxPinFailures, PinVerifier pinCheck, Duration authorizationTtl,
      ObjectMapper json, OutboxStore outbox, SiteEvents events) {
    this.masterData = masterData;
    this.pinCheck = pinCheck;
    this.authorizer = new Authorizer(maxPinFailures, pinCheck);
    this.authorizationTtl = authorizationTtl;
    this.json = json;
    this.outbox = outbox;
    this.events = events;
  }

  /**
   * Checks the PIN before the unit of work, off the writer thread, so that the check inside it is a
   * cache hit. Harmless if the PIN is wrong or the card unknown: the decision is still made inside.
   */
  public void precheckPin(AuthorizationRequest request) {
    MasterData md = masterData.get();
    var driver = md.driversByCard().get(request.cardNumber());
    if (driver != null && pinCheck != null) {
      pinCheck.matches(driver, request.pin());
    }
  }

  /** The decision at the gate, stored and emitted whether approved or denied. */
  public Recorded<AuthorizationDecidedV1> authorize(WriteContext ctx, AuthorizationRequest request) {
    MasterData md = masterData.get();
    var sql = ctx.sql();
    LocalDate today = LocalDate.ofInstant(ctx.now(), md.site().zone());
    SiteFacts facts = new SiteFacts(md, ctx, loads);
    AuthorizationDecision decision = authorizer.decide(request, facts, today);

    boolean locked = false;
    if (decision.pinOutcome() != PinOutcome.NOT_CHECKED) {
      CardState before = facts.cardState(request.cardNumber());
      CardState after = before.after(decision.pinOutcome(), authorizer.maxPinFailures());
      if (!after.equals(before)) {
        loads.saveCardState(ctx, request.cardNumber(), after);
      }
      locked = after.locked();
    }
    String id = md.site().code() + "-A" + sequences.next(ctx, SequenceStore.AUTHORIZATION);
    Instant expires = ctx.now().plus(authorizationTtl);
    AuthorizationDecidedV1 event = new AuthorizationDecidedV1(
        id, ctx.now(), expires, decision.approved(), names(decision.allDenyCodes()), request.cardNumber(),
        decision.driverId(), decision.carrierId(), decision.vehicleId(), locked,
        map(decision.compartments(), c -> new AuthorizationDecidedV1.Compartment(
            c.compartment(), c.customerId(), c.productCode(), c.allocationId(), c.capacityGallons(),
            c.maxGallons(), names(c.denyCodes()))));
    String eventJson = toJson(event);
    StoredAuthorization stored = new StoredAuthorization(
        id, ctx.now(), expires, decision.approved(), request.vehicleId(), decision.driverId(), decision.carrierId(),
        eventJson, null);
    loads.insertAuthorization(sql, stored, request.cardNumber());
    if (decision.approved()) { // kept as decided (without the stored JSON) until its load starts
      loads.rememberApproval(ctx, new StoredAuthorization(
          id, stored.decidedAt(), expires, true, stored.vehicleId(), stored.driverId(), stored.carrierId(), null, null),
          decision);
    }
    outbox.appendJson(ctx, Lane.BUSINESS, EventTypes.AUTHORIZATION_DECIDED, ctx.now(), eventJson);
    ctx.afterCommit(() -> {
      events.authorized(event);
      if (event.approved()) {
        log.debug("site={} authorization={} card={} vehicle={} approved", md.site().code(), id,
            event.cardNumber(), event.vehicleId());
      } else {
        log.info("site={} authorization={} card={} vehicle={} denied={}{}", md.site().code(), id,
            event.cardNumber(), event.vehicleId(), event.denyCodes(), event.cardLocked() ? " card locked" : "");
      }
    });
    return new Recorded<>(event, eventJson);
  }

  /** A start request: which authorization, which bay (null = first free that fits), presets, permissives. */
  public record StartLoad(String authorizationId, String bayId, Permissives permissives, Map<Integer, Long> presets) {}

  public Recorded<LoadStartedV1> startLoad(WriteContext ctx, StartLoad cmd) {
    MasterData md = masterData.get();
    var sql = ctx.sql();
    var approval = loads.takeApproval(ctx, cmd.authorizationId());
    StoredAuthorization auth = approval.isPresent()
        ? approval.get().authorization()
        : loads.authorizationWithoutDecision(sql, cmd.authorizationId())
            .orElseThrow(() -> new DomainException(
                ErrorCode.NOT_FOUND, "authorizationId", "no authorization " + cmd.authorizationId()));
    if (auth.loadId() != null) {
      throw new DomainException(
          ErrorCode.CONFLICT, "authorizationId", "authorization already used by load " + auth.loadId());
    }
    if (!auth.expiresAt().isAfter(ctx.now())) {
      throw new DomainException(ErrorCode.RULE_VIOLATED, "authorizationId", "authorization expired at " + auth.expiresAt());
    }
    AuthorizationDecision decision = approval.map(LoadingStore.Approval::decision).orElse(null);
    if (decision == null) {
      decision = toDecision(fromJson(loads.decisionJson(sql, auth.id()), AuthorizationDecidedV1.class));
    }
    cmd.permissives().requireOk();

    Bay bay = chooseBay(ctx, md, cmd, decision);
    List<PlannedCompartment> plan = LoadPlanner.plan(decision, bay, cmd.presets());
    requireTankStock(ctx, md, plan);
    holdReserves(ctx, plan);

    String loadId = md.site().code() + "-L" + sequences.next(ctx, SequenceStore.LOAD);
    loads.insertLoad(ctx, new StoredLoad(
        loadId, auth.id(), bay.id(), auth.vehicleId(), auth.driverId(), auth.carrierId(), "LOADING", ctx.now(),
        null, null), plan);
    LoadStartedV1 event = new LoadStartedV1(
        loadId, auth.id(), bay.id(), auth.vehicleId(), ctx.now(),
        map(plan, p -> new LoadStartedV1.Compartment(
            p.compartment(), p.customerId(), p.productCode(), p.allocationId(), p.armId(), p.meterId(),
            p.tankId(), p.presetGallons())));
    String eventJson = toJson(event);
    outbox.appendJson(ctx, Lane.BUSINESS, EventTypes.LOAD_STARTED, ctx.now(), eventJson);
    ctx.afterCommit(() -> events.loadStarted(event));
    return new Recorded<>(event, eventJson);
  }

  /** Completes a load and issues its BOL; the answer is the BOL document as stored for reprints. */
  public Recorded<BolDocument> completeLoad(WriteContext ctx, String loadId, List<MeterReading> readings) {
    MasterData md = masterData.get();
    var sql = ctx.sql();
    LoadingStore.ActiveLoad active = activeLoad(ctx, loadId);
    StoredLoad load = active.load();
    List<PlannedCompartment> plan = active.plan();
    List<BolLine> lines = LoadCompletion.lines(plan, readings, md.products()::get, md.tanks()::get);

    settleReserves(ctx, plan, lines);
    BolNumber number = new BolNumber(md.site().code(), sequences.next(ctx, SequenceStore.BOL));
    moveInventory(ctx, lines, number.toString());

    var driver = Optional.ofNullable(md.driversById().get(load.driverId()));
    var carrier = Optional.ofNullable(md.carriers().get(load.carrierId()));
    BillOfLading bol = new BillOfLading(
        number, md.site().code(), loadId, load.bayId(), load.driverId(),
        driver.map(d -> d.name()).orElse(load.driverId()), load.carrierId(),
        carrier.map(c -> c.name()).orElse(load.carrierId()), load.vehicleId(), load.startedAt(), ctx.now(), lines);
    BolDocument doc = BolDocument.of(bol, md.site().name(), md.site().zone().getId(),
        names(lines, BolLine::productCode, code -> Optional.ofNullable(md.products().get(code)).map(Product::name)),
        names(lines, BolLine::customerId, id -> Optional.ofNullable(md.customers().get(id)).map(Customer::name)));
    String docJson = toJson(doc);
    bols.insert(sql, bol, docJson);
    loads.endLoad(ctx, loadId, "COMPLETED", number.toString());

    BolIssuedV1 event = new BolIssuedV1(
        number.toString(), md.site().code(), loadId, load.bayId(), load.driverId(), load.carrierId(),
        load.vehicleId(), load.startedAt(), ctx.now(), bol.totalGrossGallons(), bol.totalNetGallons(),
        map(lines, l -> new BolIssuedV1.Line(
            l.compartment(), l.productCode(), l.customerId(), l.allocationId(), l.armId(), l.meterId(),
            l.tankId(), l.presetGallons(), l.grossGallons(), l.netGallons(), l.temperatureF(),
            l.baseDensityKgM3(), l.apiGravity(), l.ctl(), Gallons.consumed(l.grossGallons()))));
    outbox.appendJson(ctx, Lane.BUSINESS, EventTypes.BOL_ISSUED, ctx.now(), EventJson.bolIssued(event));
    ctx.afterCommit(() -> {
      events.bolIssued(event);
      log.debug("site={} bol={} load={} gross={} net={}", md.site().code(), event.bolNumber(), loadId,
          event.totalGrossGallons(), event.totalNetGallons());
    });
    return new Recorded<>(doc, docJson);
  }

  /** Cancels a load before product flowed: its holds go back to the reserves and the bay frees. */
  public Recorded<LoadCancelledV1> cancelLoad(WriteContext ctx, String loadId, String reason) {
    LoadingStore.ActiveLoad active = activeLoad(ctx, loadId);
    StoredLoad load = active.load();
    for (var e : heldByAllocation(active.plan()).entrySet()) {
      loads.saveReserve(ctx, reserve(ctx, e.getKey()).release(e.getValue()));
    }
    loads.endLoad(ctx, loadId, "CANCELLED", null);
    LoadCancelledV1 event = new LoadCancelledV1(loadId, load.bayId(), ctx.now(), reason);
    String eventJson = toJson(event);
    outbox.appendJson(ctx, Lane.BUSINESS, EventTypes.LOAD_CANCELLED, ctx.now(), eventJson);
    return new Recorded<>(event, eventJson);
  }

  /** A site operator unlocks a card that wrong PINs locked. */
  public Recorded<CardUnlockedV1> unlockCard(WriteContext ctx, String cardNumber, String operator) {
    if (!masterData.get().driversByCard().containsKey(cardNumber)) {
      throw new DomainException(ErrorCode.NOT_FOUND, "cardNumber", "no card " + cardNumber);
    }
    loads.saveCardState(ctx, cardNumber, CardState.FRESH);
    CardUnlockedV1 event = new CardUnlockedV1(cardNumber, ctx.now(), operator);
    String eventJson = toJson(event);
    outbox.appendJson(ctx, Lane.BUSINESS, EventTypes.CARD_UNLOCKED, ctx.now(), eventJson);
    return new Recorded<>(event, eventJson);
  }

  /** The load in progress with this id (from the writer's memory); the row says why not, if it is not. */
  private LoadingStore.ActiveLoad activeLoad(WriteContext ctx, String loadId) {
    var active = loads.activeLoad(ctx, loadId);
    if (active.isPresent()) {
      return active.get();
    }
    StoredLoad load = loads.load(ctx.sql(), loadId)
        .orElseThrow(() -> new DomainException(ErrorCode.NOT_FOUND, "loadId", "no load " + loadId));
    throw new DomainException(ErrorCode.CONFLICT, "loadId",
        "load " + loadId + " is " + load.status() + (load.bolNumber() == null ? "" : " with BOL " + load.bolNumber()));
  }

  private Bay chooseBay(WriteContext ctx, MasterData md, StartLoad cmd, AuthorizationDecision decision) {
    if (cmd.bayId() != null) {
      Bay bay = md.bay(cmd.bayId())
          .orElseThrow(() -> new DomainException(ErrorCode.NOT_FOUND, "bayId", "no bay " + cmd.bayId()));
      if (loads.bayBusy(ctx, bay.id())) {
        throw new DomainException(ErrorCode.CONFLICT, "bayId", "bay " + bay.id() + " is busy");
      }
      return bay;
    }
    List<String> products = decision.compartments().stream()
        .filter(c -> cmd.presets().containsKey(c.compartment()))
        .map(CompartmentDecision::productCode)
        .distinct()
        .toList();
    return md.bays().stream()
        .filter(b -> b.active() && b.carriesAll(products) && !loads.bayBusy(ctx, b.id()))
        .findFirst()
        .orElseThrow(() -> new DomainException(
            ErrorCode.CONFLICT, "bayId", "no bay carrying " + products + " is free; the truck stays in the queue"));
  }

  /** A terminal does not pump from a tank that cannot cover the truck (TANK_INSUFFICIENT). */
  private void requireTankStock(WriteContext ctx, MasterData md, List<PlannedCompartment> plan) {
    Map<String, Long> byTank = new TreeMap<>();
    for (PlannedCompartment p : plan) {
      byTank.merge(p.tankId(), p.presetGallons(), Long::sum);
    }
    for (var e : byTank.entrySet()) {
      var book = inventory.bookState(ctx, e.getKey());
      if (book.opened()) { // an unknown book (never opened) is not checked
        TankStock.requireCovers(md.tanks().get(e.getKey()), book.netGallons(),
            loads.presetInProgress(ctx, e.getKey()), e.getValue());
      }
    }
  }

  private void holdReserves(WriteContext ctx, List<PlannedCompartment> plan) {
    for (var e : heldByAllocation(plan).entrySet()) {
      Reserve r = reserve(ctx, e.getKey());
      if (e.getValue() > r.available()) {
        throw new DomainException(ErrorCode.RULE_VIOLATED, "compartments",
            DenyCode.RESERVE_INSUFFICIENT + ": allocation " + r.allocationId() + " has " + r.available()
                + " gal left at this site, presets need " + e.getValue());
      }
      loads.saveReserve(ctx, r.hold(e.getValue()));
    }
  }

  private void settleReserves(WriteContext ctx, List<PlannedCompartment> plan, List<BolLine> lines) {
    Map<String, Long> consumed = new HashMap<>();
    for (BolLine l : lines) {
      consumed.merge(l.allocationId(), Gallons.consumed(l.grossGallons()), Long::sum);
    }
    for (var e : heldByAllocation(plan).entrySet()) {
      Reserve r = reserve(ctx, e.getKey());
      loads.saveReserve(ctx, r.settle(e.getValue(), consumed.getOrDefault(e.getKey(), 0L)));
    }
  }

  private void moveInventory(WriteContext ctx, List<BolLine> lines, String bolNumber) {
    Map<String, Double> byTank = new TreeMap<>();
    for (BolLine l : lines) {
      byTank.merge(l.tankId(), l.netGallons(), Double::sum);
    }
    for (var e : byTank.entrySet()) {
      double delta = -Gallons.tenths(e.getValue());
      double after = inventory.move(ctx, e.getKey(), delta, "LOAD", bolNumber, ctx.now());
      outbox.appendJson(ctx, Lane.BUSINESS, EventTypes.INVENTORY_MOVED, ctx.now(),
          EventJson.inventoryMoved(new InventoryMovedV1(e.getKey(), ctx.now(), "LOAD", bolNumber, delta, after)));
    }
  }

  private Reserve reserve(WriteContext ctx, String allocationId) {
    return loads.reserve(ctx, allocationId)
        .orElseThrow(() -> new DomainException(
            ErrorCode.RULE_VIOLATED, "compartments", DenyCode.NO_ALLOCATION + ": no reserve for " + allocationId));
  }

  /** Preset gallons per allocation, in allocation order (a loop: streams are slow code under C1). */
  private static Map<String, Long> heldByAllocation(List<PlannedCompartment> plan) {
    Map<String, Long> out = new TreeMap<>();
    for (PlannedCompartment p : plan) {
      out.merge(p.allocationId(), p.presetGallons(), Long::sum);
    }
    return out;
  }

  private static AuthorizationDecision toDecision(AuthorizationDecidedV1 d) {
    return new AuthorizationDecision(
        d.approved(), List.of(), d.driverId(), d.carrierId(), d.vehicleId(),
        d.compartments().stream()
            .map(c -> new CompartmentDecision(
                c.compartment(), c.customerId(), c.productCode(), c.allocationId(), c.capacityGallons(),
                c.maxGallons(), c.denyCodes().stream().map(DenyCode::valueOf).toList()))
            .toList(),
        PinOutcome.MATCHED);
  }

  /** {@code items} mapped, in order, as an unmodifiable list: a loop (streams are slow code under C1). */
  private static <T, R> List<R> map(List<T> items, java.util.function.Function<T, R> f) {
    List<R> out = new ArrayList<>(items.size());
    for (T item : items) {
      out.add(f.apply(item));
    }
    return java.util.Collections.unmodifiableList(out);
  }

  private static List<String> names(List<DenyCode> codes) {
    if (codes.isEmpty()) {
      return List.of();
    }
    String[] out = new String[codes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = codes.get(i).name();
    }
    return List.of(out);
  }

  private static Map<String, String> names(
      List<BolLine> lines, java.util.function.Function<BolLine, String> key,
      java.util.function.Function<String, Optional<String>> name) {
    Map<String, String> out = new LinkedHashMap<>();
    for (BolLine l : lines) {
      String k = key.apply(l);
      out.put(k, name.apply(k).orElse(k));
    }
    return out;
  }

  private String toJson(Object value) {
    switch (value) { // the load cycle's events by hand (EventJson: the same bytes, far less CPU on the writer)
      case AuthorizationDecidedV1 e -> {
        return EventJson.authorizationDecided(e);
      }
      case LoadStartedV1 e -> {
        return EventJson.loadStarted(e);
      }
      case BolDocument d -> {
        return EventJson.bolDocument(d);
      }
      default -> { }
    }
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T fromJson(String text, Class<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt stored " + type.getSimpleName(), e);
    }
  }

}
