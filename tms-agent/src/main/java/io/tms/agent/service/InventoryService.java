package io.tms.agent.service;

import io.tms.agent.store.InventoryStore;
import io.tms.agent.store.MasterData;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SequenceStore;
import io.tms.agent.store.WriteContext;
import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.inventory.GaugeReading;
import io.tms.domain.inventory.TankStock;
import io.tms.domain.masterdata.Tank;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.GaugeReadingRecordedV1;
import io.tms.protocol.v1.InventoryMovedV1;
import io.tms.protocol.v1.Lane;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Records what moves a tank's book other than loads — receipts and the opening balance — and tank
 * gauge readings against the book. One unit of work per call; each emits its event to the outbox in
 * the same transaction (a receipt as an {@code inventory.moved.v1}, like a load's draw, so the
 * cloud's book of the tank follows the site's).
 */
public final class InventoryService {
  private final Supplier<MasterData> masterData;
  private final OutboxStore outbox;
  private final InventoryStore inventory = new InventoryStore();
  private final SequenceStore sequences = new SequenceStore();

  public InventoryService(Supplier<MasterData> masterData, OutboxStore outbox) {
    this.masterData = masterData;
    this.outbox = outbox;
  }

  /**
   * Product received into a tank, in net gallons at 60 °F (the receiving ticket's net). An
   * {@link TankStock.Source#OPENING} receipt is the opening balance, once, for a tank whose book is not
   * known yet: it sets the book to {@code netGallons} (the movement's delta is whatever that takes).
   * {@code receivedAt} null means now. The movement's reference is the receipt's id
   * ({@code <site>-R<n>}).
   */
  public InventoryMovedV1 receive(
      WriteContext ctx, String tankId, TankStock.Source source, double netGallons, Instant receivedAt) {
    MasterData md = masterData.get();
    Tank tank = md.tanks().get(tankId);
    if (tank == null) {
      throw new DomainException(ErrorCode.NOT_FOUND, "tankId", "no tank " + tankId);
    }
    Instant at = receivedAt == null ? ctx.now() : receivedAt;
    if (at.isAfter(ctx.now().plusSeconds(300))) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "receivedAt", "receipt is in the future: " + at);
    }
    var book = inventory.bookState(ctx, tankId);
    boolean opening = source == TankStock.Source.OPENING;
    if (opening && book.opened()) {
      throw new DomainException(ErrorCode.CONFLICT, "source", "tank " + tankId + " already has a book ("
          + book.netGallons() + " net gal): an opening balance is only for a tank whose book is not yet known");
    }
    // the opening balance is the book from now on: it replaces whatever loads drew from an unknown book
    double base = opening ? 0 : book.netGallons();
    TankStock.afterReceipt(tank, base, netGallons);
    String reason = opening ? "OPENING" : "RECEIPT";
    String id = md.site().code() + "-R" + sequences.next(ctx, SequenceStore.RECEIPT);
    double delta = io.tms.domain.Gallons.tenths(opening ? netGallons - book.netGallons() : netGallons);
    double after = inventory.move(ctx, tankId, delta, reason, id, at);
    if (opening) {
      inventory.markOpened(ctx, tankId);
    }
    InventoryMovedV1 event = new InventoryMovedV1(tankId, at, reason, id, delta, after);
    outbox.append(ctx, Lane.BUSINESS, EventTypes.INVENTORY_MOVED, ctx.now(), event);
    return event;
  }

  /** A reading from a tank gauge or a manual dip; {@code readAt} null means now. */
  public GaugeReadingRecordedV1 recordGauge(
      WriteContext ctx, String tankId, double grossGallons, double waterGallons, double temperatureF, Instant readAt) {
    MasterData md = masterData.get();
    Tank tank = md.tanks().get(tankId);
    if (tank == null) {
      throw new DomainException(ErrorCode.NOT_FOUND, "tankId", "no tank " + tankId);
    }
    Instant at = readAt == null ? ctx.now() : readAt;
    if (at.isAfter(ctx.now().plusSeconds(300))) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "readAt", "reading is in the future: " + at);
    }
    GaugeReading reading = GaugeReading.of(
        tank, md.products().get(tank.productCode()), at, grossGallons, waterGallons, temperatureF);
    var sql = ctx.sql();
    double book = inventory.book(ctx, tankId);
    String id = md.site().code() + "-G" + sequences.next(ctx, SequenceStore.GAUGE);
    inventory.insertGauge(sql, id, reading, book);
    GaugeReadingRecordedV1 event = new GaugeReadingRecordedV1(
        id, tankId, at, reading.grossGallons(), reading.waterGallons(), reading.temperatureF(), reading.netGallons(),
        book);
    outbox.append(ctx, Lane.BUSINESS, EventTypes.GAUGE_READING_RECORDED, ctx.now(), event);
    return event;
  }
}
